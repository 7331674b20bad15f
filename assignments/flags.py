"""Flags: docs/rules.md, "Flags (exact)", computed from a ``TeamWorkload`` without further queries.

Each kind is a small dataclass with its JSON form (``as_json``) and a plain
sentence (``sentence``) for people; ``team_flags`` returns them in the
document's order: kind, then member email, role slug, task title, week/date.

A decision where the rules are silent (docs/rules.md, "Decisions the project
made"): a dual-role acknowledgement is *valid* for a window when it has no
``valid_until`` or it lasts to the window's last day or later (one that runs
out inside the window asks to be renewed).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from .formatting import day_text, hours_display, hours_text, percent_text, ratio_text
from .loads import Band, MemberWorkload, Occurrence, TeamWorkload, WeekLoad
from .workload import OPERATIONAL, STRATEGIC
from .workload_rows import MemberInfo, RoleInfo, TaskInfo


class FlagKind:
    """The kinds of flag, as the JSON document names them; pages and templates use these, not strings."""

    DUAL_ROLE = "dual_role"
    OVER_ALLOCATED = "over_allocated"
    STRATEGY_SQUEEZED = "strategy_squeezed"
    ROLE_UNCOVERED = "role_uncovered"
    SINGLE_HOLDER = "single_holder"
    TASK_UNASSIGNED = "task_unassigned"
    DUTY_UNCOVERED = "duty_uncovered"
    ACCOUNTABLE_MISSING = "accountable_missing"


class Flag:
    """Base of the flag kinds. ``sort_key``: member email, role slug, task title, week or date."""

    kind: str = ""

    def sort_key(self) -> tuple:
        return (self.kind, "", "", "", datetime.date.min)


@dataclass(frozen=True)
class DualRoleFlag(Flag):
    kind = FlagKind.DUAL_ROLE
    member: MemberInfo
    explicit: bool
    by_work: bool
    operational_hours: Fraction
    strategic_hours: Fraction
    acknowledged: bool

    @property
    def strategic_share(self) -> Fraction | None:
        total = self.operational_hours + self.strategic_hours
        return None if total == 0 else self.strategic_hours / total

    def sort_key(self) -> tuple:
        return (self.kind, self.member.email, "", "", datetime.date.min)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "member": self.member.email,
            "explicit": self.explicit,
            "by_work": self.by_work,
            "operational_hours": hours_text(self.operational_hours),
            "strategic_hours": hours_text(self.strategic_hours),
            "strategic_share": ratio_text(self.strategic_share),
            "acknowledged": self.acknowledged,
        }

    def sentence(self) -> str:
        share = self.strategic_share
        text = _(
            "%(name)s covers both operational and strategic roles: %(operational)s h operational, "
            "%(strategic)s h strategic (%(share)s)."
        ) % {
            "name": self.member.name,
            "operational": hours_display(self.operational_hours),
            "strategic": hours_display(self.strategic_hours),
            "share": percent_text(share) if share is not None else _("no hours"),
        }
        if self.acknowledged:
            text += " " + _("Acknowledged by a manager.")
        return text


@dataclass(frozen=True)
class StrategySqueezedFlag(Flag):
    kind = FlagKind.STRATEGY_SQUEEZED
    member: MemberInfo
    strategic_share: Fraction

    def sort_key(self) -> tuple:
        return (self.kind, self.member.email, "", "", datetime.date.min)

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "member": self.member.email, "strategic_share": ratio_text(self.strategic_share)}

    def sentence(self) -> str:
        return _("%(name)s holds a strategic role but spends only %(share)s of their hours on strategy.") % {
            "name": self.member.name,
            "share": percent_text(self.strategic_share),
        }


@dataclass(frozen=True)
class OverAllocatedFlag(Flag):
    kind = FlagKind.OVER_ALLOCATED
    member: MemberInfo
    week: WeekLoad

    def sort_key(self) -> tuple:
        return (self.kind, self.member.email, "", "", self.week.week)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "member": self.member.email,
            "week": self.week.week.isoformat(),
            "total_hours": hours_text(self.week.total_hours),
            "capacity_hours": hours_text(self.week.capacity_hours),
            "utilization": ratio_text(self.week.utilization),
        }

    def sentence(self) -> str:
        return _("%(name)s is over capacity in the week of %(week)s: %(total)s h of %(capacity)s h.") % {
            "name": self.member.name,
            "week": day_text(self.week.week),
            "total": hours_display(self.week.total_hours),
            "capacity": hours_display(self.week.capacity_hours),
        }


@dataclass(frozen=True)
class RoleUncoveredFlag(Flag):
    kind = FlagKind.ROLE_UNCOVERED
    role: RoleInfo

    def sort_key(self) -> tuple:
        return (self.kind, "", self.role.slug, "", datetime.date.min)

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "role": self.role.slug}

    def sentence(self) -> str:
        return _("Nobody active on the team holds the role %(role)s, though the team has its tasks.") % {
            "role": self.role.name
        }


@dataclass(frozen=True)
class SingleHolderFlag(Flag):
    kind = FlagKind.SINGLE_HOLDER
    role: RoleInfo
    member: MemberInfo

    def sort_key(self) -> tuple:
        return (self.kind, self.member.email, self.role.slug, "", datetime.date.min)

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "role": self.role.slug, "member": self.member.email}

    def sentence(self) -> str:
        return _("Only %(name)s holds the role %(role)s: there is no backup.") % {
            "name": self.member.name,
            "role": self.role.name,
        }


@dataclass(frozen=True)
class TaskUnassignedFlag(Flag):
    kind = FlagKind.TASK_UNASSIGNED
    task: TaskInfo
    assigned_share: int

    def sort_key(self) -> tuple:
        return (self.kind, "", "", self.task.title, datetime.date.min)

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "task": self.task.title, "assigned_share": self.assigned_share}

    def sentence(self) -> str:
        return _("%(task)s is only %(share)s %% assigned.") % {"task": self.task.title, "share": self.assigned_share}


@dataclass(slots=True)
class DutyUncoveredFlag(Flag):
    """An occurrence that falls in the assignee's time off (there can be thousands: kept light)."""

    kind = FlagKind.DUTY_UNCOVERED
    occurrence: Occurrence

    @property
    def task(self) -> TaskInfo:
        return self.occurrence.task

    @property
    def member(self) -> MemberInfo:
        return self.occurrence.member

    @property
    def date(self) -> datetime.date:
        return self.occurrence.date

    @property
    def hours(self) -> Fraction:
        return self.occurrence.hours

    def sort_key(self) -> tuple:
        occurrence = self.occurrence
        return (self.kind, occurrence.member.email, "", occurrence.task.title, occurrence.date)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "task": self.task.title,
            "member": self.member.email,
            "date": self.date.isoformat(),
            "hours": hours_text(self.hours),
        }

    def sentence(self) -> str:
        return _("%(task)s falls on %(name)s on %(date)s, a day off: %(hours)s h uncovered.") % {
            "task": self.task.title,
            "name": self.member.name,
            "date": day_text(self.date),
            "hours": hours_display(self.hours),
        }


@dataclass(frozen=True)
class AccountableMissingFlag(Flag):
    """A task of a team with RACI on that no active member of the team answers for (docs/rules.md, "RACI")."""

    kind = FlagKind.ACCOUNTABLE_MISSING
    task: TaskInfo

    def sort_key(self) -> tuple:
        return (self.kind, "", "", self.task.title, datetime.date.min)

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "task": self.task.title}

    def sentence(self) -> str:
        return _("No active team member is accountable for %(task)s.") % {"task": self.task.title}


def member_flags(workload: MemberWorkload, *, dual_min: Fraction, strategy_min: Fraction) -> list[Flag]:
    """The flags of one member's load alone: dual role, strategy squeezed, over capacity (any week)."""
    member, flags = workload.member, []
    focuses = {role.focus for role in workload.holdings}
    operational, strategic = workload.operational_hours, workload.strategic_hours
    total = operational + strategic
    explicit = OPERATIONAL in focuses and STRATEGIC in focuses
    by_work = operational > 0 and strategic > 0 and min(operational, strategic) >= dual_min * total
    if explicit or by_work:
        flags.append(DualRoleFlag(member, explicit, by_work, operational, strategic, workload.acknowledged))
    if STRATEGIC in focuses and total > 0 and strategic / total < strategy_min:
        flags.append(StrategySqueezedFlag(member, strategic / total))
    flags.extend(OverAllocatedFlag(member, week) for week in workload.weeks if week.band == Band.OVER)
    return flags


def flag_thresholds() -> tuple[Fraction, Fraction]:
    """The dual-role minimum share and the strategy minimum share, exact (settings)."""
    return Fraction(settings.TEAMPLANNER_DUAL_ROLE_MIN_SHARE), Fraction(settings.TEAMPLANNER_STRATEGY_MIN_SHARE)


def team_flags(result: TeamWorkload) -> list[Flag]:
    flags: list[Flag] = []
    dual_min, strategy_min = flag_thresholds()

    holders: dict[int, list[MemberInfo]] = {}
    for workload in result.members:
        member = workload.member
        for role in workload.holdings:
            holders.setdefault(role.id, []).append(member)
        flags.extend(member_flags(workload, dual_min=dual_min, strategy_min=strategy_min))

    roles_in_use = {task.role.id: task.role for task in result.tasks}
    for role_id, role in roles_in_use.items():
        role_holders = holders.get(role_id, [])
        if not role_holders:
            flags.append(RoleUncoveredFlag(role))
        elif len(role_holders) == 1:
            flags.append(SingleHolderFlag(role, role_holders[0]))

    for task in result.tasks:
        share = result.assigned_shares[task.id]
        if share < 100:
            flags.append(TaskUnassignedFlag(task, share))
        if task.accountable_missing:
            flags.append(AccountableMissingFlag(task))

    flags.extend(
        DutyUncoveredFlag(occurrence)
        for occurrence in result.occurrences
        if not occurrence.counted and occurrence.covered_by is None
    )
    flags.sort(key=lambda flag: flag.sort_key())
    return flags
