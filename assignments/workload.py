"""The workload engine: DESIGN.md "Workload rules (exact)", to the letter.

``team_workload`` loads one team and a window of whole ISO weeks in a fixed
number of queries (four, whatever the team's size) and computes, for every
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

- Inactive members are ignored everywhere: not listed, their hours and
  holdings do not count, and their shares do not count towards a task's
  assigned share (so ``task_unassigned`` shows work nobody active covers).
- A time-off day removes an occurrence on any day it covers, weekend included
  (a Saturday task during a week's leave is uncovered too); capacity only
  counts working days.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from roles.models import Role, RoleHolding, Team, TeamMember, TimeOff

from .models import DualRoleAcknowledgement, Task

OPERATIONAL = Role.Focus.OPERATIONAL.value
STRATEGIC = Role.Focus.STRATEGIC.value
MAX_WEEKS = 26  # one request cannot ask for years
ONE_DAY = datetime.timedelta(days=1)


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
    sign = -1 if value < 0 else 1
    hundredths = (abs(value) * 200 + 1) // 2
    return (Decimal(sign * hundredths) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def band_of(total: Fraction, capacity: Fraction) -> str:
    """The band from the exact ratio, never the rounded one; thresholds are settings."""
    if capacity == 0:
        return Band.OFF if total == 0 else Band.OVER
    ratio = total / capacity
    if ratio < Fraction(settings.TEAMPLANNER_BAND_HEALTHY_MIN):
        return Band.UNDER
    if ratio <= Fraction(settings.TEAMPLANNER_BAND_HEALTHY_MAX):
        return Band.HEALTHY
    if ratio <= Fraction(settings.TEAMPLANNER_BAND_FULL_MAX):
        return Band.FULL
    return Band.OVER


@dataclass(frozen=True)
class MemberInfo:
    id: int
    email: str
    name: str
    weekly_capacity_hours: Decimal


@dataclass(frozen=True)
class RoleInfo:
    id: int
    slug: str
    name: str
    focus: str


@dataclass(frozen=True)
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

    @property
    def total_hours(self) -> Fraction:
        return self.operational_hours + self.strategic_hours

    @property
    def utilization(self) -> Fraction | None:
        return None if self.capacity_hours == 0 else self.total_hours / self.capacity_hours

    @property
    def band(self) -> str:
        return band_of(self.total_hours, self.capacity_hours)


@dataclass
class MemberWorkload:
    member: MemberInfo
    weeks: list[WeekLoad]
    acknowledged: bool = False
    holdings: list[RoleInfo] = field(default_factory=list)  # roles held in the window

    @property
    def operational_hours(self) -> Fraction:
        return sum((week.operational_hours for week in self.weeks), Fraction(0))

    @property
    def strategic_hours(self) -> Fraction:
        return sum((week.strategic_hours for week in self.weeks), Fraction(0))


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a task for one assignee; ``hours`` is the assignee's share of it."""

    task: TaskInfo
    member: MemberInfo
    date: datetime.date
    hours: Fraction
    covered: bool  # False: it falls in the member's time off and counts nowhere


@dataclass
class TeamWorkload:
    team: Team
    weeks: list[datetime.date]
    members: list[MemberWorkload]
    totals: list[WeekLoad]
    tasks: list[TaskInfo]
    # task id -> assigned share of active members
    assigned_shares: dict[int, int]
    # the occurrences that fell in time off; with ``collect_occurrences`` all of them
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
    days = (last - first).days + 1
    full_weeks, rest = divmod(days, 7)
    count = full_weeks * len(working)
    weekday = first.weekday()
    for offset in range(rest):
        if (weekday + offset) % 7 in working:
            count += 1
    return count


def _monthly_dates(task_start: datetime.date, first: datetime.date, last: datetime.date):
    """The task's day of the month in each month of first..last (the last day of a shorter month)."""
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        day = min(task_start.day, calendar.monthrange(year, month)[1])
        date = datetime.date(year, month, day)
        if first <= date <= last:
            yield date
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def load_window(*, team: Team, start: datetime.date, end: datetime.date):
    """The rows the engine needs, in four queries: members, time off, holdings, tasks with assignments."""
    acknowledged = DualRoleAcknowledgement.objects.filter(member=OuterRef("pk")).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=end)
    )
    members = list(
        TeamMember.objects.filter(team=team, is_active=True)
        .annotate(acknowledged=Exists(acknowledged))
        .order_by("full_name", "email")
        .values_list("id", "email", "full_name", "weekly_capacity_hours", "acknowledged")
    )
    in_team = {"member__team": team, "member__is_active": True}
    time_off = list(
        TimeOff.objects.filter(**in_team, start_date__lte=end, end_date__gte=start).values_list(
            "member_id", "start_date", "end_date"
        )
    )
    holdings = list(
        RoleHolding.objects.filter(**in_team, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .values_list("member_id", "role_id", "role__slug", "role__name", "role__focus")
    )
    # One row per assignment, or one row of NULLs for a task nobody is assigned to.
    tasks = list(
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
            "assignments__member_id",
            "assignments__share_percent",
            "assignments__start_date",
            "assignments__end_date",
        )
    )
    return members, time_off, holdings, tasks


def team_workload(
    *,
    team: Team,
    start: datetime.date,
    weeks: int,
    collect_occurrences: bool = False,
) -> TeamWorkload:
    """Workload and flags of ``team`` for ``weeks`` ISO weeks from the week holding ``start``."""
    from .flags import team_flags  # flags read the result; they import this module

    start = monday_of(start)
    day_count = weeks * 7
    end = start + datetime.timedelta(days=day_count - 1)
    working = frozenset(settings.TEAMPLANNER_WORKING_DAYS)
    member_rows, time_off_rows, holding_rows, task_rows = load_window(team=team, start=start, end=end)

    # Day indexes 0..day_count-1 from the window's Monday; prefix[i] counts working days before i.
    is_working = [(index % 7) in working for index in range(day_count)]
    working_prefix = [0]
    for flag in is_working:
        working_prefix.append(working_prefix[-1] + flag)

    members = [MemberInfo(id=r[0], email=r[1], name=r[2], weekly_capacity_hours=r[3]) for r in member_rows]
    slot = {member.id: position for position, member in enumerate(members)}

    # Time off as a per-member set of day indexes, and a prefix count of working days off.
    days_off: dict[int, set[int]] = defaultdict(set)
    for member_id, first, last in time_off_rows:
        low, high = max((first - start).days, 0), min((last - start).days, day_count - 1)
        days_off[member_id].update(range(low, high + 1))
    off_prefix: dict[int, list[int]] = {}
    for member_id, off in days_off.items():
        prefix = [0]
        for index in range(day_count):
            prefix.append(prefix[-1] + (is_working[index] and index in off))
        off_prefix[member_id] = prefix

    # Accumulators: ten-thousandths of an hour, keyed by divisor (1 unless a one-off task).
    focus_slot = {OPERATIONAL: 0, STRATEGIC: 1}
    whole = [0] * (len(members) * weeks * 2)
    divided: dict[tuple[int, int], int] = defaultdict(int)  # (accumulator index, divisor) -> numerator
    occurrences: list[Occurrence] = []
    tasks: dict[int, TaskInfo] = {}
    assigned_shares: dict[int, int] = {}
    far = datetime.date.max

    for row in task_rows:
        task_id = row[0]
        task = tasks.get(task_id)
        if task is None:
            role = RoleInfo(id=row[2], slug=row[3], name=row[4], focus=row[5])
            task = TaskInfo(task_id, row[1], role, row[6], row[7], row[8], row[9])
            tasks[task_id] = task
            assigned_shares[task_id] = 0
        member_id, share = row[10], row[11]
        position = slot.get(member_id)
        if position is None:  # no assignee, or an inactive one
            continue
        assigned_shares[task_id] += share
        first = max(task.start_date, row[12] or task.start_date, start)
        last = min(task.end_date or far, row[13] or far, end)
        low, high = (first - start).days, (last - start).days
        if low > high:
            continue
        cadence = task.cadence
        numerator = int(task.effort_hours * 100) * share  # ten-thousandths of an hour
        divisor = 1
        base = (position * weeks) * 2 + focus_slot[task.role.focus]
        off = days_off.get(member_id)
        member = members[position]

        if cadence == Task.Cadence.DAILY or cadence == Task.Cadence.ONCE:
            if cadence == Task.Cadence.ONCE:
                divisor = _working_days_between(task.start_date, task.end_date, working)
                if divisor == 0:  # no working day in its dates: all of it on the end date
                    divisor = 1
                    single = (task.end_date - start).days
                    dates = [single] if low <= single <= high else []
                    _add_days(
                        dates,
                        whole,
                        divided,
                        base,
                        numerator,
                        divisor,
                        off,
                        task,
                        member,
                        start,
                        occurrences,
                        collect_occurrences,
                    )
                    continue
            prefix = off_prefix.get(member_id)
            for week in range(low // 7, high // 7 + 1):
                week_low, week_high = max(low, week * 7), min(high, week * 7 + 6)
                count = working_prefix[week_high + 1] - working_prefix[week_low]
                if prefix is not None:
                    missed = prefix[week_high + 1] - prefix[week_low]
                    if missed:
                        count -= missed
                        for index in range(week_low, week_high + 1):
                            if is_working[index] and index in off:
                                occurrences.append(
                                    Occurrence(
                                        task,
                                        member,
                                        start + datetime.timedelta(days=index),
                                        Fraction(numerator, divisor * 10000),
                                        covered=False,
                                    )
                                )
                if collect_occurrences:
                    for index in range(week_low, week_high + 1):
                        if is_working[index] and not (off and index in off):
                            occurrences.append(
                                Occurrence(
                                    task,
                                    member,
                                    start + datetime.timedelta(days=index),
                                    Fraction(numerator, divisor * 10000),
                                    covered=True,
                                )
                            )
                if count:
                    if divisor == 1:
                        whole[base + week * 2] += count * numerator
                    else:
                        divided[(base + week * 2, divisor)] += count * numerator
        elif cadence == Task.Cadence.WEEKLY:
            weekday = task.start_date.weekday()
            dates = [week * 7 + weekday for week in range(low // 7, high // 7 + 1)]
            dates = [index for index in dates if low <= index <= high]
            _add_days(
                dates, whole, divided, base, numerator, 1, off, task, member, start, occurrences, collect_occurrences
            )
        else:  # monthly
            dates = [(date - start).days for date in _monthly_dates(task.start_date, first, last)]
            _add_days(
                dates, whole, divided, base, numerator, 1, off, task, member, start, occurrences, collect_occurrences
            )

    week_starts = [start + datetime.timedelta(days=7 * week) for week in range(weeks)]
    divided_by_slot: dict[int, Fraction] = defaultdict(Fraction)
    for (index, divisor), numerator in divided.items():
        divided_by_slot[index] += Fraction(numerator, divisor)

    holdings: dict[int, list[RoleInfo]] = defaultdict(list)
    for member_id, role_id, slug, name, focus in holding_rows:
        role = RoleInfo(role_id, slug, name, focus)
        if role not in holdings[member_id]:
            holdings[member_id].append(role)

    workloads = []
    for position, member in enumerate(members):
        off = days_off.get(member.id, ())
        loads = []
        for week in range(weeks):
            available = sum(1 for index in range(week * 7, week * 7 + 7) if is_working[index] and index not in off)
            working_in_week = working_prefix[week * 7 + 7] - working_prefix[week * 7]
            capacity = (
                Fraction(member.weekly_capacity_hours) * available / working_in_week if working_in_week else Fraction(0)
            )
            base = (position * weeks + week) * 2
            loads.append(
                WeekLoad(
                    week=week_starts[week],
                    operational_hours=(whole[base] + divided_by_slot.get(base, 0)) / Fraction(10000),
                    strategic_hours=(whole[base + 1] + divided_by_slot.get(base + 1, 0)) / Fraction(10000),
                    capacity_hours=capacity,
                )
            )
        workloads.append(
            MemberWorkload(
                member=member,
                weeks=loads,
                acknowledged=member_rows[position][4],
                holdings=holdings.get(member.id, []),
            )
        )

    totals = [
        WeekLoad(
            week=week_starts[week],
            operational_hours=sum((w.weeks[week].operational_hours for w in workloads), Fraction(0)),
            strategic_hours=sum((w.weeks[week].strategic_hours for w in workloads), Fraction(0)),
            capacity_hours=sum((w.weeks[week].capacity_hours for w in workloads), Fraction(0)),
        )
        for week in range(weeks)
    ]
    result = TeamWorkload(
        team=team,
        weeks=week_starts,
        members=workloads,
        totals=totals,
        tasks=list(tasks.values()),
        assigned_shares=assigned_shares,
        occurrences=occurrences,
    )
    result.flags = team_flags(result)
    return result


def _add_days(dates, whole, divided, base, numerator, divisor, off, task, member, start, occurrences, collect):
    """Count occurrences on the given day indexes; those in time off become uncovered occurrences."""
    for index in dates:
        covered = not (off and index in off)
        if covered:
            slot_index = base + (index // 7) * 2
            if divisor == 1:
                whole[slot_index] += numerator
            else:
                divided[(slot_index, divisor)] += numerator
        if collect or not covered:
            occurrences.append(
                Occurrence(
                    task, member, start + datetime.timedelta(days=index), Fraction(numerator, divisor * 10000), covered
                )
            )
