"""A team's people for its managers: who is on the team, their capacity and whether they are active; add one.

Changing a person (details, capacity, active) happens on their member page (``views.member``). Only the
team's managers (and staff) see this page; for anyone else the team does not exist (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from roles import selectors
from roles.forms import MemberForm
from roles.models import Team
from roles.services import member_create

from .common import HtmxHttpRequest, managed_team_or_404, run_service


def _members_context(team: Team, form: MemberForm | None = None) -> dict:
    return {
        "team": team,
        "members": selectors.team_members(team=team),
        "member_form": form or MemberForm(prefix="new"),
        "active": "members",
    }


@login_required
@require_GET
def team_members(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    return render(request, "assignments/team_members.html", _members_context(team))


@login_required
@require_POST
def member_add(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """A new member; then their page, where the manager gives them roles."""
    team = managed_team_or_404(request, slug)
    form = MemberForm(request.POST, prefix="new")
    member = run_service(form, member_create, team=team)
    if member is None:
        if request.htmx:
            return render(request, "assignments/team_members.html#add-member", _members_context(team, form))
        return render(request, "assignments/team_members.html", _members_context(team, form), status=400)
    url = reverse("assignments:member", args=[member.pk])
    messages.success(
        request, _("%(name)s is on the team now: give them their roles here.") % {"name": member.full_name}
    )
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
