"""One page of the RACI matrix (docs/rules.md, "RACI"): the filters and the paging, applied to a ``RaciWindow``
per request, without a query.

**How it pages** (a decision): the member columns ``RACI_MEMBER_PAGE_SIZE`` at a time (a team of 500 would be
500 columns), and the tasks of each focus ``RACI_TASK_PAGE_SIZE`` at a time, both foci in step, as the board's
columns (page N shows the Nth tasks of each, so the strategic work is never behind every operational page).
The filters: a focus and a role narrow the rows, a member shows their column alone; the members' totals and
the warning stay the whole team's.
"""

from __future__ import annotations

from dataclasses import dataclass

from assignments.workload import OPERATIONAL, STRATEGIC

from .raci import MemberTotals, RaciTask, RaciWarning, RaciWindow, member_totals, raci_warning

RACI_MEMBER_PAGE_SIZE = 25  # member columns on a page
RACI_TASK_PAGE_SIZE = 25  # tasks of each focus on a page: both in step, as the board's columns


@dataclass(frozen=True)
class Paging:
    number: int  # 1-based, clamped to the last
    count: int  # pages, at least 1

    has_previous = property(lambda self: self.number > 1)
    has_next = property(lambda self: self.number < self.count)
    previous_number = property(lambda self: self.number - 1)
    next_number = property(lambda self: self.number + 1)


def _paging(total: int, size: int, asked: int) -> Paging:
    count = max(-(-total // size), 1)
    return Paging(min(max(asked, 1), count), count)


@dataclass(frozen=True)
class RaciGroup:
    focus: str
    tasks: list[RaciTask]  # this page's
    count: int  # the focus's tasks that match the filters, on any page


@dataclass(frozen=True)
class RaciPage:
    """One page of the matrix: the filters applied (focus, role: rows; member: one column), rows of each focus
    and member columns paged; the members' totals and the warning always over the whole team's tasks."""

    window: RaciWindow
    groups: list[RaciGroup]
    members: list[tuple[int, str]]  # this page's columns
    matching_members: int
    totals: dict[int, MemberTotals]
    warning: RaciWarning | None
    task_pages: Paging
    member_pages: Paging


def raci_page(
    window: RaciWindow,
    *,
    focus: str | None = None,
    role_id: int | None = None,
    member_id: int | None = None,
    page: int = 1,
    member_page: int = 1,
    task_id: int | None = None,
) -> RaciPage:
    """``task_id``: show the page of the tasks that holds that task (a flag's link), whatever ``page`` says."""
    tasks = [
        task
        for task in window.tasks
        if (focus is None or task.focus == focus) and (role_id is None or task.role.id == role_id)
    ]
    by_focus = {name: [task for task in tasks if task.focus == name] for name in (OPERATIONAL, STRATEGIC)}
    for found in by_focus.values():
        place = next((index for index, task in enumerate(found) if task.id == task_id), None)
        if place is not None:
            page = place // RACI_TASK_PAGE_SIZE + 1
    task_pages = _paging(max(len(found) for found in by_focus.values()), RACI_TASK_PAGE_SIZE, page)
    offset = (task_pages.number - 1) * RACI_TASK_PAGE_SIZE
    groups = [  # a focus whose tasks end on an earlier page is left out of this one
        RaciGroup(name, found[offset : offset + RACI_TASK_PAGE_SIZE], len(found))
        for name, found in by_focus.items()
        if found[offset : offset + RACI_TASK_PAGE_SIZE]
    ]
    members = [member for member in window.members if member_id is None or member[0] == member_id]
    member_pages = _paging(len(members), RACI_MEMBER_PAGE_SIZE, member_page)
    first = (member_pages.number - 1) * RACI_MEMBER_PAGE_SIZE
    totals = member_totals(window)
    return RaciPage(
        window=window,
        groups=groups,
        members=members[first : first + RACI_MEMBER_PAGE_SIZE],
        matching_members=len(members),
        totals=totals,
        warning=raci_warning(window, totals),
        task_pages=task_pages,
        member_pages=member_pages,
    )
