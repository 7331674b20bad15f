"""The team overview and the workload document: the team's weeks and its flags, from ``team_report``.

docs/rules.md, "Pages" (the overview) and "Workload document (JSON)" (the API).

**How the heatmap pages** (a decision): the members are ranked most loaded first, on every team, by
their *peak*: the highest utilization (hours ÷ capacity) of any week shown. A week with hours and no
capacity (band ``over`` at capacity 0) ranks above any ratio; equal peaks keep the engine's order
(name, then email). A page shows ``OVERVIEW_PAGE_SIZE`` members of that ranking, after the filters
(a band some week shows, a role held in the window); the team's totals stay the whole team's.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from assignments.calendars import monday_of
from assignments.document import workload_document
from assignments.flag_lines import FlagLine, flag_lines
from assignments.flags import Flag, FlagKind
from assignments.loads import MemberWorkload, TeamWorkload
from assignments.report import team_report
from assignments.workload_rows import RoleInfo
from roles.models import Role, Team

from .bands import BandLegend, heatmap_legend

OVERVIEW_WEEKS = 6
OVERVIEW_PAGE_SIZE = 25  # members of the heatmap on a page
FLAG_GROUP_LIMIT = 50  # a page lists this many flags of a kind; a large team's thousands stay readable
FLAG_GROUP_OPEN_MAX = 12  # a kind with more lines starts folded, and its lines fetch their forms when opened


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

    @property
    def folded(self) -> bool:
        """Whether the kind starts folded: then each line's form is fetched when the manager opens it."""
        return self.total > FLAG_GROUP_OPEN_MAX


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


def peak_load(load: MemberWorkload) -> tuple[int, Fraction]:
    """How loaded a member is for the ranking: (1, 0) with hours in a week of no capacity, else (0, peak ratio)."""
    if any(week.capacity_hours == 0 and week.total_hours > 0 for week in load.weeks):
        return (1, Fraction(0))
    return (0, max((week.utilization or Fraction(0) for week in load.weeks), default=Fraction(0)))


def held_roles(members: list[MemberWorkload]) -> list[RoleInfo]:
    """The roles the members hold in the window, each once: operational first, then by name."""
    roles = {role.id: role for load in members for role in load.holdings}
    order = {Role.Focus.OPERATIONAL: 0, Role.Focus.STRATEGIC: 1}
    return sorted(roles.values(), key=lambda role: (order.get(role.focus, 2), role.name.casefold(), role.id))


@dataclass(frozen=True)
class HeatmapPage:
    """One page of the heatmap's members (most loaded first, after the filters) and where it lies."""

    members: list[MemberWorkload]
    number: int  # 1-based, clamped to the last page
    count: int  # pages, at least 1
    matching: int  # members that match the filters, on any page
    team_size: int  # active members, whatever the filters
    filtered: bool

    @property
    def first(self) -> int:
        """The rank of the page's first member among the matching (1-based), or 0 when it shows none."""
        return (self.number - 1) * OVERVIEW_PAGE_SIZE + 1 if self.members else 0

    @property
    def last(self) -> int:
        return self.first + len(self.members) - 1 if self.members else 0

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.count

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


@dataclass
class Overview:
    workload: TeamWorkload
    flag_groups: list[FlagGroup]
    this_week: datetime.date
    previous_start: datetime.date
    next_start: datetime.date
    legend: BandLegend
    ranked: list[MemberWorkload]  # every active member, most loaded first (``peak_load``, then name)
    roles: list[RoleInfo]  # the roles held in the window: the role filter's choices

    def heatmap(self, *, band: str | None = None, role_id: int | None = None, page: int = 1) -> HeatmapPage:
        """Page ``page`` (clamped to the last) of the members who have a week in ``band`` and hold ``role_id``."""
        matching = [
            load
            for load in self.ranked
            if (not band or any(week.band == band for week in load.weeks))
            and (role_id is None or any(role.id == role_id for role in load.holdings))
        ]
        count = max(math.ceil(len(matching) / OVERVIEW_PAGE_SIZE), 1)
        number = min(max(page, 1), count)
        offset = (number - 1) * OVERVIEW_PAGE_SIZE
        return HeatmapPage(
            members=matching[offset : offset + OVERVIEW_PAGE_SIZE],
            number=number,
            count=count,
            matching=len(matching),
            team_size=len(self.ranked),
            filtered=bool(band) or role_id is not None,
        )

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
    members = report.workload.members
    return Overview(
        workload=report.workload,
        flag_groups=group_flags(report.flags),
        this_week=monday_of(today),
        previous_start=report.workload.start - datetime.timedelta(days=7),
        next_start=report.workload.start + datetime.timedelta(days=7),
        legend=heatmap_legend(),
        ranked=sorted(members, key=peak_load, reverse=True),  # stable: equal peaks keep the name order
        roles=held_roles(members),
    )


def team_workload_document(*, team: Team, start: datetime.date, weeks: int) -> dict[str, Any]:
    """The workload document of the API: the same ``team_report`` the pages read, written as JSON."""
    return workload_document(team_report(team=team, start=start, weeks=weeks))
