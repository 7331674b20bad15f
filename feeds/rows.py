"""What a calendar feed reads: a member's or a team's tasks, assignments, covers and time off, four queries
whatever the team's size.

Rows arrive as plain tuples (``values_list``), as the workload engine reads them (``workload_rows``): a
team's feed reads tens of thousands of assignments, and model instances would cost more than the feed.
They follow the engine's filters: active tasks, active members' assignments and time off, covers by
active members of active members' assignments. A team's feed reads no time-off reason: only the
member's own feed shows one (docs/rules.md, "Calendar feeds", Privacy).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db.models import QuerySet

from assignments.models import Assignment, Cover, Task
from roles.models import Team, TeamMember, TimeOff


class TaskRow(NamedTuple):
    id: int
    title: str
    description: str
    cadence: str
    effort_hours: Decimal
    start_date: datetime.date
    end_date: datetime.date | None
    role_name: str
    focus: str


class AssignmentRow(NamedTuple):
    id: int
    task_id: int
    member_id: int
    member_name: str
    share_percent: int
    start_date: datetime.date | None
    end_date: datetime.date | None


class CoverRow(NamedTuple):
    id: int
    assignment: AssignmentRow  # the away person's
    member_id: int  # the substitute
    member_name: str
    start_date: datetime.date
    end_date: datetime.date


class TimeOffRow(NamedTuple):
    id: int
    member_id: int
    member_name: str
    start_date: datetime.date
    end_date: datetime.date
    reason: str  # "" in a team's feed, which never reads it


@dataclass(frozen=True)
class FeedRows:
    tasks: dict[int, TaskRow]
    assignments: list[AssignmentRow]  # the duties shown as series
    covers: list[CoverRow]  # the covers whose days are shown (the substitute does them)
    time_off: list[TimeOffRow]  # everyone's the days need: the people shown, the away colleagues covered
    shown: set[int] | None  # whose time off is shown (None: everyone's)


_TASK = ("id", "title", "description", "cadence", "effort_hours", "start_date", "end_date", "role__name", "role__focus")
_ASSIGNMENT = ("id", "task_id", "member_id", "member__full_name", "share_percent", "start_date", "end_date")
_COVER = (
    "id",
    *(f"assignment__{field}" for field in ("id", "task_id", "member_id", "member__full_name", "share_percent")),
    "assignment__start_date",
    "assignment__end_date",
    "member_id",
    "member__full_name",
    "start_date",
    "end_date",
)
_TIME_OFF = ("id", "member_id", "member__full_name", "start_date", "end_date")


def member_rows(member: TeamMember) -> FeedRows:
    """A member's own duties, the duties they cover for away colleagues, and the time off these need."""
    assignments = _assignment_rows(
        Assignment.objects.filter(member=member, task__team_id=member.team_id, task__is_active=True)
    )
    covers = _cover_rows(Cover.objects.filter(member=member, assignment__task__team_id=member.team_id))
    task_ids = {row.task_id for row in assignments} | {cover.assignment.task_id for cover in covers}
    away = {member.pk, *(cover.assignment.member_id for cover in covers)}
    return FeedRows(
        tasks=_task_rows(Task.objects.filter(id__in=sorted(task_ids))),
        assignments=assignments,
        covers=covers,
        time_off=_time_off_rows(TimeOff.objects.filter(member_id__in=sorted(away)), with_reasons=True),
        shown={member.pk},
    )


def team_rows(team: Team) -> FeedRows:
    """Every duty of the team's active members, the covers between them, and their time off."""
    return FeedRows(
        tasks=_task_rows(Task.objects.filter(team=team)),
        assignments=_assignment_rows(Assignment.objects.filter(task__team=team, task__is_active=True).counted()),
        covers=_cover_rows(Cover.objects.filter(assignment__task__team=team, member__is_active=True)),
        time_off=_time_off_rows(TimeOff.objects.filter(member__team=team, member__is_active=True), with_reasons=False),
        shown=None,
    )


# order_by(): the rows are sorted in Python; the models' default orders would join other tables.
def _task_rows(tasks: QuerySet) -> dict[int, TaskRow]:
    return {row[0]: TaskRow(*row) for row in tasks.filter(is_active=True).order_by().values_list(*_TASK)}


def _assignment_rows(assignments: QuerySet) -> list[AssignmentRow]:
    return [AssignmentRow(*row) for row in assignments.order_by().values_list(*_ASSIGNMENT)]


def _cover_rows(covers: QuerySet) -> list[CoverRow]:
    """Covers of active members' assignments of active tasks (the substitute's activity: the caller's filter)."""
    covers = covers.filter(assignment__task__is_active=True, assignment__member__is_active=True)
    return [CoverRow(row[0], AssignmentRow(*row[1:8]), *row[8:]) for row in covers.order_by().values_list(*_COVER)]


def _time_off_rows(time_off: QuerySet, *, with_reasons: bool) -> list[TimeOffRow]:
    """The periods, with their reasons only for a member's own feed (the reason is the person's to share)."""
    if not with_reasons:
        return [TimeOffRow(*row, reason="") for row in time_off.order_by().values_list(*_TIME_OFF)]
    return [TimeOffRow(*row) for row in time_off.order_by().values_list(*_TIME_OFF, "reason")]
