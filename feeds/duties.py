"""What a calendar feed holds: each assignment as a series of days, the days covered for someone away, and
time off (docs/rules.md, "Calendar feeds").

A feed is not a window of weeks: it holds a plan's whole future and past, so a recurring duty is a rule
(``DutySeries.rule``: an RRULE's parts) with its first day, its last and the days it skips, not a list of
days. Every day it names is computed with the workload engine's own calendar (``OccurrenceCalendar`` over
the stretch in question): the first day of a series, the days a person is away (rule 5), the days a
substitute covers (Covers), a one-off task's working days and its share of the effort. The rule itself is
the one place that says the engine's rule 4 in RFC 5545's words; ``tests/test_feeds_expansion.py`` expands
it and compares every day and every hour with the engine.

Reading is four queries whatever the team's size (``rows``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings

from assignments.absences import substitute_for
from assignments.calendars import OccurrenceCalendar, assignment_span, monday_of, working_days_between
from assignments.loads import effort_cents, hours_of_units
from assignments.models import Task
from roles.models import Team, TeamMember

from .rows import AssignmentRow, CoverRow, FeedRows, TaskRow, TimeOffRow, member_rows, team_rows

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
SEARCH_DAYS = 62  # every recurring cadence occurs within two months of any day (monthly: the next month)
ONE_DAY = datetime.timedelta(days=1)


class DaysAway:
    """A person's time off as periods (first, last, inclusive), and ``day in away`` as the engine's sets of
    day indexes answer it: a feed spans years, so its days are not listed one by one."""

    def __init__(self):
        self.periods: list[tuple[datetime.date, datetime.date]] = []

    def __contains__(self, day: datetime.date) -> bool:
        return any(first <= day <= last for first, last in self.periods)

    def __bool__(self) -> bool:
        return bool(self.periods)


@dataclass(frozen=True)
class DutySeries:
    """One assignment in the calendar: on ``first`` and then by ``rule`` up to ``until``, but not on ``excluded``."""

    assignment: AssignmentRow
    task: TaskRow
    first: datetime.date
    until: datetime.date | None  # None: open-ended
    rule: dict | None  # an RRULE's parts (tuples for lists); None: the one day ``first``
    excluded: list[datetime.date]  # the person's days away among its days (EXDATE)
    hours: Fraction  # the person's share of each day


@dataclass(frozen=True)
class CoverDay:
    """A day a substitute (the cover's ``member``) does an away colleague's duty (the cover's ``assignment``)."""

    cover: CoverRow
    task: TaskRow
    day: datetime.date
    hours: Fraction


@dataclass(frozen=True)
class FeedDuties:
    series: list[DutySeries]  # by task title, then person
    cover_days: list[CoverDay]  # by day, then task title
    time_off: list[TimeOffRow]  # by first day, then person


def member_duties(member: TeamMember) -> FeedDuties:
    """A member's own duties (not on their days away), the duties they cover for others, and their time off."""
    return feed_duties(member_rows(member))


def team_duties(team: Team) -> FeedDuties:
    """Every active member's duties in ``team``, who covers whom on which day, and everyone's time off."""
    return feed_duties(team_rows(team))


def feed_duties(rows: FeedRows) -> FeedDuties:
    """The series, cover days and time off to write, from the rows read."""
    working = frozenset(settings.TEAMPLANNER_WORKING_DAYS)
    away: dict[int, DaysAway] = defaultdict(DaysAway)
    for period in rows.time_off:
        away[period.member_id].periods.append((period.start_date, period.end_date))
    series = []
    for assignment in rows.assignments:
        task = rows.tasks.get(assignment.task_id)
        one = duty_series(assignment, task, away[assignment.member_id], working) if task else None
        if one is not None:
            series.append(one)
    days = [
        day
        for cover in rows.covers
        if cover.assignment.task_id in rows.tasks
        for day in cover_days(cover, rows.tasks[cover.assignment.task_id], away, working)
    ]
    return FeedDuties(
        series=sorted(series, key=lambda one: (one.task.title, one.assignment.member_name, one.assignment.id)),
        cover_days=sorted(days, key=lambda day: (day.day, day.task.title, day.cover.id)),
        time_off=sorted(
            (period for period in rows.time_off if rows.shown is None or period.member_id in rows.shown),
            key=lambda period: (period.start_date, period.member_name, period.id),
        ),
    )


def occurrences(task: TaskRow, first: datetime.date, last: datetime.date, working: frozenset[int]):
    """The task's days in first..last (inside its own dates) and the divisor of its effort: the engine's rule 4."""
    return _occurrences(_Shape(task.cadence, task.start_date, task.end_date), first, last, working)


class _Shape(NamedTuple):
    """What a task's days depend on (a team's tasks share few shapes: each is computed once)."""

    cadence: str
    start_date: datetime.date
    end_date: datetime.date | None


@lru_cache(maxsize=8192)
def _occurrences(task: _Shape, first: datetime.date, last: datetime.date, working: frozenset[int]):
    if last < first:
        return (), 1
    monday = monday_of(first)
    calendar = OccurrenceCalendar(start=monday, weeks=(last - monday).days // 7 + 1, working=working)
    days = calendar.task_days(task, calendar.index_of(first), calendar.index_of(last))
    return tuple(calendar.date_of(index) for index in days.days), days.divisor


def hours_of(task: TaskRow, share_percent: int, divisor: int) -> Fraction:
    """One day's hours of a person's share, as the engine counts them (effort cents × share, exactly)."""
    return hours_of_units(effort_cents(task.effort_hours) * share_percent, divisor)


def duty_series(assignment: AssignmentRow, task: TaskRow, away: DaysAway, working: frozenset[int]) -> DutySeries | None:
    """The assignment as one series, its person's days away left out; None when it has no day at all."""
    first, until = assignment_span(task, assignment.start_date, assignment.end_date)
    days, divisor = occurrences(task, first, _capped(first + datetime.timedelta(days=SEARCH_DAYS), until), working)
    excluded = set()
    for off_first, off_last in away.periods:
        excluded.update(occurrences(task, max(first, off_first), _capped(off_last, until), working)[0])
    start = next((day for day in days if day not in excluded), None)
    while start is None and days:  # a long stretch away at the start: look on from the last day looked at
        following = days[-1] + ONE_DAY
        last = _capped(following + datetime.timedelta(days=SEARCH_DAYS), until)
        days, _divisor = occurrences(task, following, last, working)
        start = next((day for day in days if day not in excluded), None)
    if start is None:
        return None
    rule = _rule(task, working)
    if rule is not None and until is not None:
        rule["until"] = until
    return DutySeries(
        assignment=assignment,
        task=task,
        first=start,
        until=until,
        rule=rule,
        excluded=sorted(day for day in excluded if day > start),
        hours=hours_of(task, assignment.share_percent, divisor),
    )


def _capped(day: datetime.date, until: datetime.date | None) -> datetime.date:
    return day if until is None else min(day, until)


def _rule(task: TaskRow, working: frozenset[int]) -> dict | None:
    """Rule 4 as an RRULE: every working day, the weekday of the task's own start, or its day of the month,
    which is the month's last day in a shorter month (the last of 28..day that the month has)."""
    if task.cadence == Task.Cadence.WEEKLY:
        return {"freq": "weekly", "byday": (WEEKDAYS[task.start_date.weekday()],)}
    if task.cadence == Task.Cadence.MONTHLY:
        day = task.start_date.day
        if day <= 28:
            return {"freq": "monthly", "bymonthday": (day,)}
        return {"freq": "monthly", "bymonthday": tuple(range(28, day + 1)), "bysetpos": -1}
    if task.cadence == Task.Cadence.ONCE and working_days_between(task.start_date, task.end_date, working) == 0:
        return None  # no working day in its dates: all of it on its end date
    return {"freq": "weekly", "byday": tuple(WEEKDAYS[day] for day in sorted(working))}  # daily, and a one-off's days


def cover_days(cover: CoverRow, task: TaskRow, away: dict[int, DaysAway], working: frozenset[int]) -> list[CoverDay]:
    """The days of the cover on which the assignee is away (rule 5) and the engine gives the occurrence to the
    substitute (``substitute_for``: they are not away themselves). The substitute is active: the rows say so."""
    assignment = cover.assignment
    first, until = assignment_span(task, assignment.start_date, assignment.end_date)
    days, divisor = occurrences(task, max(first, cover.start_date), _capped(cover.end_date, until), working)
    hours = hours_of(task, assignment.share_percent, divisor)
    held = [(cover.member_id, cover.start_date, cover.end_date)]
    return [
        CoverDay(cover, task, day, hours)
        for day in days
        if day in away[assignment.member_id] and substitute_for(day, held, away) == cover.member_id
    ]


def forget_memos() -> None:
    """Empty the days kept per task shape: the next feed pays what the first one after a start does."""
    _occurrences.cache_clear()
