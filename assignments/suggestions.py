"""Who should take this task? docs/rules.md, "Suggestions".

The engine runs once for the team; each candidate then gets the proposed assignment added on its
own: the engine's own step (``accumulate_assignments``) over that one assignment, added to the
candidate's weeks, and the candidate's own flags (``member_flags``) judged again. Only that
member's figures change, so a team of 500 costs one engine run plus a small step per person, not
500 engine runs.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .calendars import monday_of
from .flags import DualRoleFlag, flag_thresholds, member_flags
from .formatting import day_text, hours_display, hours_text, ratio_text
from .loads import Band, MemberWorkload, WeekLoad, effort_cents, exact_hours
from .models import Task
from .workload import (
    FOCUS_INDEX,
    TaskWindow,
    WindowParts,
    accumulate_assignments,
    cyclic_gc_paused,
    read_team_window,
    window_parts,
    workload_of,
)
from .workload_rows import MemberInfo, RoleInfo, TaskInfo


@dataclass(frozen=True)
class Candidate:
    """One active member of the team, with the proposed assignment added."""

    member: MemberInfo
    role: RoleInfo
    holds_role: bool
    time_off_conflicts: int
    weeks_after: list[WeekLoad]
    added_hours: Fraction
    dual_role_before: bool
    dual_role_after: bool

    @property
    def over_capacity_after(self) -> bool:
        return any(week.band == Band.OVER for week in self.weeks_after)

    @property
    def creates_dual_role(self) -> bool:
        return self.dual_role_after and not self.dual_role_before

    @property
    def peak_utilization_after(self) -> Fraction | None:
        ratios = [week.utilization for week in self.weeks_after if week.utilization is not None]
        return max(ratios) if ratios else None

    @property
    def needs_attention(self) -> bool:
        """Taking it would cost something: days away, going over capacity, or a new dual role."""
        return bool(self.time_off_conflicts or self.over_capacity_after or self.creates_dual_role)

    def sort_key(self) -> tuple:
        """Holding the role, fewer conflicts, not over, not creating a dual role, lower peak (none last), name."""
        peak = self.peak_utilization_after
        return (
            not self.holds_role,
            self.time_off_conflicts,
            self.over_capacity_after,
            self.creates_dual_role,
            peak is None,
            peak or 0,
            self.member.name,
            self.member.email,
        )

    def reasons(self) -> list[str]:
        """Short sentences in the active language, one per ranking key."""
        reasons = [
            (_("holds the role %(role)s") if self.holds_role else _("does not hold the role %(role)s"))
            % {"role": self.role.name}
        ]
        if self.time_off_conflicts:
            reasons.append(
                ngettext("away on %(count)s of its days", "away on %(count)s of its days", self.time_off_conflicts)
                % {"count": self.time_off_conflicts}
            )
        reasons.append(self._capacity_reason())
        if self.creates_dual_role:
            reasons.append(_("would then cover both operational and strategic roles"))
        elif self.dual_role_before:
            reasons.append(_("already covers both operational and strategic roles"))
        else:
            reasons.append(_("would not cover both roles"))
        return reasons

    def _capacity_reason(self) -> str:
        over = next((week for week in self.weeks_after if week.band == Band.OVER), None)
        if over is not None:
            return _("over capacity in the week of %(week)s") % {"week": day_text(over.week)}
        open_weeks = [week for week in self.weeks_after if week.capacity_hours > 0]
        if not open_weeks:
            return _("no capacity in these weeks")
        tightest = min(open_weeks, key=lambda week: (week.capacity_hours - week.total_hours, week.week))
        return _("%(free)s h free in the week of %(week)s") % {
            "free": hours_display(tightest.capacity_hours - tightest.total_hours),
            "week": day_text(tightest.week),
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "member": self.member.email,
            "name": self.member.name,
            "holds_role": self.holds_role,
            "time_off_conflicts": self.time_off_conflicts,
            "over_capacity_after": self.over_capacity_after,
            "creates_dual_role": self.creates_dual_role,
            "added_hours": hours_text(self.added_hours),
            "peak_utilization_after": ratio_text(self.peak_utilization_after),
            "reasons": self.reasons(),
        }


@dataclass(frozen=True)
class Suggestions:
    task: Task
    share_percent: int
    weeks: list[datetime.date]
    candidates: list[Candidate]

    def as_json(self) -> dict[str, Any]:
        return {
            "task": self.task.title,
            "share_percent": self.share_percent,
            "weeks": [week.isoformat() for week in self.weeks],
            "candidates": [candidate.as_json() for candidate in self.candidates],
        }


def share_left(task: Task) -> int:
    """The share nobody active holds: the default share of a suggestion (100 when none is left)."""
    assigned = task.assignments.share_total()
    return 100 - assigned if assigned < 100 else 100


def task_suggestions(*, task: Task, start: datetime.date, weeks: int, share_percent: int | None = None) -> Suggestions:
    """The team's active members not assigned to ``task``, ranked for taking ``share_percent`` of it."""
    share = share_percent or share_left(task)
    assigned = set(task.assignments.values_list("member_id", flat=True))
    with cyclic_gc_paused():
        window = read_team_window(team=task.team, start=monday_of(start), weeks=weeks)
        parts = window_parts(window)
        workload = workload_of(window, parts=parts)
        task_window = parts.tasks.get(task.pk) or _outside_window(task, window.calendar)
        candidates = [
            candidate_with(load, task_window, share, parts, window.calendar)
            for load in workload.members
            if load.member.id not in assigned
        ]
    candidates.sort(key=Candidate.sort_key)
    return Suggestions(task=task, share_percent=share, weeks=workload.weeks, candidates=candidates)


def _outside_window(task: Task, calendar) -> TaskWindow:
    """A task the window's rows do not hold (its dates miss the window): no occurrences."""
    role = task.role
    info = TaskInfo(
        task.pk,
        task.title,
        RoleInfo(role.pk, role.slug, role.name, role.focus),
        task.cadence,
        task.effort_hours,
        task.start_date,
        task.end_date,
    )
    return TaskWindow(info, 1, 0, effort_cents(task.effort_hours), FOCUS_INDEX[role.focus], None)


def candidate_with(
    load: MemberWorkload, task: TaskWindow, share: int, parts: WindowParts, calendar, dates: tuple = (None, None)
) -> Candidate:
    """``load``'s member with ``share`` of ``task`` added (over ``dates``, an assignment's own start and end,
    when a hand-over keeps them): the engine's step over that one assignment."""
    member = load.member
    added = accumulate_assignments(
        [(task.task.id, member.id, share, *dates)], calendar, {task.task.id: task}, [member], parts.days_off, None
    )
    extra = [
        [exact_hours(added.whole[focus][week], added.divided.get((focus, week))) for week in range(len(load.weeks))]
        for focus in (0, 1)
    ]
    weeks_after = [
        WeekLoad(
            week.week,
            week.operational_hours + extra[0][index],
            week.strategic_hours + extra[1][index],
            week.capacity_hours,
        )
        for index, week in enumerate(load.weeks)
    ]
    after = MemberWorkload(
        member=member,
        weeks=weeks_after,
        operational_hours=load.operational_hours + sum(extra[0], Fraction(0)),
        strategic_hours=load.strategic_hours + sum(extra[1], Fraction(0)),
        acknowledged=load.acknowledged,
        holdings=load.holdings,
    )
    dual_min, strategy_min = flag_thresholds()
    dual = [
        any(
            isinstance(flag, DualRoleFlag) for flag in member_flags(state, dual_min=dual_min, strategy_min=strategy_min)
        )
        for state in (load, after)
    ]
    return Candidate(
        member=member,
        role=task.task.role,
        holds_role=any(role.id == task.task.role.id for role in load.holdings),
        time_off_conflicts=len(added.occurrences),
        weeks_after=weeks_after,
        added_hours=sum(extra[0], Fraction(0)) + sum(extra[1], Fraction(0)),
        dual_role_before=dual[0],
        dual_role_after=dual[1],
    )
