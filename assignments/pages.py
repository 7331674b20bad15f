"""Reads behind the pages: each gathers one page's data in a fixed number of queries.

They return plain dataclasses; the views only pick the template.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from roles.models import Responsibility, Role, RoleHolding, Team, TeamMember, TimeOff

from .flags import Flag
from .loads import MemberWorkload, Occurrence, TeamWorkload, WeekLoad
from .models import Assignment, Task
from .report import team_report

FLAG_GROUPS = [
    ("dual_role", _("Covers both operational and strategic roles")),
    ("over_allocated", _("Over capacity")),
    ("strategy_squeezed", _("Strategy squeezed out")),
    ("role_uncovered", _("Roles nobody holds")),
    ("single_holder", _("Roles with a single holder")),
    ("task_unassigned", _("Tasks not fully assigned")),
    ("duty_uncovered", _("Duties during time off")),
]


FLAG_GROUP_LIMIT = 50  # a page lists this many flags of a kind; a large team's thousands stay readable


@dataclass
class FlagGroup:
    kind: str
    title: str
    flags: list[Flag]  # the first FLAG_GROUP_LIMIT
    total: int

    @property
    def hidden(self) -> int:
        return self.total - len(self.flags)


def group_flags(flags: list[Flag]) -> list[FlagGroup]:
    """Flags by kind, in the order a manager should read them."""
    by_kind: dict[str, list[Flag]] = defaultdict(list)
    for flag in flags:
        by_kind[flag.kind].append(flag)
    return [
        FlagGroup(kind, str(title), by_kind[kind][:FLAG_GROUP_LIMIT], len(by_kind[kind]))
        for kind, title in FLAG_GROUPS
        if by_kind[kind]
    ]


# --------------------------------------------------------------------------- chart


@dataclass
class ChartBar:
    load: WeekLoad
    x: float
    width: float
    operational_y: float
    operational_height: float
    strategic_y: float
    strategic_height: float
    capacity_y: float

    @property
    def half_width(self) -> float:
        return self.width / 2


@dataclass
class Chart:
    """A stacked operational/strategic bar per week against a capacity line, in SVG user units."""

    width: int
    height: int
    top: int
    bottom: int
    bars: list[ChartBar]
    gridlines: list[tuple[float, int]]  # (y, hours)


def workload_chart(weeks: list[WeekLoad], width: int = 640, height: int = 220) -> Chart:
    top, bottom, left = 10, height - 24, 36
    highest = max([float(w.total_hours) for w in weeks] + [float(w.capacity_hours) for w in weeks] + [1.0])
    step = 10 if highest <= 60 else 20
    ceiling = (int(highest * 1.1) // step + 1) * step
    scale = (bottom - top) / ceiling
    slot = (width - left) / max(len(weeks), 1)

    def y(hours: Fraction) -> float:
        return round(bottom - float(hours) * scale, 1)

    bars = []
    for index, load in enumerate(weeks):
        x = round(left + index * slot + slot * 0.2, 1)
        operational_top = y(load.operational_hours)
        total_top = y(load.total_hours)
        bars.append(
            ChartBar(
                load=load,
                x=x,
                width=round(slot * 0.6, 1),
                operational_y=operational_top,
                operational_height=round(bottom - operational_top, 1),
                strategic_y=total_top,
                strategic_height=round(operational_top - total_top, 1),
                capacity_y=y(load.capacity_hours),
            )
        )
    gridlines = [(y(Fraction(hours)), hours) for hours in range(0, ceiling + 1, step)]
    return Chart(width=width, height=height, top=top, bottom=bottom, bars=bars, gridlines=gridlines)


# --------------------------------------------------------------------------- overview


@dataclass
class Overview:
    workload: TeamWorkload
    flag_groups: list[FlagGroup]
    previous_start: datetime.date
    next_start: datetime.date


def team_overview(*, team: Team, start: datetime.date, weeks: int) -> Overview:
    report = team_report(team=team, start=start, weeks=weeks)
    return Overview(
        workload=report.workload,
        flag_groups=group_flags(report.flags),
        previous_start=report.workload.start - datetime.timedelta(days=7),
        next_start=report.workload.start + datetime.timedelta(days=7),
    )


# --------------------------------------------------------------------------- board


@dataclass
class BoardTask:
    task: Task
    assignments: list[Assignment]
    assigned_share: int

    @property
    def share_left(self) -> int:
        return max(100 - self.assigned_share, 0)


@dataclass
class Board:
    operational: list[BoardTask]
    strategic: list[BoardTask]
    members: list[TeamMember]
    roles: list[Role]
    loads: list[MemberWorkload]  # the team's next weeks, for the workload badges
    page: Page | None = None  # which tasks of how many


BOARD_PAGE_SIZE = 30


def board_task_queryset(team: Team) -> QuerySet[Task]:
    """The team's active tasks, operational first, with their assigned share; assignments prefetched."""
    shares = (
        Assignment.objects.filter(task=OuterRef("pk")).order_by().values("task").annotate(total=Sum("share_percent"))
    )
    return (
        Task.objects.filter(team=team, is_active=True)
        .select_related("role")
        .annotate(assigned=Coalesce(Subquery(shares.values("total")), 0))
        .prefetch_related(
            Prefetch("assignments", Assignment.objects.select_related("member").order_by("member__full_name"))
        )
        .order_by("role__focus", "role__position", "title")  # "operational" before "strategic"
    )


def board_task(task: Task) -> BoardTask:
    return BoardTask(task, list(task.assignments.all()), task.assigned)


def team_board(*, team: Team, filters: dict, today: datetime.date, page: str | None = None, weeks: int = 4) -> Board:
    """One page of the board (tasks filtered, then paginated in the database), with the team's loads."""
    tasks = board_task_queryset(team)
    if filters.get("focus"):
        tasks = tasks.filter(role__focus=filters["focus"])
    if filters.get("role"):
        tasks = tasks.filter(role=filters["role"])
    if filters.get("channel"):
        tasks = tasks.filter(channel=filters["channel"])
    if filters.get("member"):
        tasks = tasks.filter(Exists(Assignment.objects.filter(task=OuterRef("pk"), member=filters["member"])))
    if filters.get("unassigned"):
        tasks = tasks.filter(assigned__lt=100)
    tasks_page = Paginator(tasks, BOARD_PAGE_SIZE).get_page(page)
    cards = [board_task(task) for task in tasks_page.object_list]
    loads = team_loads(team=team, today=today, weeks=weeks)
    return Board(
        operational=[c for c in cards if c.task.role.focus == Role.Focus.OPERATIONAL],
        strategic=[c for c in cards if c.task.role.focus == Role.Focus.STRATEGIC],
        members=[load.member for load in loads],
        roles=board_roles(),
        loads=loads,
        page=tasks_page,
    )


def board_roles() -> list[Role]:
    """The roles a task can have, in the order the task form lists them."""
    return list(Role.objects.for_pickers())


def team_loads(*, team: Team, today: datetime.date, weeks: int = 4) -> list[MemberWorkload]:
    """The workload badges of the board."""
    return team_report(team=team, start=today, weeks=weeks).workload.members


# --------------------------------------------------------------------------- member page and my duties


@dataclass
class MemberPage:
    member: TeamMember
    holdings: list[RoleHolding]
    assignments: list[Assignment]
    time_off: list[TimeOff]
    workload: MemberWorkload
    chart: Chart
    flags: list[Flag]
    occurrences: list[Occurrence] = field(default_factory=list)
    dual_role: Flag | None = None


def _member_rows(member: TeamMember):
    holdings = list(
        member.role_holdings.select_related("role")
        .prefetch_related(Prefetch("role__responsibilities", Responsibility.objects.order_by("position")))
        .order_by("-start_date")
    )
    assignments = list(
        member.assignments.filter(task__is_active=True).select_related("task__role").order_by("task__title")
    )
    time_off = list(member.time_off.order_by("-start_date"))
    return holdings, assignments, time_off


def member_page(*, member: TeamMember, start: datetime.date, weeks: int, with_duties: bool = False) -> MemberPage:
    """One member's roles, tasks, time off, workload, chart and flags (the team's engine run, then filtered)."""
    report = team_report(team=member.team, start=start, weeks=weeks, occurrences_of=member.pk if with_duties else None)
    result = report.workload
    workload = next((w for w in result.members if w.member.id == member.pk), None)
    if workload is None:  # an inactive member is not in the engine's list: an empty load
        workload = MemberWorkload(
            member=None,
            weeks=[WeekLoad(w, Fraction(0), Fraction(0), Fraction(0)) for w in result.weeks],
            operational_hours=Fraction(0),
            strategic_hours=Fraction(0),
        )
    flags = report.flags_of(member.pk)
    holdings, assignments, time_off = _member_rows(member)
    return MemberPage(
        member=member,
        holdings=holdings,
        assignments=assignments,
        time_off=time_off,
        workload=workload,
        chart=workload_chart(workload.weeks),
        flags=flags,
        occurrences=[o for o in result.occurrences if o.member.id == member.pk and o.covered],
        dual_role=next((flag for flag in flags if flag.kind == "dual_role"), None),
    )
