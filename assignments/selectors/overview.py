"""The team overview and the workload document: the team's weeks and its flags, from ``team_report``.

docs/rules.md, "Pages" (the overview) and "Workload document (JSON)" (the API).

**How the heatmap pages** (a decision): the members are ranked most loaded first, on every team, by
their *peak*: the highest utilization (hours ÷ capacity) of any week shown. A week with hours and no
capacity (band ``over`` at capacity 0) ranks above any ratio; equal peaks keep the engine's order
(name, then email). A page shows ``OVERVIEW_PAGE_SIZE`` members of that ranking, after the filters
(a band some week shows, a role held in the window); the team's totals stay the whole team's.

**What is cached** (``plan_cache``, under the plan's revision): ``OverviewWindow``, what derives from the
plan alone, small (the ranking as tuples; a folded kind's count, not its lines: ``flag_group`` fetches
them); never a sentence, a heading or today's week, which are written per request, in its language.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assignments.calendars import monday_of
from assignments.document import workload_document
from assignments.flag_lines import FlagLine, flag_lines
from assignments.flags import Flag, FlagKind
from assignments.formatting import band_name, hours_display, percent_text
from assignments.loads import MemberWorkload, WeekLoad
from assignments.plan_cache import cached
from assignments.report import team_report
from assignments.workload_rows import RoleInfo
from roles.models import Role, Team

from .bands import BandLegend, heatmap_legend

OVERVIEW_WEEKS = 6
OVERVIEW_PAGE_SIZE = 25  # members of the heatmap on a page
FLAG_GROUP_LIMIT = 50  # a page lists this many flags of a kind; a large team's thousands stay readable
FLAG_GROUP_OPEN_MAX = 12  # a kind with more lines starts folded, and its lines fetch their forms when opened


# The order a manager should read them in (docs/rules.md, "Pages"), with each kind's heading.
FLAG_GROUPS = {
    FlagKind.DUAL_ROLE: _("Covers both operational and strategic roles"),
    FlagKind.OVER_ALLOCATED: _("Over capacity"),
    FlagKind.STRATEGY_SQUEEZED: _("Strategy squeezed out"),
    FlagKind.ROLE_UNCOVERED: _("Roles nobody holds"),
    FlagKind.SINGLE_HOLDER: _("Roles with a single holder"),
    FlagKind.TASK_UNASSIGNED: _("Tasks not fully assigned"),
    FlagKind.DUTY_UNCOVERED: _("Duties during time off"),
    FlagKind.ACCOUNTABLE_MISSING: _("Tasks nobody answers for"),
}


@dataclass
class FlagGroup:
    """One kind's lines: a person's weeks over capacity or days of duties on leave are one line, not one each.

    Only plain values: the overview keeps its groups in the plan's cache (heading and sentences are
    written when read, in the reader's language). A folded kind's group on the page has no ``lines``: the
    page fetches them when the manager opens it (``flag_group``).
    """

    kind: str
    lines: list[FlagLine]  # the first FLAG_GROUP_LIMIT, or none (a folded kind, fetched when opened)
    total: int  # lines of this kind, shown or not

    @property
    def title(self) -> str:
        return str(FLAG_GROUPS[self.kind])

    @property
    def hidden(self) -> int:
        return self.total - len(self.lines)

    @property
    def folded(self) -> bool:
        """Whether the kind starts folded: its lines, and each line's form, are fetched when opened."""
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
        FlagGroup(kind, by_kind[kind][:FLAG_GROUP_LIMIT], len(by_kind[kind])) for kind in FLAG_GROUPS if by_kind[kind]
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


# A heatmap row as the cache keeps it, plain values only: (member id, name, ids of the roles held in the
# window, and per week (band, hours numerator, denominator, capacity numerator, denominator)). A page
# turns its own rows into ``HeatmapRow``s; the other hundreds are never more than tuples.
CELL_HTML = '<td class="cell cell--{}"><span class="cell__hours">{}</span> <span class="cell__band">{}</span></td>'
SENTINEL = 987654321987  # where the reversed URL of a member's page takes the id
RankedRow = tuple[int, str, tuple[int, ...], tuple[tuple[str, int, int, int, int], ...]]


@dataclass(frozen=True, slots=True)
class HeatmapMember:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class HeatmapRow:
    """One member's line of the heatmap: the member, their page, and their weeks' cells, written (``CELL_HTML``)."""

    member: HeatmapMember
    url: str
    cells: str


def ranked_row(load: MemberWorkload) -> RankedRow:
    cells = tuple(
        (week.band, *week.total_hours.as_integer_ratio(), *week.capacity_hours.as_integer_ratio())
        for week in load.weeks
    )
    return (load.member.id, load.member.name, tuple(role.id for role in load.holdings), cells)


def heatmap_rows(rows: list[RankedRow]) -> list[HeatmapRow]:
    """A page's rows, in the language of the request. Rendering is most of what the page costs, so the
    cells come written, each distinct cell and figure once (a page repeats its capacities)."""
    cells: dict[tuple, str] = {}
    hours: dict[Fraction, str] = {}
    before, _sentinel, after = reverse("assignments:member", args=[SENTINEL]).partition(str(SENTINEL))
    pattern = gettext("%(total)s / %(capacity)s h")

    def hours_of(value: Fraction) -> str:
        if value not in hours:
            hours[value] = hours_display(value)
        return hours[value]

    def cell(week: tuple[str, int, int, int, int]) -> str:
        if week not in cells:
            band, total, capacity = week[0], Fraction(week[1], week[2]), Fraction(week[3], week[4])
            text = pattern % {"total": hours_of(total), "capacity": hours_of(capacity)}
            cells[week] = CELL_HTML.format(escape(band), escape(text), escape(band_name(band)))
        return cells[week]

    return [
        HeatmapRow(
            HeatmapMember(member_id, name),
            f"{before}{member_id}{after}",
            mark_safe("".join(cell(week) for week in weeks)),  # each cell's values are escaped
        )
        for member_id, name, _roles, weeks in rows
    ]


@dataclass(frozen=True)
class HeatmapPage:
    """One page of the heatmap's members (most loaded first, after the filters) and where it lies."""

    members: list[HeatmapRow]
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

    has_previous = property(lambda self: self.number > 1)
    has_next = property(lambda self: self.number < self.count)
    previous_page_number = property(lambda self: self.number - 1)
    next_page_number = property(lambda self: self.number + 1)


@dataclass(frozen=True)
class OverviewWindow:
    """What the overview shows of a window that derives from the plan alone, so the plan's cache keeps it
    (``plan_cache``): small, plain values, the whole team's ranking as tuples and the open kinds' lines."""

    weeks: list[datetime.date]
    totals: list[WeekLoad]  # the whole team's, per week
    roles: list[RoleInfo]  # the roles held in the window: the role filter's choices
    ranked: list[RankedRow]  # every active member, most loaded first (``peak_load``, then name)
    flag_groups: list[FlagGroup]  # a folded kind without its lines

    @property
    def start(self) -> datetime.date:
        return self.weeks[0]


def overview_window(*, team: Team, start: datetime.date, weeks: int) -> OverviewWindow:
    """The window of ``weeks`` weeks from the week of ``start``, from the cache or from ``team_report``."""
    monday = monday_of(start)
    return cached(team, ("overview", monday, weeks), lambda: _computed_window(team, monday, weeks))


def _computed_window(team: Team, monday: datetime.date, weeks: int) -> OverviewWindow:
    report = team_report(team=team, start=monday, weeks=weeks)
    members = report.workload.members
    return OverviewWindow(
        weeks=report.workload.weeks,
        totals=report.workload.totals,
        roles=held_roles(members),
        ranked=[ranked_row(load) for load in sorted(members, key=peak_load, reverse=True)],  # stable: ties by name
        flag_groups=[replace(group, lines=[]) if group.folded else group for group in group_flags(report.flags)],
    )


def flag_group(*, team: Team, start: datetime.date, kind: str, weeks: int = OVERVIEW_WEEKS) -> FlagGroup | None:
    """One kind's group with its first ``FLAG_GROUP_LIMIT`` lines (what a folded kind fetches), or None."""
    monday = monday_of(start)

    def compute() -> FlagGroup | None:
        groups = group_flags(team_report(team=team, start=monday, weeks=weeks).flags)
        return next((group for group in groups if group.kind == kind), None)

    return cached(team, ("overview_flags", monday, weeks, kind), compute)


@dataclass
class Overview:
    workload: OverviewWindow
    this_week: datetime.date
    previous_start: datetime.date
    next_start: datetime.date
    legend: BandLegend

    @property
    def flag_groups(self) -> list[FlagGroup]:
        return self.workload.flag_groups

    @property
    def roles(self) -> list[RoleInfo]:
        return self.workload.roles

    def heatmap(self, *, band: str | None = None, role_id: int | None = None, page: int = 1) -> HeatmapPage:
        """Page ``page`` (clamped to the last) of the members who have a week in ``band`` and hold ``role_id``."""
        matching = [
            row
            for row in self.workload.ranked
            if (not band or any(cell[0] == band for cell in row[3])) and (role_id is None or role_id in row[2])
        ]
        count = max(math.ceil(len(matching) / OVERVIEW_PAGE_SIZE), 1)
        number = min(max(page, 1), count)
        offset = (number - 1) * OVERVIEW_PAGE_SIZE
        return HeatmapPage(
            members=heatmap_rows(matching[offset : offset + OVERVIEW_PAGE_SIZE]),
            number=number,
            count=count,
            matching=len(matching),
            team_size=len(self.workload.ranked),
            filtered=bool(band) or role_id is not None,
        )

    def unfold(self, team: Team, kind: str) -> None:
        """Puts the lines of a folded ``kind`` on the page (the kind the manager was acting in)."""
        groups = self.workload.flag_groups
        for place, group in enumerate(groups):
            if group.kind == kind and not group.lines:
                full = flag_group(team=team, start=self.workload.start, kind=kind, weeks=len(self.workload.weeks))
                groups = [*groups[:place], full or group, *groups[place + 1 :]]
        self.workload = replace(self.workload, flag_groups=groups)

    def week_heads(self) -> list[tuple[bool, str]]:
        """The heatmap's column heads: (this week?, "Week of 30 Nov"), written without a template tag each."""
        pattern = gettext("Week of %(day)s")
        return [(week == self.this_week, pattern % {"day": date_format(week, "j M")}) for week in self.workload.weeks]

    def total_cells(self) -> list[tuple[str, str]]:
        """The whole team's row: ("hours / capacity h", utilization or "—") per week."""
        pattern = gettext("%(total)s / %(capacity)s h")
        return [
            (
                pattern % {"total": hours_display(total.total_hours), "capacity": hours_display(total.capacity_hours)},
                "—" if total.utilization is None else percent_text(total.utilization),
            )
            for total in self.workload.totals
        ]

    def legend_bands(self) -> str:
        """The legend's bands, written (``assignments/_band.html``'s markup, without a template per band)."""
        return format_html_join(
            " ", '<span class="band band--{}">{}</span>', ((b, band_name(b)) for b in self.legend.bands)
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
    window = overview_window(team=team, start=start, weeks=weeks)
    return Overview(
        workload=window,
        this_week=monday_of(today),
        previous_start=window.start - datetime.timedelta(days=7),
        next_start=window.start + datetime.timedelta(days=7),
        legend=heatmap_legend(),
    )


def team_workload_document(*, team: Team, start: datetime.date, weeks: int) -> dict[str, Any]:
    """The workload document of the API: the same ``team_report`` the pages read, written as JSON."""
    return workload_document(team_report(team=team, start=start, weeks=weeks))
