"""Who could take work over: candidates for several tasks of one window, and who could hold a role.

The pages behind the flags (``views/fix.py``) ask for the candidates of each of a person's tasks (to
hand one over) and for the people who could hold a role nobody holds. Both come from one engine run
over the team's window: ``TeamSuggester`` ranks anyone for any task of that window with the same step
as ``suggestions.task_suggestions`` (``candidate_with``, the same order), and ``role_candidates``
judges a role holding with the flags' own rule (``member_flags``), so nothing here does the arithmetic
a second time.

**Who could hold a role** (a project decision; docs/rules.md, "Decisions the project made"): the team's active members
not holding the role in the window, those who would *not* then cover both operational and strategic
roles first (holding this role would give them both kinds of holding, or their work in the window
already makes them dual-role by the flag's rule), then the most free hours over the window (capacity
minus hours, added up over its weeks), then name.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from fractions import Fraction

from django.utils.translation import gettext as _

from roles.models import Team

from .calendars import monday_of
from .flags import DualRoleFlag, flag_thresholds, member_flags
from .formatting import hours_display
from .loads import MemberWorkload, TeamWorkload, exact_hours
from .suggestions import Candidate, candidate_with
from .workload import (
    TeamWindow,
    WindowParts,
    accumulate_assignments,
    cyclic_gc_paused,
    read_team_window,
    window_parts,
    workload_of,
)
from .workload_rows import MemberInfo, RoleInfo


@dataclass(frozen=True)
class TeamSuggester:
    """One engine run over a team's window; ``candidates`` ranks people for any task in it from that run."""

    window: TeamWindow
    parts: WindowParts
    workload: TeamWorkload

    @classmethod
    def read(cls, *, team: Team, start: datetime.date, weeks: int) -> TeamSuggester:
        """The team's window (the engine's six queries); nothing else is read afterwards."""
        with cyclic_gc_paused():
            window = read_team_window(team=team, start=monday_of(start), weeks=weeks)
            parts = window_parts(window)
            return cls(window, parts, workload_of(window, parts=parts))

    def has_task(self, task_id: int) -> bool:
        return task_id in self.parts.tasks

    def candidates(
        self, *, task_id: int, share_percent: int, dates: tuple = (None, None), excluding: set[int] | None = None
    ) -> list[Candidate]:
        """As ``task_suggestions`` for a task of the window: the active members not assigned to it (or not in
        ``excluding``, a cover's away member), best first (``dates``: the assignment's own start and end, which
        a hand-over keeps; a cover's days)."""
        task = self.parts.tasks[task_id]
        if excluding is not None:
            assigned = excluding
        else:
            assigned = {row[1] for row in self.window.rows.assignments if row[0] == task_id}
        with cyclic_gc_paused():
            found = [
                candidate_with(load, task, share_percent, self.parts, self.window.calendar, dates)
                for load in self.workload.members
                if load.member.id not in assigned
            ]
        return sorted(found, key=Candidate.sort_key)

    def member_load(self, member_id: int) -> MemberWorkload | None:
        """The member's weeks (None for an inactive member: their work counts nowhere)."""
        return next((load for load in self.workload.members if load.member.id == member_id), None)

    def assignment_hours(
        self,
        *,
        task_id: int,
        member_id: int,
        share_percent: int,
        start_date: datetime.date | None = None,
        end_date: datetime.date | None = None,
    ) -> Fraction:
        """The hours one assignment gives its member over the window (time off excluded), exactly."""
        load = self.member_load(member_id)
        if load is None or task_id not in self.parts.tasks:
            return Fraction(0)
        added = accumulate_assignments(
            [(task_id, member_id, share_percent, start_date, end_date)],
            self.window.calendar,
            self.parts.tasks,
            [load.member],
            self.parts.days_off,
            None,
        )
        return sum(
            (
                exact_hours(added.whole[focus][week], added.divided.get((focus, week)))
                for focus in (0, 1)
                for week in range(len(load.weeks))
            ),
            Fraction(0),
        )


@dataclass(frozen=True)
class RoleCandidate:
    """An active member not holding a role, as its holder: would they cover both kinds, how much is free."""

    member: MemberInfo
    holdings: list[RoleInfo]  # the roles they hold in the window
    dual_role_before: bool
    dual_role_after: bool  # with this role held: both kinds of holding, or both kinds of work (the flag's rule)
    capacity_hours: Fraction  # over the window
    total_hours: Fraction

    @property
    def free_hours(self) -> Fraction:
        return self.capacity_hours - self.total_hours

    def sort_key(self) -> tuple:
        """Not covering both roles first, then the most free hours over the window, then name."""
        return (self.dual_role_after, -self.free_hours, self.member.name, self.member.email)

    def reasons(self) -> list[str]:
        """Short sentences in the active language, one per ranking key."""
        if self.dual_role_before:
            dual = _("already covers both operational and strategic roles")
        elif self.dual_role_after:
            dual = _("would then cover both operational and strategic roles")
        else:
            dual = _("would not cover both roles")
        if self.free_hours >= 0:
            capacity = _("%(free)s h free in these weeks") % {"free": hours_display(self.free_hours)}
        else:
            capacity = _("%(over)s h over capacity in these weeks") % {"over": hours_display(-self.free_hours)}
        return [dual, capacity]


def role_candidates(*, workload: TeamWorkload, role: RoleInfo) -> list[RoleCandidate]:
    """The active members not holding ``role`` in the window, ranked to hold it (no query: ``workload`` has all)."""
    dual_min, strategy_min = flag_thresholds()

    def dual_role(load: MemberWorkload) -> bool:
        flags = member_flags(load, dual_min=dual_min, strategy_min=strategy_min)
        return any(isinstance(flag, DualRoleFlag) for flag in flags)

    found = [
        RoleCandidate(
            member=load.member,
            holdings=load.holdings,
            dual_role_before=dual_role(load),
            dual_role_after=dual_role(replace(load, holdings=[*load.holdings, role])),
            capacity_hours=sum((week.capacity_hours for week in load.weeks), Fraction(0)),
            total_hours=load.operational_hours + load.strategic_hours,
        )
        for load in workload.members
        if all(held.id != role.id for held in load.holdings)
    ]
    return sorted(found, key=RoleCandidate.sort_key)
