"""The assignment board: one page of the team's active tasks by focus, its archived tasks, and the workload
badges of the people on that page's cards.

docs/rules.md, "Pages" (the board) and "Decisions the project made" (inactive assignees).

**How the board pages** (a decision): each column pages on its own, in step. Page N shows the Nth
``BOARD_PAGE_SIZE`` tasks of the operational column *and* the Nth of the strategic one, and each
column's count is over every task that matches the filters, not only the page's. A manager opens
the board to see both kinds of work side by side: paging both columns as one list (operational
first) showed a page 1 with "Strategic 0 · No strategic tasks match" whenever the team had more than
a page of operational tasks, and hid the strategic work behind the last pages. When one column runs
out before the other, its later pages say that its tasks are on earlier pages.

A task's place on the board (``board_place``) is its rank in its column under the same filters and
order, so a redirect or a link after a write lands on the page that shows its card.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Window
from django.db.models.functions import Coalesce, RowNumber

from assignments.loads import MemberWorkload
from assignments.member_report import members_report
from assignments.models import Assignment, Task
from assignments.report import team_report
from roles.models import Role, Team, TeamMember

from .bands import BandLegend, badge_legend

BOARD_PAGE_SIZE = 30  # tasks of each column on a page
BOARD_LOAD_WEEKS = 4  # the badges: this week and the next three
ARCHIVED_SHOWN = 50  # the archived tasks listed at most (by title); the filters narrow the list
COLUMN_ORDER = ("role__position", "title", "pk")  # within a column; pk only breaks ties
FOCUSES = (Role.Focus.OPERATIONAL, Role.Focus.STRATEGIC)


@dataclass
class BoardTask:
    task: Task
    assignments: list[Assignment]  # by member name, inactive members included (shown as not counted)
    assigned_share: int  # the shares of active members only

    @property
    def share_left(self) -> int:
        return max(100 - self.assigned_share, 0)


@dataclass
class LoadsPanel:
    """The workload badges of some active members (those the cards shown concern), and the legend of their bands."""

    members: list[MemberWorkload]
    legend: BandLegend


@dataclass
class BoardPages:
    """Which page of the board this is: the columns page in step, so there are as many as the longer one needs."""

    number: int
    count: int

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

    @property
    def offset(self) -> int:
        """How many tasks of each column come before this page."""
        return (self.number - 1) * BOARD_PAGE_SIZE


@dataclass
class ColumnHead:
    """A column's count over every page, and which of its tasks this page shows."""

    focus: str
    count: int  # every active task of this focus that matches the filters
    page: int

    @property
    def first(self) -> int:
        """The rank of the page's first task in the column (1-based), or 0 when the page shows none."""
        first = (self.page - 1) * BOARD_PAGE_SIZE + 1
        return first if first <= self.count else 0

    @property
    def last(self) -> int:
        return min(self.page * BOARD_PAGE_SIZE, self.count) if self.first else 0

    @property
    def on_earlier_pages(self) -> bool:
        """The column has tasks, but none left for this page."""
        return self.count > 0 and not self.first

    @property
    def spans_pages(self) -> bool:
        return self.count > BOARD_PAGE_SIZE

    @property
    def last_page(self) -> int:
        """The page that shows the column's last tasks."""
        return max(math.ceil(self.count / BOARD_PAGE_SIZE), 1)


@dataclass
class ArchivedTasks:
    """The team's archived tasks that match the filters, by title: the first ``ARCHIVED_SHOWN`` and how many."""

    tasks: list[Task]
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.tasks)


@dataclass
class BoardSummary:
    """What a write can change outside its card: the columns' counts, the pages, the archived tasks."""

    operational: ColumnHead
    strategic: ColumnHead
    pages: BoardPages
    archived: ArchivedTasks


@dataclass
class Board:
    operational: list[BoardTask]
    strategic: list[BoardTask]
    summary: BoardSummary
    roles: list[Role]  # for the task forms
    members: list[tuple[int, str]]  # (id, name) of the active members, by name: the filter and the assign form
    loads: LoadsPanel  # the badges of the active members on this page's cards


@dataclass
class BoardPlace:
    """Where a task's card is: its page, under the filters it was looked up with (none if it did not match them)."""

    page: int
    filters: dict


def _team_tasks(team: Team) -> QuerySet[Task]:
    """The team's tasks (archived too), each with its assigned share: the shares of active members only."""
    shares = (
        Assignment.objects.counted()
        .filter(task=OuterRef("pk"))
        .order_by()
        .values("task")
        .annotate(total=Sum("share_percent"))
    )
    return Task.objects.filter(team=team).annotate(assigned=Coalesce(Subquery(shares.values("total")), 0))


def _filtered(tasks: QuerySet[Task], filters: dict) -> QuerySet[Task]:
    """The board's filters (``BoardFilterForm``'s cleaned data; empty values are no filter)."""
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
    return tasks


def board_task_queryset(team: Team) -> QuerySet[Task]:
    """The team's active tasks, operational first, with their assigned share; assignments prefetched."""
    return (
        _team_tasks(team)
        .filter(is_active=True)
        .select_related("role")
        .prefetch_related(
            Prefetch("assignments", Assignment.objects.select_related("member").order_by("member__full_name"))
        )
        .order_by("role__focus", *COLUMN_ORDER)  # "operational" before "strategic"
    )


def _board_task(task: Task) -> BoardTask:
    return BoardTask(task, list(task.assignments.all()), task.assigned)


def board_task(*, team: Team, task_id: int) -> BoardTask:
    """One active task of the team as the board shows it (after a change to its card)."""
    return _board_task(board_task_queryset(team).get(pk=task_id))


def _page_number(page: str | int | None, count: int) -> int:
    """Like ``Paginator.get_page``: not a number means the first page, beyond the last means the last."""
    try:
        number = int(page)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), count)


def board_summary(*, team: Team, filters: dict, page: str | int | None = None) -> BoardSummary:
    """The columns' counts and the archived tasks under ``filters``, and page ``page`` of them: two queries."""
    tasks = _filtered(_team_tasks(team), filters)
    counts = tasks.aggregate(
        operational=Count("pk", filter=Q(is_active=True, role__focus=Role.Focus.OPERATIONAL)),
        strategic=Count("pk", filter=Q(is_active=True, role__focus=Role.Focus.STRATEGIC)),
        archived=Count("pk", filter=Q(is_active=False)),
    )
    page_count = max(math.ceil(max(counts["operational"], counts["strategic"]) / BOARD_PAGE_SIZE), 1)
    pages = BoardPages(number=_page_number(page, page_count), count=page_count)
    archived = list(tasks.filter(is_active=False).select_related("role").order_by("title", "pk")[:ARCHIVED_SHOWN])
    return BoardSummary(
        operational=ColumnHead(Role.Focus.OPERATIONAL, counts["operational"], pages.number),
        strategic=ColumnHead(Role.Focus.STRATEGIC, counts["strategic"], pages.number),
        pages=pages,
        archived=ArchivedTasks(archived, counts["archived"]),
    )


def team_board(*, team: Team, filters: dict, today: datetime.date, page: str | int | None = None) -> Board:
    """One page of the board: the page's slice of each column in one query (a window function ranks the
    tasks within their focus), the counts, the archived tasks, and the team's loads."""
    summary = board_summary(team=team, filters=filters, page=page)
    offset = summary.pages.offset
    ranked = _filtered(board_task_queryset(team), filters).annotate(
        column_rank=Window(
            RowNumber(),
            partition_by=[F("role__focus")],
            order_by=[F(name).asc() for name in COLUMN_ORDER],
        )
    )
    cards = [
        _board_task(task) for task in ranked.filter(column_rank__gt=offset, column_rank__lte=offset + BOARD_PAGE_SIZE)
    ]
    members = member_choices(team)
    shown = assignee_ids(cards)
    return Board(
        operational=[card for card in cards if card.task.role.focus == Role.Focus.OPERATIONAL],
        strategic=[card for card in cards if card.task.role.focus == Role.Focus.STRATEGIC],
        summary=summary,
        roles=board_roles(),
        members=members,
        loads=team_loads(team=team, today=today, member_ids=shown, whole_team=len(shown) == len(members)),
    )


def assignee_ids(cards: list[BoardTask]) -> list[int]:
    """The active members on ``cards``: whose badges the load panel shows."""
    ids = {assignment.member_id for card in cards for assignment in card.assignments if assignment.member.is_active}
    return sorted(ids)


def task_assignee_ids(task: Task) -> list[int]:
    """The active members on a task (archived or not): whose load a change to the task changes."""
    return list(
        Assignment.objects.filter(task=task, member__is_active=True)
        .order_by("member_id")
        .values_list("member_id", flat=True)
    )


def member_choices(team: Team) -> list[tuple[int, str]]:
    """(id, name) of the team's active members, by name: the people a task can be assigned to."""
    return list(
        TeamMember.objects.filter(team=team, is_active=True)
        .order_by("full_name", "email")
        .values_list("pk", "full_name")
    )


def board_place(*, team: Team, task_id: int, filters: dict) -> BoardPlace | None:
    """The page that shows the active task ``task_id``: under ``filters`` if it matches them, else without
    filters (a write can take a task out of a filter, e.g. "not fully assigned" once it is). None when
    the team has no such active task. Two queries: the task's sort keys, and how many come before it."""
    for candidate in [filters, {}] if any(filters.values()) else [{}]:
        tasks = _filtered(_team_tasks(team).filter(is_active=True), candidate)
        keys = tasks.filter(pk=task_id).values("role__focus", "role__position", "title").first()
        if keys is None:
            continue
        position, title = keys["role__position"], keys["title"]
        before = (
            tasks.filter(role__focus=keys["role__focus"])
            .filter(
                Q(role__position__lt=position)
                | Q(role__position=position, title__lt=title)
                | Q(role__position=position, title=title, pk__lt=task_id)
            )
            .count()
        )
        return BoardPlace(page=before // BOARD_PAGE_SIZE + 1, filters=candidate)
    return None


def board_roles() -> list[Role]:
    """The roles a task can have, in the order the task form lists them."""
    return list(Role.objects.for_pickers())


def team_loads(
    *,
    team: Team,
    today: datetime.date,
    member_ids: list[int],
    weeks: int = BOARD_LOAD_WEEKS,
    whole_team: bool = False,
) -> LoadsPanel:
    """The workload badges of the members ``member_ids`` (the active ones, by name), from the week of ``today``.

    The board shows the people its cards concern, not the whole team (the overview does), and computes only
    them (``members_report``), with the figures the team's report gives them: a team of hundreds costs the
    board what its page's people cost. When they are the whole team (``whole_team``), they are the team's
    report, which is kept under the team's plan revision (``team_report``): nothing to compute again until
    the plan changes."""
    if not member_ids:
        return LoadsPanel(members=[], legend=badge_legend())
    if whole_team:
        members = team_report(team=team, start=today, weeks=weeks).workload.members
    else:
        members = members_report(team=team, member_ids=member_ids, start=today, weeks=weeks).workload.members
    return LoadsPanel(members=members, legend=badge_legend())
