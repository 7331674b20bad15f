import datetime
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .models import Responsibility, Role, RoleHolding, Team
from .permissions import managed_teams, member_of


def current_holders(*, teams, today: datetime.date) -> dict[int, list[RoleHolding]]:
    """Role id -> today's holdings by active members of these teams. One query."""
    holdings = (
        RoleHolding.objects.filter(member__team__in=teams, member__is_active=True, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("member__team")
        .order_by("member__full_name")
    )
    by_role: dict[int, list[RoleHolding]] = defaultdict(list)
    for holding in holdings:
        by_role[holding.role_id].append(holding)
    return by_role


@login_required
@require_GET
def role_catalog(request: HttpRequest) -> HttpResponse:
    """The role catalog side by side by focus, with who holds each role in the viewer's teams.

    A member sees their team's role map; a manager the teams they manage; staff every team.
    """
    member = member_of(user=request.user)
    team_ids = set(managed_teams(user=request.user).values_list("pk", flat=True))
    if member is not None:
        team_ids.add(member.team_id)
    roles = Role.objects.prefetch_related(
        Prefetch("responsibilities", Responsibility.objects.order_by("position", "id"))
    ).order_by("position", "name")
    holders = (
        current_holders(teams=Team.objects.filter(pk__in=team_ids), today=timezone.localdate()) if team_ids else {}
    )
    catalog = [(role, holders.get(role.pk, [])) for role in roles]
    context = {
        "operational": [entry for entry in catalog if entry[0].focus == Role.Focus.OPERATIONAL],
        "strategic": [entry for entry in catalog if entry[0].focus == Role.Focus.STRATEGIC],
        "shows_teams": len(team_ids) > 1,
        "has_team": bool(team_ids),
        "active": "roles",
    }
    return render(request, "roles/catalog.html", context)
