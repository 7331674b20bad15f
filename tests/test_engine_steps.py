"""The engine's steps one by one, without the database: calendars, time off, capacity, totals.

Window: the two weeks from Monday 2026-11-30 (day index 0) to Sunday 12-13
(index 13); working days Monday to Friday.
"""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from assignments.calendars import (
    OccurrenceCalendar,
    monday_of,
    monthly_dates,
    pack_weeks,
    unpack_weeks,
    working_days_between,
)
from assignments.workload import Accumulated, capacity_units, days_off_by_member, team_totals
from assignments.workload_rows import MemberInfo, RoleInfo, TaskInfo, WindowRows

MONDAY = datetime.date(2026, 11, 30)
WORKING = frozenset(range(5))
ROLE = RoleInfo(1, "specialist", "Specialist", "operational")


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def task(cadence: str, start: str, end: str | None = None) -> TaskInfo:
    return TaskInfo(1, "Task", ROLE, cadence, Decimal(1), day(start), day(end) if end else None)


@pytest.fixture
def calendar():
    return OccurrenceCalendar(start=MONDAY, weeks=2, working=WORKING)


def rows(time_off=()) -> WindowRows:
    return WindowRows(members=[], time_off=list(time_off), holdings=[], tasks=[], assignments=[], covers=[])


def test_monday_of_any_day_is_the_monday_of_its_week():
    assert monday_of(day("2026-12-06")) == MONDAY
    assert monday_of(MONDAY) == MONDAY


def test_working_days_between_counts_without_walking():
    assert working_days_between(day("2026-12-03"), day("2026-12-07"), WORKING) == 3  # Thu, Fri, Mon
    assert working_days_between(day("2026-12-05"), day("2026-12-06"), WORKING) == 0  # a weekend
    assert working_days_between(day("2026-12-07"), day("2026-12-03"), WORKING) == 0  # reversed


def test_monthly_dates_fall_on_the_last_day_of_a_shorter_month():
    dates = list(monthly_dates(day("2026-01-31"), day("2026-11-01"), day("2027-02-28")))
    assert dates == [day("2026-11-30"), day("2026-12-31"), day("2027-01-31"), day("2027-02-28")]


def test_packed_weeks_round_trip():
    assert unpack_weeks(pack_weeks([0, 1, 6, 7, 13]), 2) == [3, 2]


def test_calendar_daily_task_occurs_on_working_days_only(calendar):
    found = calendar.task_days(task("daily", "2026-11-30"), 0, 13)
    assert found.days == [0, 1, 2, 3, 4, 7, 8, 9, 10, 11]
    assert found.divisor == 1
    assert unpack_weeks(found.packed, 2) == [5, 5]


def test_calendar_weekly_task_keeps_the_weekday_of_its_own_start_even_on_saturday(calendar):
    saturday_task = task("weekly", "2026-11-07")  # a Saturday
    assert calendar.task_days(saturday_task, 0, 13).days == [5, 12]
    assert calendar.task_days(saturday_task, 6, 13).days == [12]  # an assignment from Sunday on


def test_calendar_monthly_task_on_the_31st_falls_on_30_november(calendar):
    assert calendar.task_days(task("monthly", "2026-10-31"), 0, 13).days == [0]


def test_calendar_once_task_is_divided_by_its_own_working_days(calendar):
    once = task("once", "2026-12-03", "2026-12-07")  # Thu, Fri, Mon: a third each
    found = calendar.task_days(once, 3, 7)
    assert found.days == [3, 4, 7]
    assert found.divisor == 3


def test_calendar_once_task_without_working_days_lands_on_its_end_date(calendar):
    weekend = task("once", "2026-12-05", "2026-12-06")
    assert calendar.task_days(weekend, 5, 6).days == [6]
    assert calendar.task_days(weekend, 5, 6).divisor == 1


def test_calendar_shares_one_calendar_between_tasks_of_the_same_shape(calendar):
    first = calendar.task_days(task("daily", "2026-11-30"), 0, 13)
    assert calendar.task_days(task("daily", "2026-01-01"), 0, 13) is first


def test_calendar_clamps_dates_to_the_window(calendar):
    assert calendar.clamp(day("2026-11-01"), None) == (0, 13)
    assert calendar.clamp(day("2026-12-03"), day("2027-01-01")) == (3, 13)
    low, high = calendar.clamp(day("2027-01-01"), None)
    assert low > high


def test_days_off_are_clipped_to_the_window(calendar):
    off = days_off_by_member(
        rows([(7, day("2026-11-25"), day("2026-12-01")), (7, day("2026-12-13"), day("2027-01-09"))]), calendar
    )
    assert off == {7: {0, 1, 13}}


def test_capacity_counts_available_working_days_only(calendar):
    members = [MemberInfo(7, "a@x.com", "A", Decimal(40)), MemberInfo(8, "b@x.com", "B", Decimal("0"))]
    days_off = {7: {0, 1, 5, 6}}  # Monday, Tuesday and the weekend of week 1
    units = capacity_units(members, days_off, calendar, 2)
    assert units == [[4000 * 3, 4000 * 5], [0, 0]]  # weekend days off change nothing


def test_team_totals_add_hours_and_capacity_then_divide(calendar):
    # Two members (slots 0-1 and 2-3): 10 h operational and 5 h strategic in week 1; a third of 3 h one-off in week 2.
    accumulated = Accumulated(
        whole=[[100_000, 0], [0, 0], [0, 0], [50_000, 0]],
        divided={(2, 1): {3: 30_000}},
        occurrences=[],
        assigned_shares={},
    )
    totals = team_totals(calendar, accumulated, [[4000 * 5, 4000 * 5], [2000 * 5, 2000 * 5]])
    assert [(t.operational_hours, t.strategic_hours, t.capacity_hours) for t in totals] == [
        (Fraction(10), Fraction(5), Fraction(60)),
        (Fraction(1), Fraction(0), Fraction(60)),
    ]
    assert totals[0].utilization == Fraction(1, 4)
