"""My duties: a member's today, this week, roles and coming load (docs/rules.md, "Pages")."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from assignments import selectors
from roles.permissions import member_of

from .common import HtmxHttpRequest


@login_required
@require_GET
def my_duties(request: HtmxHttpRequest) -> HttpResponse:
    """Only for an active member; anyone else is told they are not on a team (404)."""
    member = member_of(user=request.user)
    if member is None:
        return render(request, "not_on_a_team.html", status=404)
    today = timezone.localdate()
    context = {
        "member": member,
        "today": today,
        "duties": selectors.my_duties(member=member, today=today),
        "active": "me",
    }
    return render(request, "assignments/my_duties.html", context)
