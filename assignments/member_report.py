"""The engine over some members of a team only: the member page, My duties and the board's load panel.

``members_report`` gives the people it is asked about exactly the figures and the flags ``team_report``
gives them (docs/rules.md, "Workload (exact)", "Covers" and "Flags (exact)"), without computing everyone:
it reads their rows (``workload_rows.read_members_window``: seven queries whatever the team's size)
and runs the engine's own steps over them. Their hours include the duties they cover for away colleagues,
so those colleagues' covered assignments and time off are read too; and their own duties on days away
need their substitutes' time off. Those colleagues and substitutes take part in the arithmetic only:
they are not listed, and their figures are not theirs (only part of their work is read).

What a subset cannot say, and where it is in the result:

- ``workload.members``: the active ones among the members asked about, by name then email (rule 9);
- ``workload.totals``: the weeks of *those* members added up, not the team's;
- ``workload.tasks``: the tasks of the assignments read, not every task of the team;
- ``workload.assigned_shares``: empty: a task's assigned share needs all its assignees (``team_report``);
- ``workload.occurrences``: those members' occurrences on days away (covered or not), the ones they
  cover for someone away, and the counted ones of ``occurrences_of``;
- ``flags``: the flags that name one of them (dual role, strategy squeezed, over allocated, single
  holder, their duties uncovered); never ``role_uncovered`` or ``task_unassigned``, which name nobody.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import replace

from roles.models import Team

from .absences import covers_by_assignment
from .flags import DutyUncoveredFlag, Flag, SingleHolderFlag, flag_thresholds, member_flags
from .loads import TeamWorkload
from .member_weeks import Accumulated, capacity_units, member_workloads, team_totals
from .report import TeamReport
from .workload import TeamWindow, accumulate_assignments, cyclic_gc_paused, window_calendar, window_parts
from .workload_rows import WindowRows, read_members_window


def members_report(
    *,
    team: Team,
    member_ids: Collection[int],
    start: datetime.date,
    weeks: int,
    occurrences_of: int | Collection[int] | None = None,
) -> TeamReport:
    """Workload and flags of the members ``member_ids`` of ``team`` for ``weeks`` ISO weeks from the week
    holding ``start``, as ``team_report`` gives them (``occurrences_of``: one of them, or several: the
    weekly digests list every member's duties from one run)."""
    wanted = {occurrences_of} if isinstance(occurrences_of, int) else set(occurrences_of or ())
    if not wanted <= set(member_ids):
        raise ValueError("occurrences_of must be among member_ids: only their assignments are read.")
    with cyclic_gc_paused():
        calendar = window_calendar(start=start, weeks=weeks)
        rows, single_held = read_members_window(
            team=team, member_ids=member_ids, start=calendar.start, end=calendar.date_of(calendar.day_count - 1)
        )
        rows, listed = _listed_first(rows, member_ids)
        workload = _workload(TeamWindow(team, calendar, rows), listed, occurrences_of)
        return TeamReport(workload=workload, flags=_flags(workload, single_held))


def _listed_first(rows: WindowRows, member_ids: Collection[int]) -> tuple[WindowRows, int]:
    """The rows with the members asked about first (in the engine's order), then the colleagues their covers
    name; and how many are listed. The engine's steps address members by position: the listed ones are
    positions 0..listed-1, so their weeks and capacities are computed alone."""
    wanted = set(member_ids)
    listed = [row for row in rows.members if row[0] in wanted]
    others = [row for row in rows.members if row[0] not in wanted]
    return replace(rows, members=[*listed, *others]), len(listed)


def _workload(window: TeamWindow, listed: int, occurrences_of: int | Collection[int] | None) -> TeamWorkload:
    """The engine's steps (``workload.workload_of``) over every member read, kept to the first ``listed``."""
    calendar, rows = window.calendar, window.rows
    parts = window_parts(window)
    accumulated = accumulate_assignments(
        rows.assignments,
        calendar,
        parts.tasks,
        parts.members,
        parts.days_off,
        occurrences_of,
        covers=covers_by_assignment(rows, calendar),
    )
    theirs = parts.members[:listed]
    ids = {member.id for member in theirs}
    slots = 2 * listed  # slot = position × 2 + focus
    own = Accumulated(
        whole=accumulated.whole[:slots],
        divided={key: units for key, units in accumulated.divided.items() if key[0] < slots},
        occurrences=[
            occurrence
            for occurrence in accumulated.occurrences
            if occurrence.member.id in ids or (occurrence.covered_by is not None and occurrence.covered_by.id in ids)
        ],
        assigned_shares={},
    )
    capacities = capacity_units(theirs, parts.days_off, calendar, window.weeks)
    return TeamWorkload(
        team=window.team,
        weeks=[calendar.date_of(7 * week) for week in range(window.weeks)],
        members=member_workloads(rows, calendar, theirs, own, capacities),
        totals=team_totals(calendar, own, capacities),
        tasks=[known.task for known in parts.tasks.values()],
        assigned_shares=own.assigned_shares,
        occurrences=own.occurrences,
    )


def _flags(workload: TeamWorkload, single_held: set[int]) -> list[Flag]:
    """``flags.team_flags`` for the listed members: their own flags, single holder of a role in use where the
    team has no other holder (``single_held``), and their duties on days away that nobody covers."""
    dual_min, strategy_min = flag_thresholds()
    flags: list[Flag] = []
    for member_workload in workload.members:
        flags.extend(member_flags(member_workload, dual_min=dual_min, strategy_min=strategy_min))
        flags.extend(
            SingleHolderFlag(role, member_workload.member)
            for role in member_workload.holdings
            if role.id in single_held
        )
    flags.extend(
        DutyUncoveredFlag(occurrence)
        for occurrence in workload.occurrences
        if not occurrence.counted and occurrence.covered_by is None
    )
    flags.sort(key=lambda flag: flag.sort_key())
    return flags
