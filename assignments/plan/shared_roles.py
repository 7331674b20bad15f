"""Roles are one catalog shared by all teams: a team's file must not quietly change another team's role.

A role is used by another team when one of that team's tasks has it or one of
its members holds (or held) it. Changing such a role's name, focus, summary or
responsibilities is refused at ``roles[i]``, naming the other teams, unless the
import is run with ``--update-shared-roles``. The catalog order (``position``)
is not counted as a change.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import ngettext

from roles.models import Role, RoleHolding

from ..models import Task
from .reader import Reader
from .rows import Plan, RolePlan
from .stored import StoredTeam


def check_shared_roles(reader: Reader, plan: Plan, stored: StoredTeam) -> None:
    changed = _changed_roles(plan)
    if not changed:
        return
    users = _other_teams_using(set(changed), stored)
    for slug, (role_plan, fields) in changed.items():
        teams = sorted(users.get(slug, ()))
        if teams:
            message = ngettext(
                "would change the %(fields)s of a role that team %(teams)s also uses; "
                "import with --update-shared-roles to change it for every team",
                "would change the %(fields)s of a role that teams %(teams)s also use; "
                "import with --update-shared-roles to change it for every team",
                len(teams),
            )
            reader.error(role_plan.path, message % {"fields": ", ".join(fields), "teams": ", ".join(teams)})


def _changed_roles(plan: Plan) -> dict[str, tuple[RolePlan, list[str]]]:
    """The file's roles that exist and that it would change, with the keys that differ."""
    slugs = [role.slug for role in plan.roles if role.slug]
    stored = {role.slug: role for role in Role.objects.filter(slug__in=slugs).prefetch_related("responsibilities")}
    changed = {}
    for role_plan in plan.roles:
        role = stored.get(role_plan.slug)
        if role is None:
            continue
        current = {
            "name": role.name,
            "focus": role.focus,
            "summary": role.summary,
            "responsibilities": [item.title for item in role.responsibilities.all()],
        }
        fields = [key for key, value in current.items() if getattr(role_plan, key) not in (None, value)]
        if fields:
            changed[role_plan.slug] = (role_plan, fields)
    return changed


def _other_teams_using(slugs: set[str], stored: StoredTeam) -> dict[str, set[str]]:
    """For each role slug, the slugs of the other teams that have a task with it or a member holding it."""
    users: dict[str, set[str]] = defaultdict(set)
    tasks = Task.objects.filter(role__slug__in=slugs).exclude(team_id=stored.team_id)
    holdings = RoleHolding.objects.filter(role__slug__in=slugs).exclude(member__team_id=stored.team_id)
    for role_slug, team_slug in tasks.values_list("role__slug", "team__slug").distinct():
        users[role_slug].add(team_slug)
    for role_slug, team_slug in holdings.values_list("role__slug", "member__team__slug").distinct():
        users[role_slug].add(team_slug)
    return users
