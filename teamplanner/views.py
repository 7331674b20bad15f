"""Home: sends each person where their work is; the health check."""

import logging

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_safe

from roles.models import Team
from roles.permissions import member_of

from .http import head_without_body

logger = logging.getLogger(__name__)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The manager of one team to its overview; of several, and staff, to the teams index; a member
    to their duties; anyone else to a "not on a team" page.

    A staff member who also manages exactly one team lands on that team, like any manager of one.
    """
    teams = list(Team.objects.filter(managers=request.user).order_by("name")[:2])  # one, or more than one
    if len(teams) == 1:
        return redirect("assignments:team_overview", slug=teams[0].slug)
    if teams or request.user.is_staff:
        return redirect("assignments:teams")
    if member_of(user=request.user) is not None:
        return redirect("assignments:my_duties")
    return render(request, "not_on_a_team.html")


@require_safe
@head_without_body
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitors: 200 when the app can reach its database, 503 when not.

    GET and HEAD (no body); no login, and no detail an attacker could use (no versions, no error text).
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("health check: the database is unreachable", exc_info=True)
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
