"""The workload engine: docs/rules.md, "Workload (exact)", to the letter.

``team_workload`` reads one team and a window of whole ISO weeks in six
queries (``workload_rows``), whatever the team's size, and returns numbers:
for every active member and week the operational, strategic and total hours,
the capacity, utilization and band, and the team's weekly totals. Flags are
computed from that result by ``flags.team_flags``; ``report.team_report``
joins the two for the pages, the API and the command.

It runs in named steps, each a function below: read the rows, build the
occurrence calendar (``calendars``), accumulate the assignments, then the
member weeks and the team totals.

Arithmetic is exact: hours are ``Fraction``s (a one-off task's effort spread
over three days is a third of it each day, not 0.333…), rounded half up to
two places only when shown (``formatting``). To stay fast on large teams the
inner loop adds integers: every share of an occurrence is
``effort cents × share percent / divisor`` ten-thousandths of an hour, where
the divisor is 1 for recurring tasks and the number of working days for a
one-off task, so each member-week keeps one integer per divisor.

Decisions where the rules are silent (docs/rules.md, "Decisions the project made"):

- Inactive members are not listed, and their hours, holdings and shares
  count nowhere: a task half held by someone who left is half assigned
  (``task_unassigned``), as the board and the 100 % cap on writes count it.
- A time-off day removes an occurrence on any day it covers, weekend included
  (a Saturday task during a week's leave is uncovered too); capacity only
  counts working days.
"""

from __future__ import annotations

import datetime
import gc
from collections import defaultdict
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import NamedTuple

from django.conf import settings

from roles.models import Role, Team

from .absences import Covers, covers_by_assignment, days_off_by_member, substitute_on
from .calendars import OccurrenceCalendar, TaskDays, assignment_span, monday_of, unpack_weeks, week_bit
from .loads import Occurrence, TeamWorkload, effort_cents
from .member_weeks import Accumulated, capacity_units, member_workloads, team_totals
from .workload_rows import MemberInfo, RoleInfo, TaskInfo, WindowRows, read_window

OPERATIONAL = Role.Focus.OPERATIONAL.value
STRATEGIC = Role.Focus.STRATEGIC.value
FOCUS_INDEX = {OPERATIONAL: 0, STRATEGIC: 1}
MAX_WEEKS = 26  # one request cannot ask for years


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while the engine allocates its many small, acyclic objects.

    On a large team the collector's repeated passes over a growing heap cost a
    third of the run and make the cost grow faster than the data (measured in
    docs/benchmarks.md); nothing the engine builds forms a cycle, so there is
    nothing for it to find. Reference counting still frees everything, and the
    collector is switched back on (if it was on) when the engine is done.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class TeamWindow:
    """One team's rows for a window of whole weeks, with the window's calendar: what the engine computes from.

    The preview computes a changed plan from the same rows (``with_assignments``), never from the database.
    """

    team: Team
    calendar: OccurrenceCalendar
    rows: WindowRows

    @property
    def weeks(self) -> int:
        return self.calendar.day_count // 7

    def with_assignments(self, assignments: list[tuple]) -> TeamWindow:
        return replace(self, rows=replace(self.rows, assignments=assignments))


def window_calendar(*, start: datetime.date, weeks: int) -> OccurrenceCalendar:
    """The calendar of ``weeks`` ISO weeks from the week holding ``start``."""
    return OccurrenceCalendar(start=monday_of(start), weeks=weeks, working=frozenset(settings.TEAMPLANNER_WORKING_DAYS))


def read_team_window(*, team: Team, start: datetime.date, weeks: int) -> TeamWindow:
    """The rows of ``team`` for ``weeks`` ISO weeks from the week holding ``start`` (six queries)."""
    calendar = window_calendar(start=start, weeks=weeks)
    rows = read_window(team=team, start=calendar.start, end=calendar.date_of(calendar.day_count - 1))
    return TeamWindow(team, calendar, rows)


@dataclass(frozen=True)
class WindowParts:
    """The engine's first steps over a window, which the suggestions reuse for every candidate."""

    members: list[MemberInfo]
    days_off: dict[int, set[int]]
    tasks: dict[int, TaskWindow]


def window_parts(window: TeamWindow) -> WindowParts:
    rows, calendar = window.rows, window.calendar
    members = [MemberInfo(id=r[0], email=r[1], name=r[2], weekly_capacity_hours=r[3]) for r in rows.members]
    return WindowParts(members, days_off_by_member(rows, calendar), task_windows(rows, calendar))


def team_workload(*, team: Team, start: datetime.date, weeks: int, occurrences_of: int | None = None) -> TeamWorkload:
    """Workload of ``team`` for ``weeks`` ISO weeks from the week holding ``start``.

    ``result.occurrences`` lists the uncovered occurrences, and with
    ``occurrences_of`` (a member id) that member's counted ones too (their duties).
    """
    with cyclic_gc_paused():
        return workload_of(read_team_window(team=team, start=start, weeks=weeks), occurrences_of=occurrences_of)


def workload_of(
    window: TeamWindow, *, occurrences_of: int | None = None, parts: WindowParts | None = None
) -> TeamWorkload:
    """The engine's steps over rows already read (``parts``: its first steps, when the caller has them)."""
    calendar, weeks = window.calendar, window.weeks
    parts = parts or window_parts(window)
    accumulated = accumulate_assignments(
        window.rows.assignments,
        calendar,
        parts.tasks,
        parts.members,
        parts.days_off,
        occurrences_of,
        covers=covers_by_assignment(window.rows, calendar),
    )
    capacities = capacity_units(parts.members, parts.days_off, calendar, weeks)
    return TeamWorkload(
        team=window.team,
        weeks=[calendar.date_of(7 * week) for week in range(weeks)],
        members=member_workloads(window.rows, calendar, parts.members, accumulated, capacities),
        totals=team_totals(calendar, accumulated, capacities),
        tasks=[known.task for known in parts.tasks.values()],
        assigned_shares=accumulated.assigned_shares,
        occurrences=accumulated.occurrences,
    )


class TaskWindow(NamedTuple):
    """A task inside the window: its own dates as day indexes, effort cents, focus index and occurrences."""

    task: TaskInfo
    low: int
    high: int
    effort_cents: int
    focus: int
    days: TaskDays | None  # None: the task's dates miss the window


def task_windows(rows: WindowRows, calendar: OccurrenceCalendar) -> dict[int, TaskWindow]:
    """Task id -> its window and calendar, in the order of the rows (title, id)."""
    roles: dict[int, RoleInfo] = {}
    tasks: dict[int, TaskWindow] = {}
    for row in rows.tasks:
        role = roles.get(row[2]) or roles.setdefault(row[2], RoleInfo(row[2], row[3], row[4], row[5]))
        task = TaskInfo(row[0], row[1], role, row[6], row[7], row[8], row[9], row[10])
        low, high = calendar.clamp(task.start_date, task.end_date)
        days = calendar.task_days(task, low, high) if low <= high else None
        tasks[task.id] = TaskWindow(task, low, high, effort_cents(task.effort_hours), FOCUS_INDEX[role.focus], days)
    return tasks


def _add(packed_whole: list[int], packed_divided: dict, slot: int, divisor: int, units: int) -> None:
    if divisor == 1:
        packed_whole[slot] += units
    else:
        packed_divided[(slot, divisor)] += units


def accumulate_assignments(
    assignments: list[tuple],
    calendar: OccurrenceCalendar,
    tasks: dict[int, TaskWindow],
    members: list[MemberInfo],
    days_off: dict[int, set[int]],
    occurrences_of: int | Collection[int] | None,
    covers: Covers | None = None,
) -> Accumulated:
    """Add every assignment's occurrences (rules 3 to 6) to its member's packed weekly units, and an away
    member's covered occurrences to their substitute's (Covers). ``occurrences_of``: the member (or the
    members, for the weekly digests) whose counted occurrences are listed too."""
    listed_of = {occurrences_of} if isinstance(occurrences_of, int) else set(occurrences_of or ())
    position_of = {member.id: position for position, member in enumerate(members)}
    packed_whole = [0] * (2 * len(members))
    packed_divided: dict[tuple[int, int], int] = defaultdict(int)
    occurrences: list[Occurrence] = []
    assigned_shares = dict.fromkeys(tasks, 0)
    for task_id, member_id, share, assignment_start, assignment_end in assignments:
        known = tasks.get(task_id)
        position = position_of.get(member_id)
        if known is None or position is None:  # created between the queries, or an inactive member
            continue
        assigned_shares[task_id] += share
        task, _low, _high, effort_cents, focus, days = known
        if assignment_start is not None or assignment_end is not None:
            days = _assignment_days(known, calendar, assignment_start, assignment_end)
        if days is None:
            continue
        units = effort_cents * share
        member = members[position]
        packed = days.packed
        off = days_off.get(member_id)
        missed = sorted(off.intersection(days.day_set)) if off else ()
        assignment_covers = covers.get((task_id, member_id)) if covers and missed else None
        for index in missed:  # rule 5: not the member's; reported, and counted for a substitute if any
            bit = week_bit(index)
            packed -= bit
            substitute = substitute_on(index, assignment_covers, position_of, days_off) if assignment_covers else None
            if substitute is not None:
                _add(packed_whole, packed_divided, 2 * substitute + focus, days.divisor, units * bit)
            covered_by = members[substitute] if substitute is not None else None
            occurrences.append(
                Occurrence(task, member, calendar.date_of(index), units, days.divisor, False, covered_by)
            )
        if days.divisor == 1:  # inline, not ``_add``: this runs once per assignment
            packed_whole[2 * position + focus] += units * packed
        else:
            packed_divided[(2 * position + focus, days.divisor)] += units * packed
        if member_id in listed_of:
            occurrences.extend(
                Occurrence(task, member, calendar.date_of(index), units, days.divisor, True)
                for index in days.days
                if index not in missed
            )
    whole, divided = _unpacked(packed_whole, packed_divided, calendar.day_count // 7)
    return Accumulated(whole, divided, occurrences, assigned_shares)


def _unpacked(packed_whole: list[int], packed_divided: dict, weeks: int) -> tuple[list[list[int]], dict]:
    """The packed weekly counts as one list per slot, and {(slot, week): {divisor: units}}."""
    divided: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for (slot, divisor), packed in packed_divided.items():
        for week, value in enumerate(unpack_weeks(packed, weeks)):
            if value:
                divided[(slot, week)][divisor] = value
    return [unpack_weeks(packed, weeks) for packed in packed_whole], divided


def _assignment_days(known: TaskWindow, calendar: OccurrenceCalendar, start, end) -> TaskDays | None:
    """Rule 3 (``assignment_span``) inside the window: the task's occurrences in it (None: none)."""
    low, high = calendar.clamp(*assignment_span(known.task, start, end))
    return calendar.task_days(known.task, low, high) if low <= high else None
