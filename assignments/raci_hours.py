"""RACI's Responsible with their hours: each assignee's hours on a task over a window (docs/rules.md, "RACI").

The hours are the engine's own: each assignment goes through ``accumulate_assignments`` on its own, the
step the suggestions use for a proposed assignment (``suggestions.candidate_with``), so they are exactly
the hours that task adds to that person's load in the workload (the heatmap, the exports):

- an assignment counts over its own dates inside the task's (rule 3), the task's occurrences in them
  (rule 4), the person's share of each;
- an occurrence on one of the person's days off is not theirs (rule 5): it is not in their hours, covered
  or not. Hours a substitute does for them count in the substitute's load, and covering does not make the
  substitute Responsible, so they are nobody's here;
- only active members of the team count, on the team's active tasks, as everywhere in the engine.

Used by the RACI export (``export/raci.csv``) and the RACI page, so both show the same number.
"""

from __future__ import annotations

import datetime
from fractions import Fraction

from roles.models import Team

from .calendars import assignment_span, monday_of
from .loads import exact_hours
from .plan_cache import cached
from .workload import accumulate_assignments, cyclic_gc_paused, read_team_window, window_parts

ResponsibleHours = dict[tuple[int, int], Fraction]


def responsible_hours(*, team: Team, start: datetime.date, weeks: int) -> ResponsibleHours:
    """(task id, member id) -> that assignee's hours on the task over ``weeks`` ISO weeks from the week
    holding ``start``, exactly (round with ``formatting.hours_text`` / ``hours_display`` to show them).

    One entry per active member's assignment of an active task of ``team`` whose own dates (rule 3) meet
    the window, whether or not it has an occurrence there (0 when it has none, or all fall on days off).
    An assignment whose dates miss the window has no entry: that person is not Responsible in it.
    The engine's six queries on a first read; then kept under the team's plan revision (``plan_cache``).
    """
    monday = monday_of(start)
    return cached(team, ("responsible_hours", monday, weeks), lambda: _computed(team, monday, weeks))


def _computed(team: Team, start: datetime.date, weeks: int) -> ResponsibleHours:
    with cyclic_gc_paused():
        window = read_team_window(team=team, start=start, weeks=weeks)
        parts, calendar = window_parts(window), window.calendar
        members = {member.id: member for member in parts.members}
        hours: ResponsibleHours = {}
        for row in window.rows.assignments:  # task id, member id, share, own start, own end
            task_id, member_id, _share, own_start, own_end = row
            task, member = parts.tasks.get(task_id), members.get(member_id)
            if task is None or member is None:  # a task or person the engine does not count
                continue
            low, high = calendar.clamp(*assignment_span(task.task, own_start, own_end))
            if low > high:  # its dates miss the window
                continue
            # The engine's step over this one assignment and person: days off out, no covers.
            added = accumulate_assignments([row], calendar, {task_id: task}, [member], parts.days_off, None)
            hours[task_id, member_id] = sum(
                (
                    exact_hours(units, added.divided.get((slot, week)))
                    for slot in (0, 1)
                    for week, units in enumerate(added.whole[slot])
                ),
                Fraction(0),
            )
        return hours
