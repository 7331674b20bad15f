"""Home: sends each person where their work is."""

import logging

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from roles.models import Team
from roles.permissions import member_of

logger = logging.getLogger(__name__)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """A manager to their team (or a picker of them), a member to their duties, staff to the admin."""
    teams = list(Team.objects.filter(managers=request.user).order_by("name"))
    if len(teams) == 1:
        return redirect("assignments:team_overview", slug=teams[0].slug)
    if teams:
        return render(request, "team_picker.html", {"teams": teams})
    if member_of(user=request.user) is not None:
        return redirect("assignments:my_duties")
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "not_on_a_team.html")


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitors: 200 when the app can reach its database, 503 when not.

    No login, and no detail an attacker could use (no versions, no error text).
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("health check: the database is unreachable", exc_info=True)
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
