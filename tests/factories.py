"""Small factories: each makes one valid row, with keyword overrides."""

import datetime
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model

from assignments.models import Assignment, Cover, DualRoleAcknowledgement, Task
from roles.models import Responsibility, Role, RoleHolding, Team, TeamMember, TimeOff

_counter = itertools.count(1)

# Every model that holds the plan, for row counts, snapshots and validity sweeps.
PLAN_MODELS = [
    Team,
    TeamMember,
    Role,
    Responsibility,
    RoleHolding,
    TimeOff,
    Task,
    Assignment,
    Cover,
    DualRoleAcknowledgement,
]

MONDAY = datetime.date(2026, 11, 30)


def make_user(**overrides):
    n = next(_counter)
    values = {"username": f"user{n}", "password": "pass-for-tests-only"}
    values.update(overrides)
    return get_user_model().objects.create_user(**values)


def make_team(**overrides) -> Team:
    n = next(_counter)
    values = {"name": f"Team {n}", "slug": f"team-{n}"}
    values.update(overrides)
    return Team.objects.create(**values)


def make_member(team: Team | None = None, **overrides) -> TeamMember:
    n = next(_counter)
    values = {"full_name": f"Member {n}", "email": f"member{n}@example.com"}
    values.update(overrides)
    return TeamMember.objects.create(team=team or make_team(), **values)


def make_role(focus: str = Role.Focus.OPERATIONAL, **overrides) -> Role:
    n = next(_counter)
    values = {"name": f"Role {n}", "slug": f"role-{n}", "focus": focus}
    values.update(overrides)
    return Role.objects.create(**values)


def make_holding(member: TeamMember, role: Role, start_date=MONDAY, end_date=None) -> RoleHolding:
    return RoleHolding.objects.create(member=member, role=role, start_date=start_date, end_date=end_date)


def make_time_off(member: TeamMember, start_date, end_date, reason="leave") -> TimeOff:
    return TimeOff.objects.create(member=member, start_date=start_date, end_date=end_date, reason=reason)


def make_task(team: Team | None = None, role: Role | None = None, **overrides) -> Task:
    n = next(_counter)
    values = {
        "title": f"Task {n}",
        "cadence": Task.Cadence.DAILY,
        "effort_hours": Decimal("1.00"),
        "start_date": MONDAY,
    }
    values.update(overrides)
    return Task.objects.create(team=team or make_team(), role=role or make_role(), **values)


def make_assignment(task: Task, member: TeamMember, share_percent: int = 100, **overrides) -> Assignment:
    return Assignment.objects.create(task=task, member=member, share_percent=share_percent, **overrides)
