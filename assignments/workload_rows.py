"""The engine's first step: read one team's rows for a window, in six queries whatever its size.

Rows arrive as plain tuples (``values_list``): the engine reads tens of
thousands of them on a large team, and model instances would cost more than
the arithmetic. The small ``*Info`` classes are what the engine keeps of them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet

from roles.models import RoleHolding, Team, TeamMember, TimeOff

from .models import Assignment, Cover, DualRoleAcknowledgement, Task


@dataclass(slots=True)
class MemberInfo:
    id: int
    email: str
    name: str
    weekly_capacity_hours: Decimal


@dataclass(slots=True)
class RoleInfo:
    id: int
    slug: str
    name: str
    focus: str


@dataclass(slots=True)
class TaskInfo:
    id: int
    title: str
    role: RoleInfo
    cadence: str
    effort_hours: Decimal
    start_date: datetime.date
    end_date: datetime.date | None


@dataclass(slots=True)
class WindowRows:
    """What the engine reads, as tuples in the order of each query's ``values_list``."""

    members: list[tuple]  # id, email, full_name, weekly_capacity_hours, acknowledged
    time_off: list[tuple]  # member_id, start_date, end_date
    holdings: list[tuple]  # member_id, role_id, role slug, role name, role focus
    tasks: list[tuple]  # id, title, role_id, role slug, name, focus, cadence, effort_hours, start_date, end_date
    assignments: list[tuple]  # task_id, member_id, share_percent, start_date, end_date
    covers: list[tuple]  # task_id, assignee's member_id, substitute's member_id, start_date, end_date


def window_querysets(*, team: Team, start: datetime.date, end: datetime.date) -> tuple[QuerySet, ...]:
    """The six queries the engine runs: members, time off, holdings, tasks, assignments, covers."""
    acknowledged = DualRoleAcknowledgement.objects.filter(member=OuterRef("pk"), withdrawn_at__isnull=True).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=end)
    )
    members = (
        TeamMember.objects.filter(team=team, is_active=True)
        .annotate(acknowledged=Exists(acknowledged))
        .order_by("full_name", "email")
        .values_list("id", "email", "full_name", "weekly_capacity_hours", "acknowledged")
    )
    in_team = {"member__team": team, "member__is_active": True}
    # order_by(): no order needed, and the models' default orders would join other tables.
    time_off = (
        TimeOff.objects.filter(**in_team, start_date__lte=end, end_date__gte=start)
        .order_by()
        .values_list("member_id", "start_date", "end_date")
    )
    holdings = (
        RoleHolding.objects.filter(**in_team, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .order_by("role__position", "role__name")
        .values_list("member_id", "role_id", "role__slug", "role__name", "role__focus")
    )
    tasks = (
        Task.objects.filter(team=team, is_active=True, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .order_by("title", "id")
        .values_list(
            "id",
            "title",
            "role_id",
            "role__slug",
            "role__name",
            "role__focus",
            "cadence",
            "effort_hours",
            "start_date",
            "end_date",
        )
    )
    return members, time_off, holdings, tasks, *_work_querysets(team=team, start=start, end=end)


def _work_querysets(*, team: Team, start: datetime.date, end: datetime.date) -> tuple[QuerySet, QuerySet]:
    # The active members' assignments of those tasks (an inactive member's share counts nowhere).
    assignments = (
        Assignment.objects.filter(
            task__team=team, task__is_active=True, task__start_date__lte=end, member__is_active=True
        )
        .filter(Q(task__end_date__isnull=True) | Q(task__end_date__gte=start))
        .order_by()
        .values_list("task_id", "member_id", "share_percent", "start_date", "end_date")
    )
    # Covers only matter on the days an assignee is away: the engine looks them up there.
    covers = (
        Cover.objects.filter(
            assignment__task__team=team,
            assignment__task__is_active=True,
            member__is_active=True,
            start_date__lte=end,
            end_date__gte=start,
        )
        .order_by()
        .values_list("assignment__task_id", "assignment__member_id", "member_id", "start_date", "end_date")
    )
    return assignments, covers


def read_window(*, team: Team, start: datetime.date, end: datetime.date) -> WindowRows:
    return WindowRows(*(list(queryset) for queryset in window_querysets(team=team, start=start, end=end)))
