"""What every view of the planning app shares: the typed request, the access lookups, running a service."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone
from django_htmx.middleware import HtmxDetails

from assignments.calendars import monday_of
from assignments.forms import WorkloadWindowForm
from roles.models import Team, TeamMember
from roles.navigation import navigation_of
from roles.permissions import managed_team, visible_member

Result = TypeVar("Result")


def window_start(data: QueryDict) -> datetime.date:
    """The Monday of ``start``; a missing or bad value means this week (a project decision: the pages
    fall back where the API answers 400)."""
    window = WorkloadWindowForm({"start": data.get("start", "")})
    return window.cleaned_data["start"] if window.is_valid() else monday_of(timezone.localdate())


def flags_url(team: Team, start: datetime.date) -> str:
    """The overview's flags for the window from ``start``: where the pages behind the flags lead back to."""
    return f"{reverse('assignments:team_overview', args=[team.slug])}?start={start.isoformat()}#flags"


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware: ``request.htmx`` is truthy for htmx requests."""

    htmx: HtmxDetails


def page_number(value: str | int | None) -> int:
    """A page number from the query string; anything else is the first page (each page clamps it to its last)."""
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() and 0 < len(value) <= 6 and int(value) > 0 else 1


def managed_team_or_404(request: HttpRequest, slug: str) -> Team:
    """The team ``slug`` if the user manages it (or is staff); else 404, the same as for no such team.

    A manager's team is found among the header's teams (read once per request, ``navigation_of``): one
    query for both, where the page shows the header."""
    user = request.user
    if user.is_authenticated and not user.is_staff:
        found = next((team for team in navigation_of(request).teams if team.slug == slug), None)
        if found is None:
            raise Http404
        return found
    try:
        return managed_team(user=user, slug=slug)
    except Team.DoesNotExist as error:
        raise Http404 from error


def visible_member_or_404(request: HttpRequest, member_id: int) -> tuple[TeamMember, bool]:
    """The member if the user may see their page, and whether the user may change it; else 404."""
    try:
        return visible_member(user=request.user, member_id=member_id)
    except TeamMember.DoesNotExist as error:
        raise Http404 from error


def managed_member_or_404(request: HttpRequest, member_id: int) -> TeamMember:
    """The member if the user manages their team (or is staff); the member themselves may look, not change."""
    member, may_manage = visible_member_or_404(request, member_id)
    if not may_manage:
        raise Http404
    return member


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: keyed errors on their field, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def run_service(form: forms.BaseForm, service: Callable[..., Result], **arguments) -> Result | None:
    """Call ``service`` with the form's cleaned data and ``arguments`` when the form is valid.

    The service's result; or None, with the errors on the form (the form's own, or the service's
    ValidationError put beside the fields it names), so the caller shows the form again.
    """
    if not form.is_valid():
        return None
    try:
        return service(**arguments, **form.cleaned_data)
    except ValidationError as error:
        apply_errors(form, error)
        return None
