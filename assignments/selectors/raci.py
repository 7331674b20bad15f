"""The RACI page's data (docs/rules.md, "RACI"): for a window of weeks, who is Responsible for each active task
(its assignees, with their hours), who is Accountable, Consulted and Informed; each member's totals; and the
dual role seen through RACI.

**What R shows** (a decision): an assignee's hours on the task over the window, exactly as the engine counts
them in that member's workload (their share of the task's occurrences inside their assignment's own dates,
less their days away): ``raci_hours.responsible_hours``, which the RACI export shows too. Covers are left
out: on an away assignee's covered days the hours are the substitute's in the workload, but not the
substitute's R (covering does not make them responsible). An assignee whose assignment's dates miss the
window is not R in that window.

**The members' totals and the warning** are over every active task of the team in the window, whatever
the page's filters show, so a filter never changes a person's numbers.

**What is cached** (``plan_cache``, under the plan revision, which every write to tasks, assignments, people
and involvements renews): ``RaciWindow``, plain values; the page's filters and paging are applied per request
(``raci_page``), so they cost no query.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assignments.calendars import monday_of
from assignments.formatting import percent_text
from assignments.models import Task, TaskInvolvement
from assignments.plan_cache import cached
from assignments.raci import ACCOUNTABLE, LETTER_OF_KIND
from assignments.raci_hours import responsible_hours
from assignments.workload import OPERATIONAL, STRATEGIC
from assignments.workload_rows import ACCOUNTABLE_HELD, RoleInfo, in_window
from roles.models import Team, TeamMember

# "Most" in the warning (a project decision): more than half. Accountable for more than this share of the
# team's active strategic tasks in the window, and Responsible for more than this share of its operational hours.
RACI_WARNING_MOST = Fraction(1, 2)
FOCUS_ORDER = {OPERATIONAL: 0, STRATEGIC: 1}


@dataclass(frozen=True, slots=True)
class RaciTask:
    id: int
    title: str
    role: RoleInfo
    accountable_id: int | None  # the active member who answers for it; None when nobody active does
    former_accountable: str  # the name of an Accountable who is no longer active, else ""

    @property
    def focus(self) -> str:
        return self.role.focus


@dataclass(frozen=True)
class RaciWindow:
    """What the page shows of a window, from the plan alone: the plan's cache keeps it."""

    start: datetime.date
    weeks: int
    members: list[tuple[int, str]]  # the active members: id, name (by name)
    tasks: list[RaciTask]  # the active tasks in the window: operational first, then strategic, each by title
    responsible: dict[tuple[int, int], Fraction]  # (task id, member id) -> the assignee's hours over the window
    involved: dict[tuple[int, int], str]  # (task id, member id) -> "C" or "I" (active members)

    def letter(self, task: RaciTask, member_id: int) -> str:
        """The member's one letter of A, C and I on the task, or ""."""
        if task.accountable_id == member_id:
            return ACCOUNTABLE
        return self.involved.get((task.id, member_id), "")

    @property
    def roles(self) -> list[RoleInfo]:
        """The roles of the tasks, each once: the role filter's choices (operational first, then by name)."""
        roles = {task.role.id: task.role for task in self.tasks}
        return sorted(roles.values(), key=lambda role: (FOCUS_ORDER.get(role.focus, 2), role.name.casefold()))


def raci_window(*, team: Team, start: datetime.date, weeks: int) -> RaciWindow:
    """The window of ``weeks`` weeks from the week of ``start``: from the cache, or three queries and the
    Responsible's hours (``raci_hours``, cached too: the engine's six queries when not)."""
    monday = monday_of(start)
    return cached(team, ("raci", monday, weeks), lambda: _computed_window(team, monday, weeks))


def _computed_window(team: Team, monday: datetime.date, weeks: int) -> RaciWindow:
    end = monday + datetime.timedelta(weeks=weeks, days=-1)
    roles: dict[int, RoleInfo] = {}
    tasks = []
    for task_id, title, *role, accountable_id, name, held in _task_rows(team, monday, end):
        role_info = roles.get(role[0]) or roles.setdefault(role[0], RoleInfo(*role))
        # an Accountable who left (or another team's) answers for nothing: the engine's rule
        tasks.append(RaciTask(task_id, title, role_info, accountable_id if held else None, "" if held else name or ""))
    tasks.sort(key=lambda task: FOCUS_ORDER[task.focus])  # stable: each focus keeps the title order
    members = TeamMember.objects.filter(team=team, is_active=True).order_by("full_name", "email")
    involvements = TaskInvolvement.objects.filter(
        _in_window("task__", team, monday, end), member__team=team, member__is_active=True
    ).order_by()
    return RaciWindow(
        start=monday,
        weeks=weeks,
        members=list(members.values_list("id", "full_name")),
        tasks=tasks,
        responsible=responsible_hours(team=team, start=monday, weeks=weeks),
        involved={
            (task_id, member_id): LETTER_OF_KIND[kind]
            for task_id, member_id, kind in involvements.values_list("task_id", "member_id", "kind")
        },
    )


def _in_window(prefix: str, team: Team, start: datetime.date, end: datetime.date) -> Q:
    """The team's tasks in the window (the engine's tasks), from a table reaching them by ``prefix``."""
    return Q(**{f"{prefix}team": team}) & in_window(start, end, through=prefix)


def _task_rows(team: Team, start: datetime.date, end: datetime.date):
    """The tasks in the window by title, with their role and Accountable (whether an active member of the team)."""
    return (
        Task.objects.filter(_in_window("", team, start, end))
        .order_by("title", "id")
        .annotate(held=ACCOUNTABLE_HELD)
        .values_list(
            "id",
            "title",
            "role_id",
            "role__slug",
            "role__name",
            "role__focus",
            "accountable_id",
            "accountable__full_name",
            "held",
        )
    )


# ------------------------------------------------------------------ each member's totals, and the warning


@dataclass(frozen=True)
class MemberTotals:
    """A member's summary over every active task of the team in the window (never only the filtered ones)."""

    responsible_hours: Fraction
    operational_hours: Fraction
    accountable: int  # tasks they are Accountable for
    accountable_strategic: int


def member_totals(window: RaciWindow) -> dict[int, MemberTotals]:
    focus_of = {task.id: task.focus for task in window.tasks}
    hours: dict[int, Fraction] = defaultdict(Fraction)
    operational: dict[int, Fraction] = defaultdict(Fraction)
    for (task_id, member_id), value in window.responsible.items():
        if task_id not in focus_of:  # written between the two reads: the next read has both
            continue
        hours[member_id] += value
        if focus_of[task_id] == OPERATIONAL:
            operational[member_id] += value
    accountable: dict[int, int] = defaultdict(int)
    strategic: dict[int, int] = defaultdict(int)
    for task in window.tasks:
        if task.accountable_id is not None:
            accountable[task.accountable_id] += 1
            strategic[task.accountable_id] += task.focus == STRATEGIC
    return {
        member_id: MemberTotals(hours[member_id], operational[member_id], accountable[member_id], strategic[member_id])
        for member_id, _name in window.members
    }


@dataclass(frozen=True)
class RaciWarning:
    """One person Accountable for most strategic tasks while Responsible for most operational hours."""

    member_id: int
    name: str
    accountable: int
    strategic_tasks: int
    operational_share: Fraction

    def sentence(self) -> str:
        """In the words of the dual-role flag: what the person does, then why it matters."""
        return ngettext(
            "%(name)s is accountable for %(count)s of %(total)s strategic task and does %(share)s of the "
            "operational hours: daily work can crowd out the strategy they answer for.",
            "%(name)s is accountable for %(count)s of %(total)s strategic tasks and does %(share)s of the "
            "operational hours: daily work can crowd out the strategy they answer for.",
            self.strategic_tasks,
        ) % {
            "name": self.name,
            "count": self.accountable,
            "total": self.strategic_tasks,
            "share": percent_text(self.operational_share),
        }

    @staticmethod
    def explanation() -> str:
        return _(
            "Shown when one person is accountable for more than half of the team's strategic tasks in these "
            "weeks and responsible for more than half of its operational hours."
        )


def raci_warning(window: RaciWindow, totals: dict[int, MemberTotals]) -> RaciWarning | None:
    """The warning, if someone earns it (at most one person can: each share is of more than half)."""
    strategic_tasks = sum(task.focus == STRATEGIC for task in window.tasks)
    operational_hours = sum((total.operational_hours for total in totals.values()), Fraction(0))
    if not strategic_tasks or not operational_hours:
        return None
    for member_id, name in window.members:
        total = totals[member_id]
        share = total.operational_hours / operational_hours
        if Fraction(total.accountable_strategic, strategic_tasks) > RACI_WARNING_MOST and share > RACI_WARNING_MOST:
            return RaciWarning(member_id, name, total.accountable_strategic, strategic_tasks, share)
    return None
