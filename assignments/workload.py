"""The workload engine: DESIGN.md "Workload rules (exact)", to the letter.

``team_workload`` loads one team and a window of whole ISO weeks in a fixed
number of queries (five, whatever the team's size) and computes, for every
active member and week, the operational, strategic and total hours, the
capacity, utilization and band, the team's weekly totals, and the flags
(``assignments.flags``).

Arithmetic is exact: hours are ``Fraction``s (a one-off task's effort spread
over three days is a third of it each day, not 0.333…), rounded half up to
two places only when shown (``round_half_up``). To stay fast on large teams
the inner loop adds integers: every share of an occurrence is
``effort cents × share percent / divisor`` ten-thousandths of an hour, where
the divisor is 1 for recurring tasks and the number of working days for a
one-off task, so each member-week keeps one integer per divisor.

Decisions where DESIGN.md is silent:

- Inactive members are not listed and their hours and holdings count
  nowhere, but their shares still count towards a task's assigned share, as
  DESIGN.md's "shares add up to" says and as the 100 % cap on writes counts
  them; the board marks such an assignee inactive so a manager hands it over.
- A time-off day removes an occurrence on any day it covers, weekend included
  (a Saturday task during a week's leave is uncovered too); capacity only
  counts working days.
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import gc
import math
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property, lru_cache

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from roles.models import Role, RoleHolding, Team, TeamMember, TimeOff

from .models import Assignment, DualRoleAcknowledgement, Task

OPERATIONAL = Role.Focus.OPERATIONAL.value
STRATEGIC = Role.Focus.STRATEGIC.value
MAX_WEEKS = 26  # one request cannot ask for years
UNITS_PER_HOUR = 10_000  # effort cents × share percent: ten-thousandths of an hour


class Band:
    UNDER = "under"
    HEALTHY = "healthy"
    FULL = "full"
    OVER = "over"
    OFF = "off"


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def round_half_up(value: Fraction | Decimal | int) -> Decimal:
    """Round an exact value half up to two places (1/200 → 0.01), for output only."""
    value = Fraction(value)
    numerator, denominator = abs(value.numerator), value.denominator
    hundredths = (numerator * 200 + denominator) // (2 * denominator)
    return Decimal(-hundredths if value < 0 else hundredths).scaleb(-2)


@lru_cache(maxsize=8)
def _as_fractions(values: tuple[Decimal, ...]) -> tuple[Fraction, ...]:
    return tuple(Fraction(value) for value in values)


def band_of(total: Fraction, capacity: Fraction) -> str:
    """The band from the exact ratio, never the rounded one; thresholds are settings."""
    if capacity == 0:
        return Band.OFF if total == 0 else Band.OVER
    healthy_min, healthy_max, full_max = _as_fractions(
        (
            settings.TEAMPLANNER_BAND_HEALTHY_MIN,
            settings.TEAMPLANNER_BAND_HEALTHY_MAX,
            settings.TEAMPLANNER_BAND_FULL_MAX,
        )
    )
    ratio = total / capacity
    if ratio < healthy_min:
        return Band.UNDER
    if ratio <= healthy_max:
        return Band.HEALTHY
    if ratio <= full_max:
        return Band.FULL
    return Band.OVER


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


@dataclass(frozen=True)
class WeekLoad:
    """One member's (or the team's) figures for one week, exact."""

    week: datetime.date
    operational_hours: Fraction
    strategic_hours: Fraction
    capacity_hours: Fraction

    @cached_property
    def total_hours(self) -> Fraction:
        return self.operational_hours + self.strategic_hours

    @cached_property
    def utilization(self) -> Fraction | None:
        return None if self.capacity_hours == 0 else self.total_hours / self.capacity_hours

    @cached_property
    def band(self) -> str:
        return band_of(self.total_hours, self.capacity_hours)


@dataclass
class MemberWorkload:
    member: MemberInfo
    weeks: list[WeekLoad]
    operational_hours: Fraction  # over the whole window
    strategic_hours: Fraction
    acknowledged: bool = False
    holdings: list[RoleInfo] = field(default_factory=list)  # roles held in the window


@dataclass(slots=True)
class Occurrence:
    """One occurrence of a task for one assignee (DESIGN.md rule 4)."""

    task: TaskInfo
    member: MemberInfo
    date: datetime.date
    units: int  # effort cents × share percent, to divide by ``divisor`` × UNITS_PER_HOUR
    divisor: int
    covered: bool  # False: it falls in the member's time off and counts nowhere

    @property
    def hours(self) -> Fraction:
        """The member's share of this occurrence."""
        return Fraction(self.units, self.divisor * UNITS_PER_HOUR)


@dataclass
class TeamWorkload:
    team: Team
    weeks: list[datetime.date]
    members: list[MemberWorkload]
    totals: list[WeekLoad]
    tasks: list[TaskInfo]
    # task id -> the shares of its active assignees, added up
    assigned_shares: dict[int, int]
    # the occurrences that fell in time off, and those of ``occurrences_of``
    occurrences: list[Occurrence]
    flags: list = field(default_factory=list)

    @property
    def start(self) -> datetime.date:
        return self.weeks[0]

    @property
    def end(self) -> datetime.date:
        return self.weeks[-1] + datetime.timedelta(days=6)


def _working_days_between(first: datetime.date, last: datetime.date, working: frozenset[int]) -> int:
    """Working days in first..last inclusive, without walking every day."""
    if last < first:
        return 0
    full_weeks, rest = divmod((last - first).days + 1, 7)
    weekday = first.weekday()
    return full_weeks * len(working) + sum(1 for offset in range(rest) if (weekday + offset) % 7 in working)


def _monthly_dates(task_start: datetime.date, first: datetime.date, last: datetime.date):
    """The task's day of the month in each month of first..last (the last day of a shorter month)."""
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        day = min(task_start.day, calendar.monthrange(year, month)[1])
        date = datetime.date(year, month, day)
        if first <= date <= last:
            yield date
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def window_querysets(*, team: Team, start: datetime.date, end: datetime.date):
    """The five queries the engine runs: members, time off, holdings, tasks, assignments."""
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
    # Every assignment of those tasks: all shares count towards the assigned share, active members' hours count.
    assignments = (
        Assignment.objects.filter(task__team=team, task__is_active=True, task__start_date__lte=end)
        .filter(Q(task__end_date__isnull=True) | Q(task__end_date__gte=start))
        .order_by()
        .values_list("task_id", "member_id", "share_percent", "start_date", "end_date")
    )
    return members, time_off, holdings, tasks, assignments


# Weekly counts travel packed in one integer, FIELD_BITS bits a week, so adding an
# assignment's whole window is one multiply-add however many weeks it spans. A
# field holds at most (effort cents × share) × occurrences summed over a member's
# assignments: far below 2**80 for any team.
FIELD_BITS = 80
FIELD_MASK = (1 << FIELD_BITS) - 1


def _pack(days: list[int]) -> int:
    """One count per week for these day indexes, packed."""
    packed = 0
    for index in days:
        packed += 1 << (FIELD_BITS * (index // 7))
    return packed


def _unpack(packed: int, weeks: int) -> list[int]:
    return [(packed >> (FIELD_BITS * week)) & FIELD_MASK for week in range(weeks)]


def _exact_hours(whole_units: int, divided_units: dict[int, int] | None) -> Fraction:
    """Hours from units of recurring work plus {divisor: units} of one-off work, exactly."""
    if not divided_units:
        return Fraction(whole_units, UNITS_PER_HOUR)
    common = math.lcm(*divided_units)
    units = whole_units * common + sum(value * (common // divisor) for divisor, value in divided_units.items())
    return Fraction(units, common * UNITS_PER_HOUR)


def _merge(into: dict[int, int], other: dict[int, int]) -> None:
    for divisor, value in other.items():
        into[divisor] = into.get(divisor, 0) + value


@contextmanager
def _cyclic_gc_paused():
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


def team_workload(*, team: Team, start: datetime.date, weeks: int, occurrences_of: int | None = None) -> TeamWorkload:
    """Workload and flags of ``team`` for ``weeks`` ISO weeks from the week holding ``start``.

    ``result.occurrences`` lists the uncovered occurrences, and with
    ``occurrences_of`` (a member id) that member's counted ones too (their duties).
    """
    with _cyclic_gc_paused():
        return _team_workload(team=team, start=start, weeks=weeks, occurrences_of=occurrences_of)


def _team_workload(
    *,
    team: Team,
    start: datetime.date,
    weeks: int,
    occurrences_of: int | None,
) -> TeamWorkload:
    from .flags import team_flags  # flags read the result; they import this module

    start = monday_of(start)
    day_count = weeks * 7
    end = start + datetime.timedelta(days=day_count - 1)
    working = frozenset(settings.TEAMPLANNER_WORKING_DAYS)
    member_rows, time_off_rows, holding_rows, task_rows, assignment_rows = (
        list(queryset) for queryset in window_querysets(team=team, start=start, end=end)
    )

    # Days are indexes 0..day_count-1 from the window's Monday.
    working_days = [index for index in range(day_count) if index % 7 in working]
    members = [MemberInfo(id=r[0], email=r[1], name=r[2], weekly_capacity_hours=r[3]) for r in member_rows]
    position_of = {member.id: position for position, member in enumerate(members)}
    days_off: dict[int, set[int]] = defaultdict(set)
    for member_id, first, last in time_off_rows:
        low, high = max((first - start).days, 0), min((last - start).days, day_count - 1)
        days_off[member_id].update(range(low, high + 1))

    def working_in(low: int, high: int) -> list[int]:
        return working_days[bisect.bisect_left(working_days, low) : bisect.bisect_right(working_days, high)]

    def occurrence_days(task: TaskInfo, low: int, high: int) -> tuple[list[int], int]:
        """Day indexes of the task's occurrences in low..high, and the divisor of its effort (rule 4)."""
        if task.cadence == Task.Cadence.DAILY:
            return working_in(low, high), 1
        if task.cadence == Task.Cadence.WEEKLY:
            first = low + (task.start_date.weekday() - low) % 7
            return list(range(first, high + 1, 7)), 1
        if task.cadence == Task.Cadence.MONTHLY:
            first, last = start + datetime.timedelta(days=low), start + datetime.timedelta(days=high)
            return [(date - start).days for date in _monthly_dates(task.start_date, first, last)], 1
        divisor = _working_days_between(task.start_date, task.end_date, working)
        if divisor == 0:  # no working day in its dates: all of it on the end date
            single = (task.end_date - start).days
            return ([single] if low <= single <= high else []), 1
        return working_in(low, high), divisor

    # Occurrence calendars by their shape, not by task: every daily task over the same days has the
    # same calendar, so a large team computes a few hundred calendars instead of one per task.
    windows: dict[tuple, tuple[list[int], int, int, frozenset[int]]] = {}

    def _window(task: TaskInfo, low: int, high: int) -> tuple[list[int], int, int, frozenset[int]]:
        """Days, effort divisor, packed weekly counts and the days as a set, for the task in low..high."""
        if task.cadence == Task.Cadence.DAILY:
            shape = (task.cadence, low, high)
        elif task.cadence == Task.Cadence.WEEKLY:
            shape = (task.cadence, low, high, task.start_date.weekday())
        elif task.cadence == Task.Cadence.MONTHLY:
            shape = (task.cadence, low, high, task.start_date.day)
        else:
            shape = (task.cadence, low, high, task.start_date, task.end_date)
        window = windows.get(shape)
        if window is None:
            days, divisor = occurrence_days(task, low, high)
            window = windows[shape] = (days, divisor, _pack(days), frozenset(days))
        return window

    # Per task: its info, window in day indexes, effort cents, focus and calendar over its own window.
    tasks: dict[int, tuple] = {}
    # Packed units per week: recurring work by (member position × 2 + focus), one-off work by that and divisor.
    packed_whole = [0] * (2 * len(members))
    packed_divided: dict[tuple[int, int], int] = defaultdict(int)
    occurrences: list[Occurrence] = []
    assigned_shares: dict[int, int] = {}
    focus_index = {OPERATIONAL: 0, STRATEGIC: 1}

    roles: dict[int, RoleInfo] = {}
    for row in task_rows:
        role = roles.get(row[2]) or roles.setdefault(
            row[2], RoleInfo(id=row[2], slug=row[3], name=row[4], focus=row[5])
        )
        info = TaskInfo(row[0], row[1], role, row[6], row[7], row[8], row[9])
        low = max((info.start_date - start).days, 0)
        high = min((info.end_date - start).days, day_count - 1) if info.end_date else day_count - 1
        window = _window(info, low, high) if low <= high else None
        tasks[info.id] = (info, low, high, int(info.effort_hours * 100), focus_index[role.focus], window)
        assigned_shares[info.id] = 0

    for task_id, member_id, share, assignment_start, assignment_end in assignment_rows:
        known = tasks.get(task_id)
        if known is None:  # created between the queries: next time
            continue
        assigned_shares[task_id] += share
        position = position_of.get(member_id)
        if position is None:  # an inactive member: their share stays, their hours count nowhere
            continue
        task, low, high, effort_cents, focus, window = known
        if assignment_start is not None or assignment_end is not None:
            # Rule 3: the later of the starts to the earlier of the ends.
            if assignment_start is not None:
                low = max(low, (assignment_start - start).days)
            if assignment_end is not None:
                high = min(high, (assignment_end - start).days)
            if low > high:
                continue
            window = _window(task, low, high)
        elif window is None:
            continue
        days, divisor, packed, day_set = window
        units = effort_cents * share
        member = members[position]
        off = days_off.get(member_id)
        missed = sorted(off.intersection(day_set)) if off else ()
        for index in missed:  # rule 5: reported, counted nowhere
            packed -= 1 << (FIELD_BITS * (index // 7))
            occurrences.append(
                Occurrence(task, member, start + datetime.timedelta(days=index), units, divisor, covered=False)
            )
        if divisor == 1:
            packed_whole[2 * position + focus] += units * packed
        else:
            packed_divided[(2 * position + focus, divisor)] += units * packed
        if member_id == occurrences_of:
            occurrences.extend(
                Occurrence(task, member, start + datetime.timedelta(days=index), units, divisor, covered=True)
                for index in days
                if index not in missed
            )

    # Unpack per member, focus and week: whole units, and {divisor: units} where one-off work is spread.
    whole = [_unpack(packed, weeks) for packed in packed_whole]
    divided: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)  # (slot, week) -> {divisor: units}
    for (slot, divisor), packed in packed_divided.items():
        for week, value in enumerate(_unpack(packed, weeks)):
            if value:
                divided[(slot, week)][divisor] = value

    week_starts = [start + datetime.timedelta(days=7 * week) for week in range(weeks)]
    holdings: dict[int, list[RoleInfo]] = defaultdict(list)
    for member_id, role_id, slug, name, focus in holding_rows:
        role = RoleInfo(role_id, slug, name, focus)
        if role not in holdings[member_id]:
            holdings[member_id].append(role)

    per_week = len(working)
    team_whole = [[0] * weeks, [0] * weeks]
    team_divided: list[list[dict[int, int]]] = [[{} for _ in range(weeks)] for _ in range(2)]
    team_capacity = [0] * weeks  # capacity cents × available days
    workloads = []
    for position, member in enumerate(members):
        off = days_off.get(member.id, ())
        capacity_cents = int(member.weekly_capacity_hours * 100)
        window_divided: list[dict[int, int]] = [{}, {}]
        loads = []
        for week in range(weeks):
            # Rule 2: capacity × available days ÷ working days of the week.
            available = per_week
            if off:
                available -= sum(1 for index in working_days[week * per_week : (week + 1) * per_week] if index in off)
            team_capacity[week] += capacity_cents * available
            hours = []
            for focus in (0, 1):
                slot = 2 * position + focus
                extra = divided.get((slot, week))
                team_whole[focus][week] += whole[slot][week]
                if extra:
                    _merge(team_divided[focus][week], extra)
                    _merge(window_divided[focus], extra)
                hours.append(_exact_hours(whole[slot][week], extra))
            capacity = Fraction(capacity_cents * available, 100 * per_week) if per_week else Fraction(0)
            loads.append(WeekLoad(week_starts[week], hours[0], hours[1], capacity))
        workloads.append(
            MemberWorkload(
                member=member,
                weeks=loads,
                operational_hours=_exact_hours(sum(whole[2 * position]), window_divided[0]),
                strategic_hours=_exact_hours(sum(whole[2 * position + 1]), window_divided[1]),
                acknowledged=member_rows[position][4],
                holdings=holdings.get(member.id, []),
            )
        )

    totals = [
        WeekLoad(
            week_starts[week],
            _exact_hours(team_whole[0][week], team_divided[0][week]),
            _exact_hours(team_whole[1][week], team_divided[1][week]),
            Fraction(team_capacity[week], 100 * per_week) if per_week else Fraction(0),
        )
        for week in range(weeks)
    ]
    result = TeamWorkload(
        team=team,
        weeks=week_starts,
        members=workloads,
        totals=totals,
        tasks=[known[0] for known in tasks.values()],
        assigned_shares=assigned_shares,
        occurrences=occurrences,
    )
    result.flags = team_flags(result)
    return result
