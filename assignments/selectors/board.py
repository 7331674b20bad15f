"""The assignment board: one page of the team's active tasks by focus, and the workload badges beside it.

docs/rules.md, "Pages" (the board) and "Decisions the project made" (inactive assignees).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from assignments.loads import MemberWorkload
from assignments.models import Assignment, Task
from assignments.report import team_report
from roles.models import Role, Team

from .bands import BandLegend, badge_legend

BOARD_PAGE_SIZE = 30
BOARD_LOAD_WEEKS = 4  # the badges: this week and the next three


@dataclass
class BoardTask:
    task: Task
    assignments: list[Assignment]  # by member name, inactive members included (tagged on the card)
    assigned_share: int

    @property
    def share_left(self) -> int:
        return max(100 - self.assigned_share, 0)


@dataclass
class LoadsPanel:
    """The workload badges: every active member's next weeks, and the legend of their bands."""

    members: list[MemberWorkload]
    legend: BandLegend

    @property
    def member_choices(self) -> list[tuple[int, str]]:
        """(id, name) of the active members, the people a task can be assigned to."""
        return [(load.member.id, load.member.name) for load in self.members]


@dataclass
class Board:
    operational: list[BoardTask]
    strategic: list[BoardTask]
    roles: list[Role]  # for the task forms
    loads: LoadsPanel
    page: Page | None = None  # which tasks of how many


def board_task_queryset(team: Team) -> QuerySet[Task]:
    """The team's active tasks, operational first, with their assigned share; assignments prefetched."""
    shares = (
        Assignment.objects.filter(task=OuterRef("pk"), member__is_active=True)
        .order_by()
        .values("task")
        .annotate(total=Sum("share_percent"))
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


def _board_task(task: Task) -> BoardTask:
    return BoardTask(task, list(task.assignments.all()), task.assigned)


def board_task(*, team: Team, task_id: int) -> BoardTask:
    """One active task of the team as the board shows it (after a change to its card)."""
    return _board_task(board_task_queryset(team).get(pk=task_id))


def team_board(*, team: Team, filters: dict, today: datetime.date, page: str | None = None) -> Board:
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
    cards = [_board_task(task) for task in tasks_page.object_list]
    return Board(
        operational=[card for card in cards if card.task.role.focus == Role.Focus.OPERATIONAL],
        strategic=[card for card in cards if card.task.role.focus == Role.Focus.STRATEGIC],
        roles=board_roles(),
        loads=team_loads(team=team, today=today),
        page=tasks_page,
    )


def board_roles() -> list[Role]:
    """The roles a task can have, in the order the task form lists them."""
    return list(Role.objects.for_pickers())


def team_loads(*, team: Team, today: datetime.date, weeks: int = BOARD_LOAD_WEEKS) -> LoadsPanel:
    """The workload badges of the board, from the week of ``today``."""
    return LoadsPanel(members=team_report(team=team, start=today, weeks=weeks).workload.members, legend=badge_legend())
