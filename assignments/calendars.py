"""When a task happens inside a window of whole weeks: docs/rules.md, "Workload (exact)", rule 4.

Days are indexes 0..N-1 from the window's Monday. An ``OccurrenceCalendar``
answers, for a task and a range of day indexes, on which days the task
occurs and by what its effort is divided on each (1 for recurring tasks, the
task's working days for a one-off task). Calendars are kept by *shape*, not
by task: every daily task over the same days has the same calendar, so a
team of thousands of tasks computes a few hundred of them.

Weekly counts travel packed in one integer, ``FIELD_BITS`` bits a week, so
adding an assignment's whole window to a member is one multiply-add however
many weeks it spans. A field holds at most (effort cents × share) ×
occurrences summed over a member's assignments: far below 2**80 for any team.
"""

from __future__ import annotations

import bisect
import calendar
import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from .models import Task
from .workload_rows import TaskInfo

FIELD_BITS = 80
FIELD_MASK = (1 << FIELD_BITS) - 1


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def assignment_span(
    task: TaskInfo, start: datetime.date | None, end: datetime.date | None
) -> tuple[datetime.date, datetime.date | None]:
    """Rule 3: an assignment's days run from the later of its task's start and its own (``start``) to the
    earlier of the two ends (None: open-ended). ``task``: anything with ``start_date`` and ``end_date``
    (the engine's ``TaskInfo``, the calendar feeds' rows)."""
    first = task.start_date if start is None else max(task.start_date, start)
    ends = [day for day in (task.end_date, end) if day is not None]
    return first, min(ends, default=None)


def working_days_between(first: datetime.date, last: datetime.date, working: frozenset[int]) -> int:
    """Working days in first..last inclusive, without walking every day."""
    if last < first:
        return 0
    full_weeks, rest = divmod((last - first).days + 1, 7)
    weekday = first.weekday()
    return full_weeks * len(working) + sum(1 for offset in range(rest) if (weekday + offset) % 7 in working)


def monthly_dates(task_start: datetime.date, first: datetime.date, last: datetime.date) -> Iterator[datetime.date]:
    """The task's day of the month in each month of first..last (the last day of a shorter month)."""
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        day = min(task_start.day, calendar.monthrange(year, month)[1])
        date = datetime.date(year, month, day)
        if first <= date <= last:
            yield date
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def pack_weeks(days: list[int]) -> int:
    """One count per week for these day indexes, packed."""
    packed = 0
    for index in days:
        packed += 1 << (FIELD_BITS * (index // 7))
    return packed


def unpack_weeks(packed: int, weeks: int) -> list[int]:
    return [(packed >> (FIELD_BITS * week)) & FIELD_MASK for week in range(weeks)]


def week_bit(index: int) -> int:
    """The packed count of one occurrence on day ``index``."""
    return 1 << (FIELD_BITS * (index // 7))


@dataclass(frozen=True, slots=True)
class TaskDays:
    """A task's occurrences over a range of days: the days, the effort's divisor, and both packed and as a set."""

    days: list[int]
    divisor: int
    packed: int
    day_set: frozenset[int]


class OccurrenceCalendar:
    """The occurrence days of tasks inside one window, computed once per shape."""

    def __init__(self, *, start: datetime.date, weeks: int, working: frozenset[int]):
        self.start = start
        self.day_count = weeks * 7
        self.working = working
        self.working_days = [index for index in range(self.day_count) if index % 7 in working]
        self._by_shape: dict[tuple, TaskDays] = {}

    def index_of(self, day: datetime.date) -> int:
        return (day - self.start).days

    def date_of(self, index: int) -> datetime.date:
        return self.start + datetime.timedelta(days=index)

    def clamp(self, first: datetime.date | None, last: datetime.date | None) -> tuple[int, int]:
        """Day indexes of first..last inside the window (an open end is the window's edge); low > high: none."""
        low = max(self.index_of(first), 0) if first else 0
        high = min(self.index_of(last), self.day_count - 1) if last else self.day_count - 1
        return low, high

    def working_in(self, low: int, high: int) -> list[int]:
        days = self.working_days
        return days[bisect.bisect_left(days, low) : bisect.bisect_right(days, high)]

    def task_days(self, task: TaskInfo, low: int, high: int) -> TaskDays:
        """The task's occurrences in low..high (day indexes)."""
        if task.cadence == Task.Cadence.DAILY:
            shape = (task.cadence, low, high)
        elif task.cadence == Task.Cadence.WEEKLY:
            shape = (task.cadence, low, high, task.start_date.weekday())
        elif task.cadence == Task.Cadence.MONTHLY:
            shape = (task.cadence, low, high, task.start_date.day)
        else:
            shape = (task.cadence, low, high, task.start_date, task.end_date)
        known = self._by_shape.get(shape)
        if known is None:
            days, divisor = self._occurrence_days(task, low, high)
            known = self._by_shape[shape] = TaskDays(days, divisor, pack_weeks(days), frozenset(days))
        return known

    def _occurrence_days(self, task: TaskInfo, low: int, high: int) -> tuple[list[int], int]:
        if task.cadence == Task.Cadence.DAILY:
            return self.working_in(low, high), 1
        if task.cadence == Task.Cadence.WEEKLY:  # on the weekday of the task's own start, weekend too
            first = low + (task.start_date.weekday() - low) % 7
            return list(range(first, high + 1, 7)), 1
        if task.cadence == Task.Cadence.MONTHLY:
            dates = monthly_dates(task.start_date, self.date_of(low), self.date_of(high))
            return [self.index_of(date) for date in dates], 1
        divisor = working_days_between(task.start_date, task.end_date, self.working)
        if divisor == 0:  # no working day in its dates: all of it on the end date
            single = self.index_of(task.end_date)
            return ([single] if low <= single <= high else []), 1
        return self.working_in(low, high), divisor
