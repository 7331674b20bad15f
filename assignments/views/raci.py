"""The RACI page (docs/rules.md, "RACI"): for a team's managers (and staff), the matrix of the team's active
tasks in a window × its active members, a cell's letter changed in place, and the team's RACI switch.

A cell is a link to its small form (``raci_cell``): htmx fetches the form into the cell; saving posts it and
gets back the task's row (the cell, and the previous Accountable's cell when A moves) with, out of band, the
summary row, the warning and a status line. Without JavaScript the link opens a page with the same form,
whose post saves and goes back to the matrix with a message. A refusal (an inactive member, an archived task,
a bad letter) writes nothing and shows the service's message beside the choices: the page again with status
400, or with htmx the cell's form again (htmx swaps no 4xx answer, so the form could not show it).

Every link and form carries the page's query (window, filters, pages: ``raci_forms.RaciState``), so the answer
comes back to the matrix the manager was looking at.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from assignments.formatting import hours_display
from assignments.models import Task, TaskInvolvement
from assignments.raci import ACCOUNTABLE, CONSULTED, INFORMED, LETTER_OF_KIND, NONE, raci_set, raci_switch
from assignments.selectors.raci import RaciTask, RaciWarning, raci_window
from assignments.selectors.raci_page import RaciPage, raci_page
from roles.models import Team, TeamMember

from .common import HtmxHttpRequest, managed_team_or_404, run_service
from .raci_cells import CellWriter
from .raci_forms import LETTER_NAMES, RaciCellForm, RaciState, RaciSwitchForm, raci_state, window_of


@dataclass(frozen=True)
class RaciRow:
    task: RaciTask
    cells: SafeString


@dataclass(frozen=True)
class SummaryCell:
    member_id: int
    hours: str
    accountable: int
    words: str  # the same, in a sentence for screen readers


def _state(request: HtmxHttpRequest, team: Team) -> tuple[RaciState, RaciPage]:
    """The request's state (from its query string, for a GET and a POST alike) and its page of the matrix."""
    start, weeks, window_form = window_of(request.GET)
    window = raci_window(team=team, start=start, weeks=weeks)
    state = raci_state(request.GET, window, start, weeks, window_form)
    filters = state.filters
    page = raci_page(
        window,
        focus=filters.get("focus"),
        role_id=filters.get("role"),
        member_id=filters.get("member"),
        page=state.page,
        member_page=state.member_page,
        task_id=_task_asked(request),
    )
    state.page, state.member_page = page.task_pages.number, page.member_pages.number  # clamped: links say so
    return state, page


def _task_asked(request: HtmxHttpRequest) -> int | None:
    """``?task=ID``: the task a flag's link asks for (the page holding it is shown); anything else: none."""
    value = request.GET.get("task", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def _summary(page: RaciPage) -> list[SummaryCell]:
    cells = []
    for member_id, _name in page.members:
        totals = page.totals[member_id]
        hours = _("%(hours)s h") % {"hours": hours_display(totals.responsible_hours)}
        words = ngettext(
            "responsible for %(hours)s, accountable for %(count)s task",
            "responsible for %(hours)s, accountable for %(count)s tasks",
            totals.accountable,
        ) % {"hours": hours, "count": totals.accountable}
        cells.append(SummaryCell(member_id, hours, totals.accountable, words))
    return cells


def _matrix_url(team: Team, state: RaciState, task_id: int | None = None) -> str:
    url = reverse("assignments:team_raci", args=[team.slug]) + state.query()
    return f"{url}#task-{task_id}" if task_id else url


def _context(request: HtmxHttpRequest, team: Team, *, focus_cell: tuple[int, int] | None = None, **extra) -> dict:
    state, page = _state(request, team)
    writer = CellWriter(team, page.window, state.query())
    focus_task, focus_member = focus_cell or (None, None)
    groups = [
        (
            group,
            [
                RaciRow(task, writer.row(task, page.members, focus_member if task.id == focus_task else None))
                for task in group.tasks
            ],
        )
        for group in page.groups
    ]
    week, seven = page.window.start, datetime.timedelta(days=7)
    return {
        "team": team,
        "state": state,
        "page": page,
        "groups": groups,
        "summary": _summary(page),
        "warning_explanation": RaciWarning.explanation(),
        "links": {
            "previous": state.query(start=(week - seven).isoformat(), page=None),
            "next": state.query(start=(week + seven).isoformat(), page=None),
            "this_week": state.query(start=None, page=None),
            # a page of tasks or of members: ends in "page=" or "member_page=", the template adds the number
            "page": state.query(page=None) + "&page=",
            "member_page": state.query(member_page=None) + "&member_page=",
            "clear": f"?start={week.isoformat()}&weeks={state.weeks}",
        },
        "active": "raci",
        **extra,
    }


@login_required
@require_GET
def team_raci(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    context = _context(request, team)
    if request.htmx and request.htmx.target == "raci-body":  # another window, filter or page
        return render(request, "assignments/raci.html#raci-body", context)
    return render(request, "assignments/raci.html", context)


def _letter_of(task: Task, member: TeamMember) -> str:
    if task.accountable_id == member.pk:
        return ACCOUNTABLE
    kind = TaskInvolvement.objects.filter(task=task, member=member).values_list("kind", flat=True).first()
    return LETTER_OF_KIND.get(kind, NONE)


def _saved_message(member: TeamMember, task: Task, letter: str, before: str, previous: TeamMember | None) -> str:
    """What the write did, in a sentence: whose A it was before, or which letter the member no longer has."""
    names = {"member": member.full_name, "task": task.title}
    if letter == before:  # saved as it was: say so, not that something changed
        return _("Nothing changed: %(member)s keeps the same letter on %(task)s.") % names
    if letter == ACCOUNTABLE and previous is not None and previous.pk != member.pk:
        return _("%(member)s is now accountable for %(task)s, instead of %(previous)s.") % {
            **names,
            "previous": previous.full_name,
        }
    now = {
        ACCOUNTABLE: _("%(member)s is now accountable for %(task)s."),
        CONSULTED: _("%(member)s is now consulted on %(task)s."),
        INFORMED: _("%(member)s is now informed of %(task)s."),
    }
    no_longer = {
        ACCOUNTABLE: _("%(member)s is no longer accountable for %(task)s."),
        CONSULTED: _("%(member)s is no longer consulted on %(task)s."),
        INFORMED: _("%(member)s is no longer informed of %(task)s."),
        NONE: _("%(member)s has no letter on %(task)s."),
    }
    return (now[letter] if letter != NONE else no_longer[before]) % names


def _cell_context(request, team: Team, task: Task, member: TeamMember, form: RaciCellForm) -> dict:
    state, page = _state(request, team)
    writer = CellWriter(team, page.window, state.query())
    hours = page.window.responsible.get((task.id, member.pk))
    return {
        "team": team,
        "task": task,
        "member": member,
        "form": form,
        "letters": list(LETTER_NAMES.items()),
        "current": form["letter"].value() if form.is_bound else form.initial.get("letter", NONE),
        "hours": None if hours is None else hours_display(hours),
        "cell_url": writer.url(task.id, member.pk),
        "back_url": _matrix_url(team, state, task.id),
        "inline": bool(request.htmx),
        "active": "raci",
    }


@login_required
@require_http_methods(["GET", "POST"])
def raci_cell(request: HtmxHttpRequest, slug: str, task_id: int, member_id: int) -> HttpResponse:
    """GET: the cell's form (htmx: into the cell; else a page), or with ``?cancel=1`` the cell again. POST: save."""
    team = managed_team_or_404(request, slug)
    task = get_object_or_404(Task.objects.select_related("accountable"), pk=task_id, team=team)
    member = get_object_or_404(TeamMember, pk=member_id, team=team)
    if request.method == "GET":
        if request.htmx and request.GET.get("cancel"):
            state, page = _state(request, team)
            raci_task = next((found for found in page.window.tasks if found.id == task.pk), None)
            if raci_task is None:
                return HttpResponseClientRedirect(_matrix_url(team, state))
            return HttpResponse(CellWriter(team, page.window, state.query()).cell(raci_task, member.pk, focus=True))
        form = RaciCellForm(initial={"letter": _letter_of(task, member)})
        context = _cell_context(request, team, task, member, form)
        return render(request, "assignments/_raci_cell.html" if request.htmx else "assignments/raci_cell.html", context)
    before, previous = _letter_of(task, member), task.accountable
    form = RaciCellForm(request.POST)
    if run_service(form, raci_set, task=task, member=member) is None:
        context = _cell_context(request, team, task, member, form)
        if request.htmx:  # the form again, in its cell (not the row it targets), with the service's message
            response = render(request, "assignments/_raci_cell.html", context)  # 200: htmx swaps no 4xx
            return reswap(retarget(response, f"#cell-{task.pk}-{member.pk}"), "outerHTML")
        return render(request, "assignments/raci_cell.html", context, status=400)
    message = _saved_message(member, task, form.cleaned_data["letter"], before, previous)
    if not request.htmx:
        messages.success(request, message)
        return redirect(_matrix_url(team, _state(request, team)[0], task.pk))
    context = _context(request, team, focus_cell=(task.pk, member.pk), status=message)
    row = next((row for _group, rows in context["groups"] for row in rows if row.task.id == task.pk), None)
    if row is None:  # not on the page the manager looked at (filtered out meanwhile): the matrix again
        messages.success(request, message)
        return HttpResponseClientRedirect(_matrix_url(team, context["state"], task.pk))
    return render(request, "assignments/_raci_saved.html", {**context, "row": row, "oob": True})


@login_required
@require_POST
def raci_switch_view(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Switch the team's RACI flags on or off, then back to the matrix (the page again, 400, if refused)."""
    team = managed_team_or_404(request, slug)
    form = RaciSwitchForm(request.POST)
    switched = run_service(form, raci_switch, team=team)
    if switched is None:
        return render(request, "assignments/raci.html", _context(request, team, switch_form=form), status=400)
    if switched.raci_enabled:
        messages.success(request, _("RACI flags are now on: the overview flags every task nobody is accountable for."))
    else:
        messages.success(request, _("RACI flags are now off."))
    return redirect(_matrix_url(team, _state(request, team)[0]))
