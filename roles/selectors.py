"""Reads of the role catalog: the roles by focus, and who holds each today in the viewer's teams.

docs/rules.md, "Pages" (Role catalog) and "Who may do what": a member sees their team's role map, a
manager the teams they manage, staff every team.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, Q, QuerySet

from .models import Responsibility, Role, RoleHolding, Team, TeamMember
from .permissions import managed_teams, member_of


@dataclass
class CatalogRole:
    role: Role  # responsibilities prefetched, in catalog order
    holders: list[RoleHolding]  # today's, one per person, by member name


@dataclass
class RoleCatalog:
    operational: list[CatalogRole]
    strategic: list[CatalogRole]
    has_team: bool  # the viewer sees some team: each role shows its holders
    shows_teams: bool  # the viewer sees several teams: each holder is named with their team


def current_holders(*, teams: QuerySet[Team], today: datetime.date) -> dict[int, list[RoleHolding]]:
    """Role id -> today's holdings by active members of these teams, one per person. One query.

    A person is listed once even when two of their holdings of the role cover today: rows from before
    overlapping holdings were refused (SQLite has no constraint against them), or imported around the rule.
    """
    holdings = (
        RoleHolding.objects.filter(member__team__in=teams, member__is_active=True, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("member__team")
        .order_by("member__full_name", "member_id", "start_date")
    )
    by_role: dict[int, dict[int, RoleHolding]] = defaultdict(dict)
    for holding in holdings:
        by_role[holding.role_id].setdefault(holding.member_id, holding)  # the earliest, when held twice
    return {role_id: list(by_member.values()) for role_id, by_member in by_role.items()}


def viewer_team_ids(*, user: AbstractBaseUser) -> set[int]:
    """The teams whose role map ``user`` sees: the ones they manage (staff: all) and their own."""
    team_ids = set(managed_teams(user=user).values_list("pk", flat=True))
    member = member_of(user=user)
    if member is not None:
        team_ids.add(member.team_id)
    return team_ids


def role_catalog(*, user: AbstractBaseUser, today: datetime.date) -> RoleCatalog:
    """Every role side by side by focus, with who holds it today in the viewer's teams."""
    team_ids = viewer_team_ids(user=user)
    roles = Role.objects.prefetch_related(
        Prefetch("responsibilities", Responsibility.objects.order_by("position", "id"))
    ).order_by("position", "name")
    holders = current_holders(teams=Team.objects.filter(pk__in=team_ids), today=today) if team_ids else {}
    catalog = [CatalogRole(role, holders.get(role.pk, [])) for role in roles]
    return RoleCatalog(
        operational=[entry for entry in catalog if entry.role.focus == Role.Focus.OPERATIONAL],
        strategic=[entry for entry in catalog if entry.role.focus == Role.Focus.STRATEGIC],
        has_team=bool(team_ids),
        shows_teams=len(team_ids) > 1,
    )


def team_members(*, team: Team) -> list[TeamMember]:
    """The team's people for its managers: active ones first, each group by name. One query."""
    return list(team.members.order_by("-is_active", "full_name", "email"))
