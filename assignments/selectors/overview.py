"""The team overview and the workload document: the team's weeks and its flags, from ``team_report``.

docs/rules.md, "Pages" (the overview) and "Workload document (JSON)" (the API).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from assignments.calendars import monday_of
from assignments.document import workload_document
from assignments.flag_lines import FlagLine, flag_lines
from assignments.flags import Flag, FlagKind
from assignments.loads import TeamWorkload
from assignments.report import team_report
from roles.models import Team

from .bands import BandLegend, heatmap_legend

OVERVIEW_WEEKS = 6
FLAG_GROUP_LIMIT = 50  # a page lists this many flags of a kind; a large team's thousands stay readable


@dataclass(frozen=True)
class FlagGroupKind:
    """How the overview shows one kind of flag: its heading, and the template of each flag's links and forms."""

    kind: str
    title: Promise
    actions: str


# The order a manager should read them in (docs/rules.md, "Pages").
FLAG_GROUPS = [
    FlagGroupKind(
        FlagKind.DUAL_ROLE, _("Covers both operational and strategic roles"), "assignments/flags/_dual_role.html"
    ),
    FlagGroupKind(FlagKind.OVER_ALLOCATED, _("Over capacity"), "assignments/flags/_member_load.html"),
    FlagGroupKind(FlagKind.STRATEGY_SQUEEZED, _("Strategy squeezed out"), "assignments/flags/_member_load.html"),
    FlagGroupKind(FlagKind.ROLE_UNCOVERED, _("Roles nobody holds"), "assignments/flags/_role_uncovered.html"),
    FlagGroupKind(FlagKind.SINGLE_HOLDER, _("Roles with a single holder"), "assignments/flags/_single_holder.html"),
    FlagGroupKind(FlagKind.TASK_UNASSIGNED, _("Tasks not fully assigned"), "assignments/flags/_task_unassigned.html"),
    FlagGroupKind(FlagKind.DUTY_UNCOVERED, _("Duties during time off"), "assignments/flags/_duty_uncovered.html"),
]


@dataclass
class FlagGroup:
    """One kind's lines: a person's weeks over capacity or days of duties on leave are one line, not one each."""

    kind: str
    title: str
    actions: str  # the template of each line's links and forms (given the line's first flag)
    lines: list[FlagLine]  # the first FLAG_GROUP_LIMIT
    total: int  # lines of this kind, shown or not

    @property
    def hidden(self) -> int:
        return self.total - len(self.lines)


def group_flags(flags: list[Flag]) -> list[FlagGroup]:
    """The flags as lines (``flag_lines``), by kind, in the order a manager should read them.

    Kinds without a flag are left out. The cap (``FLAG_GROUP_LIMIT``) and the count of the rest
    are in lines, as the page shows them; the JSON document keeps one flag per week or day.
    """
    by_kind: dict[str, list[FlagLine]] = defaultdict(list)
    for line in flag_lines(flags):
        by_kind[line.kind].append(line)
    return [
        FlagGroup(
            group.kind,
            str(group.title),
            group.actions,
            by_kind[group.kind][:FLAG_GROUP_LIMIT],
            len(by_kind[group.kind]),
        )
        for group in FLAG_GROUPS
        if by_kind[group.kind]
    ]


@dataclass
class Overview:
    workload: TeamWorkload
    flag_groups: list[FlagGroup]
    this_week: datetime.date
    previous_start: datetime.date
    next_start: datetime.date
    legend: BandLegend

    def shows_dual_role_of(self, member_id: int) -> bool:
        """Whether the flags panel has a dual-role line for the member (with its acknowledge form)."""
        return any(
            line.flag.member.id == member_id
            for group in self.flag_groups
            if group.kind == FlagKind.DUAL_ROLE
            for line in group.lines
        )


def team_overview(*, team: Team, start: datetime.date, today: datetime.date, weeks: int = OVERVIEW_WEEKS) -> Overview:
    """The team's weeks from the week of ``start``, its flags by kind, and the links to the weeks around."""
    report = team_report(team=team, start=start, weeks=weeks)
    return Overview(
        workload=report.workload,
        flag_groups=group_flags(report.flags),
        this_week=monday_of(today),
        previous_start=report.workload.start - datetime.timedelta(days=7),
        next_start=report.workload.start + datetime.timedelta(days=7),
        legend=heatmap_legend(),
    )


def team_workload_document(*, team: Team, start: datetime.date, weeks: int) -> dict[str, Any]:
    """The workload document of the API: the same ``team_report`` the pages read, written as JSON."""
    return workload_document(team_report(team=team, start=start, weeks=weeks))
