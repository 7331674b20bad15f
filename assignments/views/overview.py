"""The team overview: heatmap and flags; acknowledging a dual role and withdrawing it (docs/rules.md, "Pages")."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assignments import selectors
from assignments.calendars import monday_of
from assignments.forms import AcknowledgeForm, WorkloadWindowForm
from assignments.services import acknowledgement_create, acknowledgement_withdraw
from roles.models import Team, TeamMember

from .common import HtmxHttpRequest, managed_team_or_404, run_service


def _window_start(data: QueryDict) -> datetime.date:
    """The Monday of ``start``; a missing or bad value means this week (a project decision, not an error)."""
    window = WorkloadWindowForm({"start": data.get("start", "")})
    return window.cleaned_data["start"] if window.is_valid() else monday_of(timezone.localdate())


@login_required
@require_GET
def team_overview(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    overview = selectors.team_overview(team=team, start=_window_start(request.GET), today=timezone.localdate())
    context = {"team": team, "overview": overview, "active": "overview"}
    if request.htmx and request.htmx.target == "overview-body":
        return render(request, "assignments/overview.html#overview-body", context)
    return render(request, "assignments/overview.html", context)


def _flags_panel(request: HtmxHttpRequest, team: Team, start: datetime.date) -> HttpResponse:
    overview = selectors.team_overview(team=team, start=start, today=timezone.localdate())
    return render(request, "assignments/overview.html#flags", {"team": team, "overview": overview})


def _back_to_flags(team: Team, start: datetime.date) -> HttpResponse:
    return redirect(f"{reverse('assignments:team_overview', args=[team.slug])}?start={start.isoformat()}#flags")


@login_required
@require_POST
def acknowledge_dual_role(request: HtmxHttpRequest, slug: str, member_id: int) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    member = get_object_or_404(TeamMember, pk=member_id, team=team)
    form = AcknowledgeForm(request.POST)
    run_service(form, acknowledgement_create, member=member, acknowledged_by=request.user)
    start = _window_start(request.POST)
    if request.htmx:
        return _flags_panel(request, team, start)
    if form.errors:
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
    else:
        messages.success(request, _("The dual role of %(name)s is acknowledged.") % {"name": member.full_name})
    return _back_to_flags(team, start)


@login_required
@require_POST
def withdraw_acknowledgement(request: HtmxHttpRequest, slug: str, member_id: int) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    member = get_object_or_404(TeamMember, pk=member_id, team=team)
    acknowledgement_withdraw(member=member, withdrawn_by=request.user)
    start = _window_start(request.POST)
    if request.htmx:
        return _flags_panel(request, team, start)
    messages.success(request, _("The acknowledgement for %(name)s is withdrawn.") % {"name": member.full_name})
    return _back_to_flags(team, start)
