"""The team overview: heatmap and flags; acknowledging a dual role and withdrawing it (docs/rules.md, "Pages").

An acknowledgement answers the flag over the weeks the overview shows: the form posts the window's
``start`` and the service checks the member's dual role over those ``OVERVIEW_WEEKS`` weeks. A refused
one comes back with its errors beside the fields of that member's line (htmx: the flags panel; a
plain post: the whole page, status 400), or at the top of the panel when the line is gone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assignments import selectors
from assignments.forms import AcknowledgeForm
from assignments.selectors.overview import OVERVIEW_WEEKS
from assignments.services import acknowledgement_create, acknowledgement_withdraw
from roles.models import Team, TeamMember

from .common import HtmxHttpRequest, managed_team_or_404, run_service, window_start


@dataclass
class AcknowledgementAttempt:
    """A refused acknowledgement: whose, the form with its values and errors, and whether the panel has their line."""

    member: TeamMember
    form: AcknowledgeForm
    shown: bool


def _overview_context(team: Team, start: datetime.date, **extra) -> dict:
    overview = selectors.team_overview(team=team, start=start, today=timezone.localdate())
    return {"team": team, "overview": overview, "active": "overview", **extra}


@login_required
@require_GET
def team_overview(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    context = _overview_context(team, window_start(request.GET))
    if request.htmx and request.htmx.target == "overview-body":
        return render(request, "assignments/overview.html#overview-body", context)
    return render(request, "assignments/overview.html", context)


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
