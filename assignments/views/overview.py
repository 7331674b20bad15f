"""The team overview: heatmap and flags; acknowledging a dual role and withdrawing it (docs/rules.md, "Pages").

The heatmap shows a page of members, most loaded first, under the filters of ``?band=`` and ``?role=``
(``selectors.overview``); every link of the page (weeks, pages, clearing the filters) keeps the others'
parameters. A bad filter value is ignored and shown beside its field; a bad page is the first, one past
the end the last. htmx swaps the heatmap alone (pages, filters) or the whole body (weeks).

A dual-role line of a folded kind (many lines) carries no form: opening "Acknowledge…" fetches it from
``acknowledge_form``, which without JavaScript is a page of its own.

An acknowledgement answers the flag over the weeks the overview shows: the form posts the window's
``start`` and the service checks the member's dual role over those ``OVERVIEW_WEEKS`` weeks. A refused
one comes back with its errors beside the fields of that member's line (htmx: the flags panel; a
plain post: the whole page, status 400), or at the top of the panel when the line is gone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assignments import selectors
from assignments.forms import AcknowledgeForm, OverviewFilterForm
from assignments.selectors.overview import OVERVIEW_WEEKS, Overview
from assignments.services import acknowledgement_create, acknowledgement_withdraw
from roles.models import Team, TeamMember

from .common import HtmxHttpRequest, managed_team_or_404, run_service, window_start


@dataclass
class AcknowledgementAttempt:
    """A refused acknowledgement: whose, the form with its values and errors, and whether the panel has their line."""

    member: TeamMember
    form: AcknowledgeForm
    shown: bool


def _page_number(value: str | None) -> int:
    """A page number from the query string; anything else is the first page (the heatmap clamps it to the last)."""
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() and 0 < len(value) <= 6 and int(value) > 0 else 1


def _query(start: datetime.date, filters: dict, **more: str) -> str:
    """``?start=…`` with the good filters (and ``more``): what every link of the page carries."""
    return "?" + urlencode(
        {"start": start.isoformat(), **{name: str(value) for name, value in filters.items()}, **more}
    )


def _links(overview: Overview, filters: dict) -> dict[str, str]:
    """The page's links, each keeping the filters: the weeks around (back to page 1: the ranking is the
    window's), a page of the heatmap (ends in "page=", the template adds the number), no filters."""
    start = overview.workload.start
    return {
        "previous": _query(overview.previous_start, filters),
        "this_week": _query(overview.this_week, filters),
        "next": _query(overview.next_start, filters),
        "page": _query(start, filters, page=""),
        "clear": _query(start, {}),
    }


def _overview_context(team: Team, start: datetime.date, query: QueryDict | None = None, **extra) -> dict:
    """The page for ``start``; ``query`` (a GET's) picks the heatmap's filters and page, else everyone's first page."""
    overview = selectors.team_overview(team=team, start=start, today=timezone.localdate())
    form = OverviewFilterForm(query, roles=overview.roles)  # unbound without a query: no errors to show
    filters = form.valid_filters()
    page = _page_number(query.get("page") if query is not None else None)
    heatmap = overview.heatmap(band=filters.get("band"), role_id=filters.get("role"), page=page)
    return {
        "team": team,
        "overview": overview,
        "heatmap": heatmap,
        "filters": form,
        "links": _links(overview, filters),
        "active": "overview",
        **extra,
    }


@login_required
@require_GET
def team_overview(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    context = _overview_context(team, window_start(request.GET), request.GET)
    if request.htmx and request.htmx.target in {"overview-body", "heatmap"}:
        return render(request, f"assignments/overview.html#{request.htmx.target}", context)
    return render(request, "assignments/overview.html", context)


@login_required
@require_GET
def acknowledge_form(request: HtmxHttpRequest, slug: str, member_id: int) -> HttpResponse:
    """The acknowledgement form of a dual-role line (no engine run): htmx gets the form, a plain GET a page with it.

    Whether the member has a dual role to acknowledge is the service's to say when the form is posted.
    """
    team = managed_team_or_404(request, slug)
    member = get_object_or_404(TeamMember, pk=member_id, team=team)
    start = window_start(request.GET)
    context = {
        "team": team,
        "member": member,
        "member_id": member.pk,
        "window_start": start,
        "window_end": start + datetime.timedelta(weeks=OVERVIEW_WEEKS, days=-1),
        "form": None,
        "active": "overview",
    }
    if request.htmx:
        return render(request, "assignments/flags/_acknowledge_form.html", context)
    return render(request, "assignments/flags/acknowledge.html", context)


def _back_to_flags(team: Team, start: datetime.date) -> HttpResponse:
    return redirect(f"{reverse('assignments:team_overview', args=[team.slug])}?start={start.isoformat()}#flags")


def _refused(request: HtmxHttpRequest, team: Team, start: datetime.date, member: TeamMember, form) -> HttpResponse:
    """The panel (htmx) or the page (plain post, 400) again, with the errors beside that member's form."""
    context = _overview_context(team, start)
    shown = context["overview"].shows_dual_role_of(member.pk)
    context["attempt"] = AcknowledgementAttempt(member=member, form=form, shown=shown)
    if request.htmx:
        return render(request, "assignments/overview.html#flags", context)
    return render(request, "assignments/overview.html", context, status=400)


@login_required
@require_POST
def acknowledge_dual_role(request: HtmxHttpRequest, slug: str, member_id: int) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    member = get_object_or_404(TeamMember, pk=member_id, team=team)
    start = window_start(request.POST)
    form = AcknowledgeForm(request.POST)
    arguments = {"member": member, "acknowledged_by": request.user, "start": start, "weeks": OVERVIEW_WEEKS}
    if run_service(form, acknowledgement_create, **arguments) is None:
        return _refused(request, team, start, member, form)
    if request.htmx:
        return render(request, "assignments/overview.html#flags", _overview_context(team, start))
    messages.success(request, _("The dual role of %(name)s is acknowledged.") % {"name": member.full_name})
    return _back_to_flags(team, start)


@login_required
@require_POST
def withdraw_acknowledgement(request: HtmxHttpRequest, slug: str, member_id: int) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    member = get_object_or_404(TeamMember, pk=member_id, team=team)
    withdrawn = acknowledgement_withdraw(member=member, withdrawn_by=request.user)
    start = window_start(request.POST)
    if withdrawn:
        message = _("The acknowledgement for %(name)s is withdrawn.") % {"name": member.full_name}
    else:
        message = _("Nothing to withdraw: %(name)s has no standing acknowledgement.") % {"name": member.full_name}
    if request.htmx:
        # The panel changes in place, so only a stale click needs words: the page no longer matched.
        notice = "" if withdrawn else message
        return render(request, "assignments/overview.html#flags", _overview_context(team, start, flags_notice=notice))
    (messages.success if withdrawn else messages.info)(request, message)
    return _back_to_flags(team, start)
