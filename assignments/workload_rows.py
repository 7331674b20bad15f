"""The engine's first step: read one team's rows for a window, in six queries whatever its size; or some
members' rows only (``read_members_window``, seven queries whatever the team's size).

Rows arrive as plain tuples (``values_list``): the engine reads tens of
thousands of them on a large team, and model instances would cost more than
the arithmetic. The small ``*Info`` classes are what the engine keeps of them.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When

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
    # The team has RACI on and no active member of the team is the task's Accountable (docs/rules.md, "RACI")
    accountable_missing: bool = False


@dataclass(slots=True)
class WindowRows:
    """What the engine reads, as tuples in the order of each query's ``values_list``."""

    members: list[tuple]  # id, email, full_name, weekly_capacity_hours, acknowledged
    time_off: list[tuple]  # member_id, start_date, end_date
    holdings: list[tuple]  # member_id, role_id, role slug, role name, role focus
    # id, title, role_id, role slug, name, focus, cadence, effort_hours, start_date, end_date, accountable_missing
    tasks: list[tuple]
    assignments: list[tuple]  # task_id, member_id, share_percent, start_date, end_date
    covers: list[tuple]  # task_id, assignee's member_id, substitute's member_id, start_date, end_date


def _acknowledged(end: datetime.date) -> Exists:
    """A dual-role acknowledgement that stands for the whole window (docs/rules.md, "Flags (exact)")."""
    standing = DualRoleAcknowledgement.objects.filter(member=OuterRef("pk"), withdrawn_at__isnull=True)
    return Exists(standing.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=end)))


def _members(team: Team, end: datetime.date, *only: Q) -> QuerySet:
    return (
        TeamMember.objects.filter(*only, team=team, is_active=True)
        .annotate(acknowledged=_acknowledged(end))
        .order_by("full_name", "email")
        .values_list("id", "email", "full_name", "weekly_capacity_hours", "acknowledged")
    )


def _time_off(team: Team, start: datetime.date, end: datetime.date, *only: Q) -> QuerySet:
    # order_by(): no order needed, and the models' default orders would join other tables.
    return (
        TimeOff.objects.filter(
            *only, member__team=team, member__is_active=True, start_date__lte=end, end_date__gte=start
        )
        .order_by()
        .values_list("member_id", "start_date", "end_date")
    )


def _holdings(team: Team, start: datetime.date, end: datetime.date) -> QuerySet:
    """The active members' holdings in the window (unordered rows)."""
    return (
        RoleHolding.objects.filter(member__team=team, member__is_active=True, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .order_by()
    )


def _holding_rows(holdings: QuerySet) -> QuerySet:
    return holdings.order_by("role__position", "role__name").values_list(
        "member_id", "role_id", "role__slug", "role__name", "role__focus"
    )


def in_window(start: datetime.date, end: datetime.date, *, through: str = "") -> Q:
    """A task in the window: active, its dates overlapping it; ``through`` is the path to the task from the
    table queried ("task__" from assignments)."""
    return Q(**{f"{through}is_active": True, f"{through}start_date__lte": end}) & (
        Q(**{f"{through}end_date__isnull": True}) | Q(**{f"{through}end_date__gte": start})
    )


def _tasks(team: Team, start: datetime.date, end: datetime.date) -> QuerySet:
    """The team's tasks in the window (unordered rows)."""
    return Task.objects.filter(in_window(start, end), team=team).order_by()


# A task's Accountable answers for it while an active member of the task's team (docs/rules.md, "RACI").
ACCOUNTABLE_HOLDS = Q(accountable__is_active=True, accountable__team_id=F("team_id"))
ACCOUNTABLE_HELD = Case(When(ACCOUNTABLE_HOLDS, then=Value(True)), default=Value(False), output_field=BooleanField())
# Read with the task, not from the caller's team: the team row read in the same query as the rest of the plan.
ACCOUNTABLE_MISSING = Case(
    When(team__raci_enabled=False, then=Value(False)),
    When(ACCOUNTABLE_HOLDS, then=Value(False)),
    default=Value(True),
    output_field=BooleanField(),
)


def _task_rows(tasks: QuerySet) -> QuerySet:
    return (
        tasks.order_by("title", "id")
        .annotate(accountable_missing=ACCOUNTABLE_MISSING)
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
            "accountable_missing",
        )
    )


def _assignments(team: Team, start: datetime.date, end: datetime.date) -> QuerySet:
    """The active members' assignments of the tasks in the window (an inactive member's share counts nowhere)."""
    return Assignment.objects.filter(
        in_window(start, end, through="task__"), task__team=team, member__is_active=True
    ).order_by()


def _assignment_rows(assignments: QuerySet) -> QuerySet:
    return assignments.values_list("task_id", "member_id", "share_percent", "start_date", "end_date")


def _covers(team: Team, start: datetime.date, end: datetime.date) -> QuerySet:
    """Covers by active members of the team's active tasks, overlapping the window. They only matter on the
    days an assignee is away: the engine looks them up there."""
    return Cover.objects.filter(
        assignment__task__team=team,
        assignment__task__is_active=True,
        member__is_active=True,
        start_date__lte=end,
        end_date__gte=start,
    ).order_by()


def _cover_rows(covers: QuerySet) -> QuerySet:
    return covers.values_list("assignment__task_id", "assignment__member_id", "member_id", "start_date", "end_date")


def window_querysets(*, team: Team, start: datetime.date, end: datetime.date) -> tuple[QuerySet, ...]:
    """The six queries the engine runs: members, time off, holdings, tasks, assignments, covers."""
    return (
        _members(team, end),
        _time_off(team, start, end),
        _holding_rows(_holdings(team, start, end)),
        _task_rows(_tasks(team, start, end)),
        _assignment_rows(_assignments(team, start, end)),
        _cover_rows(_covers(team, start, end)),
    )


def read_window(*, team: Team, start: datetime.date, end: datetime.date) -> WindowRows:
    return WindowRows(*(list(queryset) for queryset in window_querysets(team=team, start=start, end=end)))


def members_covers_queryset(
    *, team: Team, member_ids: Collection[int], start: datetime.date, end: datetime.date
) -> QuerySet:
    """The covers touching some members, as the engine reads covers with the assignment's id first: those of
    their assignments (by their substitutes) and those by them (of the away colleagues they cover).

    Two simple halves joined by UNION, each found by an index (a cover's substitute; an assignee's
    assignments): one OR over both misleads PostgreSQL's planner into reading every assignment."""
    ids = list(member_ids)
    fields = ("assignment_id", "assignment__task_id", "assignment__member_id", "member_id", "start_date", "end_date")
    by_them = _covers(team, start, end).filter(member_id__in=ids).values_list(*fields)
    of_theirs = _covers(team, start, end).filter(assignment__member_id__in=ids).values_list(*fields)
    return by_them.union(of_theirs)


def members_window_querysets(
    *, team: Team, member_ids: Collection[int], covers: list[tuple], start: datetime.date, end: datetime.date
) -> tuple[QuerySet, ...]:
    """For some members of ``team``, given the covers touching them (``members_covers_queryset``): the
    engine's queries but covers, over their rows only, and one more, the roles they hold that a single
    active member of the team holds and a team task in the window uses (``single_holder``).

    To know who does what on days away they read, besides these members' rows, the members and time off of
    everyone the covers name (substitutes, and away colleagues), and the assignments these members cover.
    Conditions are on each table's own indexed columns, with the ids as literals, so that SQLite and
    PostgreSQL both find the rows by their indexes whatever the team's size.
    """
    ids = list(member_ids)
    named = sorted({*ids, *(row[2] for row in covers), *(row[3] for row in covers)})
    covered_by_them = sorted({row[0] for row in covers if row[3] in member_ids})
    assignments = _assignments(team, start, end).filter(Q(member_id__in=ids) | Q(id__in=covered_by_them))
    holdings = _holdings(team, start, end)
    single_held = (
        holdings.filter(role_id__in=_tasks(team, start, end).values("role_id"))
        .filter(role_id__in=holdings.filter(member_id__in=ids).values("role_id"))
        .values("role_id")
        .annotate(holders=Count("member_id", distinct=True))
        .filter(holders=1)
        .values_list("role_id", flat=True)
    )
    return (
        _members(team, end, Q(id__in=named)),
        _time_off(team, start, end, Q(member_id__in=named)),
        _holding_rows(holdings.filter(member_id__in=ids)),
        _task_rows(_tasks(team, start, end).filter(id__in=assignments.values("task_id"))),
        _assignment_rows(assignments),
        single_held,
    )


def read_members_window(
    *, team: Team, member_ids: Collection[int], start: datetime.date, end: datetime.date
) -> tuple[WindowRows, set[int]]:
    """The rows of some members of ``team`` the engine needs (seven queries whatever the team's size), and
    the ids of the roles they hold singly (``members_window_querysets``)."""
    covers = list(members_covers_queryset(team=team, member_ids=member_ids, start=start, end=end))
    *querysets, single_held = members_window_querysets(
        team=team, member_ids=member_ids, covers=covers, start=start, end=end
    )
    members, time_off, holdings, tasks, assignments = (list(queryset) for queryset in querysets)
    rows = WindowRows(members, time_off, holdings, tasks, assignments, [row[1:] for row in covers])
    return rows, set(single_held)
