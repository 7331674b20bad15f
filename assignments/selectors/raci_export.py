"""The rows of a team's RACI export (``export/raci.csv``; docs/rules.md, "Exports" and "RACI").

One row per active task in the window and person with a letter on it: R (an assignee, with their hours
over the window: ``raci_hours.responsible_hours``, the workload's own), A, C or I (no hours). A person
who is both Responsible and Accountable for a task has two rows, R with the hours and A without: one
letter a row, so a spreadsheet's filter on the letter finds every one (**project decision**). Only active
members are listed, as in the workload export (an inactive Accountable is no Accountable: the
``accountable_missing`` flag says so). Tasks by title, then R, A, C, I, each by name then email.

Every value is a language-neutral string (dot decimals, English codes), like the workload document's, and
the rows are kept under the team's plan revision (``plan_cache``).
"""

from __future__ import annotations

import datetime

from assignments.formatting import hours_text
from assignments.models import Task, TaskInvolvement
from assignments.plan_cache import cached
from assignments.raci import ACCOUNTABLE, CONSULTED, INFORMED, LETTER_OF_KIND
from assignments.raci_hours import responsible_hours
from assignments.workload import window_calendar
from assignments.workload_rows import in_window
from roles.models import Team, TeamMember

RESPONSIBLE = "R"
LETTER_ORDER = {RESPONSIBLE: 0, ACCOUNTABLE: 1, CONSULTED: 2, INFORMED: 3}


def team_raci_rows(*, team: Team, start: datetime.date, weeks: int) -> list[dict[str, str | None]]:
    """The export's rows for ``weeks`` ISO weeks from the week holding ``start`` (the workload's window)."""
    calendar = window_calendar(start=start, weeks=weeks)
    monday = calendar.start
    return cached(team, ("raci_rows", monday, weeks), lambda: _computed_rows(team, monday, weeks))


def _computed_rows(team: Team, monday: datetime.date, weeks: int) -> list[dict[str, str | None]]:
    last = monday + datetime.timedelta(days=7 * weeks - 1)
    hours = responsible_hours(team=team, start=monday, weeks=weeks)
    tasks = Task.objects.filter(in_window(monday, last), team=team).order_by()
    people = {
        row[0]: row[1:]
        for row in TeamMember.objects.filter(team=team, is_active=True).values_list("id", "full_name", "email")
    }
    letters: dict[int, list[tuple[str, int]]] = {}  # task id -> (letter, member id)
    for task_id, member_id in hours:
        letters.setdefault(task_id, []).append((RESPONSIBLE, member_id))
    involved = TaskInvolvement.objects.filter(task__in=tasks).order_by().values_list("task_id", "member_id", "kind")
    for task_id, member_id, kind in involved:
        letters.setdefault(task_id, []).append((LETTER_OF_KIND[kind], member_id))
    rows = []
    listed = tasks.order_by("title", "id").values_list("id", "title", "role__focus", "role__name", "accountable_id")
    for task_id, title, focus, role, accountable_id in listed:
        named = letters.get(task_id, []) + ([(ACCOUNTABLE, accountable_id)] if accountable_id else [])
        named = [(letter, member_id) for letter, member_id in named if member_id in people]  # active members
        named.sort(key=lambda pair: (LETTER_ORDER[pair[0]], *people[pair[1]]))
        for letter, member_id in named:
            name, email = people[member_id]
            shown = hours_text(hours[task_id, member_id]) if letter == RESPONSIBLE else None
            rows.append(
                {
                    "task": title,
                    "focus": focus,
                    "role": role,
                    "member": name,
                    "email": email,
                    "letter": letter,
                    "hours": shown,
                }
            )
    return rows
