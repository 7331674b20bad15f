"""Who is away, and who does their duties then: docs/rules.md, "Workload (exact)" rule 5, and "Covers".

Both are read from the window's rows as day indexes, once per engine run; the
engine looks a cover up only for an occurrence that falls in its assignee's
time off, so a team where nobody is away pays nothing for covers.
"""

from __future__ import annotations

from collections import defaultdict

from .calendars import OccurrenceCalendar
from .workload_rows import WindowRows


def days_off_by_member(rows: WindowRows, calendar: OccurrenceCalendar) -> dict[int, set[int]]:
    """Member id -> the day indexes of the window inside their time off (rule 5)."""
    days_off: dict[int, set[int]] = defaultdict(set)
    for member_id, first, last in rows.time_off:
        low, high = calendar.clamp(first, last)
        days_off[member_id].update(range(low, high + 1))
    return days_off


Covers = dict[tuple[int, int], list[tuple[int, int, int]]]


def covers_by_assignment(rows: WindowRows, calendar: OccurrenceCalendar) -> Covers:
    """(task id, assignee id) -> the substitutes' ids and day indexes of its covers inside the window."""
    covers: Covers = defaultdict(list)
    for task_id, assignee_id, substitute_id, first, last in rows.covers:
        low, high = calendar.clamp(first, last)
        covers[(task_id, assignee_id)].append((substitute_id, low, high))
    return covers


def substitute_for(day, covers, days_off) -> int | None:
    """Covers: who does an away assignee's occurrence on ``day``: the substitute of the cover that holds the
    day, unless they are away themselves that day, when nobody does (it stays uncovered).

    ``covers``: (substitute id, first, last) of the assignment's covers, which never overlap; ``days_off``:
    member id -> a container of their days away. Days are the caller's own: the engine's day indexes, the
    calendar feeds' dates. Whether the substitute is an active member is the caller's to say.
    """
    for substitute_id, first, last in covers:
        if first <= day <= last:
            off = days_off.get(substitute_id)
            return None if off and day in off else substitute_id
    return None


def substitute_on(
    index: int, covers: list[tuple[int, int, int]], position_of: dict[int, int], days_off: dict[int, set[int]]
) -> int | None:
    """The position of who does an away assignee's occurrence on day ``index`` (``substitute_for``), when
    they are an active member (in ``position_of``); None: nobody, it stays uncovered."""
    substitute_id = substitute_for(index, covers, days_off)
    return None if substitute_id is None else position_of.get(substitute_id)
