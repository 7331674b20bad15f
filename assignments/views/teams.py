"""The teams index: the teams a person manages (staff: all), each with its load and flags, linking to its overview."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from assignments.selectors.teams import teams_index

from .common import HtmxHttpRequest


@login_required
@require_GET
def teams(request: HtmxHttpRequest) -> HttpResponse:
    """Managers see their own teams and staff every team; anyone else gets 404, as for any team page."""
    index = teams_index(user=request.user, today=timezone.localdate())
    if not index.teams and not request.user.is_staff:
        raise Http404
    return render(request, "assignments/teams.html", {"index": index, "active": "teams"})
