"""The workload engine: docs/rules.md, "Workload (exact)", to the letter.

``team_workload`` reads one team and a window of whole ISO weeks in five
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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import NamedTuple

from django.conf import settings

from roles.models import Role, Team

from .calendars import OccurrenceCalendar, TaskDays, monday_of, unpack_weeks, week_bit
from .loads import MemberWorkload, Occurrence, TeamWorkload, WeekLoad, exact_hours
from .workload_rows import MemberInfo, RoleInfo, TaskInfo, WindowRows, read_window

OPERATIONAL = Role.Focus.OPERATIONAL.value
STRATEGIC = Role.Focus.STRATEGIC.value
FOCUS_INDEX = {OPERATIONAL: 0, STRATEGIC: 1}
MAX_WEEKS = 26  # one request cannot ask for years


def _merge(into: dict[int, int], other: dict[int, int]) -> None:
    for divisor, value in other.items():
        into[divisor] = into.get(divisor, 0) + value


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


def read_team_window(*, team: Team, start: datetime.date, weeks: int) -> TeamWindow:
    """The rows of ``team`` for ``weeks`` ISO weeks from the week holding ``start`` (five queries)."""
    calendar = OccurrenceCalendar(
        start=monday_of(start), weeks=weeks, working=frozenset(settings.TEAMPLANNER_WORKING_DAYS)
    )
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
        window.rows.assignments, calendar, parts.tasks, parts.members, parts.days_off, occurrences_of
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


def days_off_by_member(rows: WindowRows, calendar: OccurrenceCalendar) -> dict[int, set[int]]:
    """Member id -> the day indexes of the window inside their time off (rule 5)."""
    days_off: dict[int, set[int]] = defaultdict(set)
    for member_id, first, last in rows.time_off:
        low, high = calendar.clamp(first, last)
        days_off[member_id].update(range(low, high + 1))
    return days_off


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
        task = TaskInfo(row[0], row[1], role, row[6], row[7], row[8], row[9])
        low, high = calendar.clamp(task.start_date, task.end_date)
        days = calendar.task_days(task, low, high) if low <= high else None
        tasks[task.id] = TaskWindow(task, low, high, int(task.effort_hours * 100), FOCUS_INDEX[role.focus], days)
    return tasks


@dataclass
class Accumulated:
    """Each member's units per focus and week: ``slot`` is member position × 2 + focus index."""

    whole: list[list[int]]  # slot -> week -> units of recurring work
    divided: dict[tuple[int, int], dict[int, int]]  # (slot, week) -> {divisor: units} of one-off work
    occurrences: list[Occurrence]
    assigned_shares: dict[int, int]


def accumulate_assignments(
    assignments: list[tuple],
    calendar: OccurrenceCalendar,
    tasks: dict[int, TaskWindow],
    members: list[MemberInfo],
    days_off: dict[int, set[int]],
    occurrences_of: int | None,
) -> Accumulated:
    """Add every assignment's occurrences (rules 3 to 6) to its member's packed weekly units."""
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
        task, low, high, effort_cents, focus, days = known
        if assignment_start is not None or assignment_end is not None:
            # Rule 3: the later of the starts to the earlier of the ends.
            if assignment_start is not None:
                low = max(low, calendar.index_of(assignment_start))
            if assignment_end is not None:
                high = min(high, calendar.index_of(assignment_end))
            if low > high:
                continue
            days = calendar.task_days(task, low, high)
        elif days is None:
            continue
        units = effort_cents * share
        member = members[position]
        packed = days.packed
        off = days_off.get(member_id)
        missed = sorted(off.intersection(days.day_set)) if off else ()
        for index in missed:  # rule 5: reported, counted nowhere
            packed -= week_bit(index)
            occurrences.append(Occurrence(task, member, calendar.date_of(index), units, days.divisor, False))
        if days.divisor == 1:
            packed_whole[2 * position + focus] += units * packed
        else:
            packed_divided[(2 * position + focus, days.divisor)] += units * packed
        if member_id == occurrences_of:
            occurrences.extend(
                Occurrence(task, member, calendar.date_of(index), units, days.divisor, True)
                for index in days.days
                if index not in missed
            )
    weeks = calendar.day_count // 7
    divided: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for (slot, divisor), packed in packed_divided.items():
        for week, value in enumerate(unpack_weeks(packed, weeks)):
            if value:
                divided[(slot, week)][divisor] = value
    whole = [unpack_weeks(packed, weeks) for packed in packed_whole]
    return Accumulated(whole, divided, occurrences, assigned_shares)


def capacity_units(
    members: list[MemberInfo], days_off: dict[int, set[int]], calendar: OccurrenceCalendar, weeks: int
) -> list[list[int]]:
    """Member position -> week -> capacity cents × available days (rules 1 and 2, before dividing)."""
    per_week = len(calendar.working)
    working_days = calendar.working_days
    capacities = []
    for member in members:
        off = days_off.get(member.id)
        capacity_cents = int(member.weekly_capacity_hours * 100)
        available = [per_week] * weeks
        if off:
            for week in range(weeks):
                days = working_days[week * per_week : (week + 1) * per_week]
                available[week] -= sum(1 for index in days if index in off)
        capacities.append([capacity_cents * days for days in available])
    return capacities


def _capacity_hours(units: int, per_week: int) -> Fraction:
    """Rule 2: capacity × available days ÷ working days of the week."""
    return Fraction(units, 100 * per_week) if per_week else Fraction(0)


def member_workloads(
    rows: WindowRows,
    calendar: OccurrenceCalendar,
    members: list[MemberInfo],
    accumulated: Accumulated,
    capacities: list[list[int]],
) -> list[MemberWorkload]:
    """Every active member's weeks (rules 6 to 8), their window sums and the roles they hold."""
    holdings: dict[int, list[RoleInfo]] = defaultdict(list)
    for member_id, role_id, slug, name, focus in rows.holdings:
        role = RoleInfo(role_id, slug, name, focus)
        if role not in holdings[member_id]:
            holdings[member_id].append(role)
    per_week = len(calendar.working)
    whole, divided = accumulated.whole, accumulated.divided
    workloads = []
    for position, member in enumerate(members):
        window_divided: list[dict[int, int]] = [{}, {}]
        loads = []
        for week, capacity in enumerate(capacities[position]):
            hours = []
            for focus in (0, 1):
                slot = 2 * position + focus
                extra = divided.get((slot, week))
                if extra:
                    _merge(window_divided[focus], extra)
                hours.append(exact_hours(whole[slot][week], extra))
            loads.append(WeekLoad(calendar.date_of(7 * week), hours[0], hours[1], _capacity_hours(capacity, per_week)))
        workloads.append(
            MemberWorkload(
                member=member,
                weeks=loads,
                operational_hours=exact_hours(sum(whole[2 * position]), window_divided[0]),
                strategic_hours=exact_hours(sum(whole[2 * position + 1]), window_divided[1]),
                acknowledged=rows.members[position][4],
                holdings=holdings.get(member.id, []),
            )
        )
    return workloads


def team_totals(calendar: OccurrenceCalendar, accumulated: Accumulated, capacities: list[list[int]]) -> list[WeekLoad]:
    """Rule 9: every listed member's hours and capacity added up per week; utilization from the sums."""
    weeks = calendar.day_count // 7
    whole = [[0] * weeks, [0] * weeks]
    divided: list[list[dict[int, int]]] = [[{} for _ in range(weeks)] for _ in range(2)]
    for slot, units in enumerate(accumulated.whole):
        focus_whole = whole[slot % 2]
        for week, value in enumerate(units):
            focus_whole[week] += value
    for (slot, week), extra in accumulated.divided.items():
        _merge(divided[slot % 2][week], extra)
    capacity = [sum(column) for column in zip(*capacities, strict=True)] if capacities else [0] * weeks
    per_week = len(calendar.working)
    return [
        WeekLoad(
            calendar.date_of(7 * week),
            exact_hours(whole[0][week], divided[0][week]),
            exact_hours(whole[1][week], divided[1][week]),
            _capacity_hours(capacity[week], per_week),
        )
        for week in range(weeks)
    ]
