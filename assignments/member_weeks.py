"""The engine's last steps: from each member's accumulated units to their weeks and the team's totals.

docs/rules.md, "Workload (exact)", rules 1-2 (capacity) and 6-9 (hours, utilization, band, totals).
Units are integers (``workload`` explains them); hours become exact ``Fraction``s only here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from .calendars import OccurrenceCalendar
from .loads import MemberWorkload, Occurrence, WeekLoad, exact_hours
from .workload_rows import MemberInfo, RoleInfo, WindowRows


def _merge(into: dict[int, int], other: dict[int, int]) -> None:
    for divisor, value in other.items():
        into[divisor] = into.get(divisor, 0) + value


@dataclass
class Accumulated:
    """Each member's units per focus and week: ``slot`` is member position × 2 + focus index."""

    whole: list[list[int]]  # slot -> week -> units of recurring work
    divided: dict[tuple[int, int], dict[int, int]]  # (slot, week) -> {divisor: units} of one-off work
    occurrences: list[Occurrence]
    assigned_shares: dict[int, int]


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
