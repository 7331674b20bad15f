"""The assignment board: tasks by focus, their assignees and shares, and the writes on them.

docs/rules.md, "Pages" and "Writes and their rules". After a write, htmx gets the changed card and,
out of band, the workload badges of the people the write touched (only they are computed); a plain
post gets a redirect to the card's page (``?page=N#task-ID``), or that page of the board with the
form's errors on its card (status 400). Folded forms are not on the board: "New task" and a card's
"Edit or archive" are fetched when opened (``task_form``: the form for its place, or a page of its own
without JavaScript), and with errors they come back open.

Every form on the board posts to its URL with the board's query string (the filters and the page),
so the answer comes back to the board the manager was looking at: the filters are kept when the
task still matches them, and dropped when the write took it out of them (``selectors.board_place``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from assignments import selectors
from assignments.forms import AssignForm, BoardFilterForm, ShareForm, TaskForm
from assignments.models import Assignment, Task
from assignments.selectors.board import task_assignee_ids
from assignments.services import (
    assignment_create,
    assignment_delete,
    assignment_update,
    task_archive,
    task_create,
    task_restore,
    task_update,
)
from roles.models import Team

from .board_cards import (
    BoundForms,
    CardMaker,
    RowWords,
    _board_fields,
    _board_query,
    _board_state,
    _filter_query,
    board_columns,
    board_url,
    task_url,
)
from .board_loads import board_page, touched_badges
from .common import HtmxHttpRequest, managed_team_or_404, page_number, run_service

MAX_ID = 2**63 - 1  # a ``?task=`` beyond any primary key is no task, not a database error


def _board_context(
    request: HtmxHttpRequest,
    team: Team,
    task_form: TaskForm | None = None,
    bound: BoundForms | None = None,
    show_task_id: int | None = None,
) -> dict:
    """The board page; ``task_form`` or ``bound`` carry forms with errors, shown on the page of ``show_task_id``
    (without them the forms are folded and fetched when opened)."""
    state = _board_state(request, team)
    filters_form, filters, page = state.form, state.filters, state.page
    if show_task_id is not None:
        place = selectors.board_place(team=team, task_id=show_task_id, filters=filters)
        if place is not None:
            page = place.page
            if _filter_query(place.filters) != _filter_query(filters):  # the task left the filters: drop them
                filters_form, filters = BoardFilterForm(team=team), {}
    kept = board_page(team, filters_form, filters, page, keep=not bound)
    board, pages = kept.board, kept.board.summary.pages
    words = RowWords.of(get_token(request), filters, pages.number)
    maker = CardMaker(
        team=team, bound=bound or {}, words=words, members=board.members, rows=kept.rows, kept_options=kept.options
    )
    page_query = urlencode(_filter_query(filters) | {"page": ""})  # ends in "page=": the template adds the number
    return {
        "team": team,
        "board": board,
        "summary": board.summary,
        "columns": board_columns(board, maker),
        "filters": filters_form,
        "filter_selects": kept.selects,
        "loads": kept.panel,
        "task_form": task_form,
        "board_query": _board_query(filters, pages.number),
        "board_fields": _board_fields(filters, pages.number),
        "page_url": f"{reverse('assignments:team_board', args=[team.slug])}?{page_query}",
        "active": "board",
    }


@login_required
@require_GET
def team_board(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The board; ``?task=ID`` (the overview's links) sends on to the page that shows that task's card."""
    team = managed_team_or_404(request, slug)
    task_id = request.GET.get("task", "")
    # Length first: int() of thousands of digits is refused by Python itself.
    if task_id.isascii() and task_id.isdigit() and len(task_id) <= 19 and int(task_id) <= MAX_ID:
        return redirect(task_url(team, int(task_id), _board_state(request, team).filters))
    context = _board_context(request, team)
    if request.htmx and request.htmx.target == "board-columns":  # another page or filter: its cards and badges
        return render(request, "assignments/_columns_response.html", context)
    return render(request, "assignments/board.html", context)


@login_required
@require_GET
def task_form(request: HtmxHttpRequest, slug: str, task_id: int | None = None) -> HttpResponse:
    """A folded task form, fetched when opened: "New task" (no ``task_id``), or a card's "Edit or archive".
    With htmx the form for its place on the board; without JavaScript a page with it. Either posts to
    ``task_new``, or to ``task_edit`` and ``task_archive``, with the board's query."""
    team = managed_team_or_404(request, slug)
    task = None
    if task_id is not None:
        task = get_object_or_404(Task.objects.select_related("role"), pk=task_id, team=team, is_active=True)
    state = _board_state(request, team)
    prefix = f"edit-{task.pk}" if task else "new"
    context = {
        "team": team,
        "task": task,
        "form": TaskForm(team=team, roles=selectors.board_roles(), instance=task, prefix=prefix),
        "inline": bool(request.htmx),
        "board_query": _board_query(state.filters, state.page),
        "active": "board",
    }
    if request.htmx:
        return render(request, "assignments/_task_edit.html" if task else "assignments/_task_new.html", context)
    if task:
        context["back_url"] = task_url(team, task.pk, state.filters)
    else:
        context["back_url"] = board_url(team, state.filters, page_number(state.page))
    return render(request, "assignments/task_form.html", context)


def _card_response(
    request: HtmxHttpRequest,
    team: Team,
    task: Task,
    bound: BoundForms | None = None,
    summary: bool = False,
    touched: list[int] | None = None,
) -> HttpResponse:
    """After a change: the task card (or, archived, a note with "Restore"), plus out of band the badges of the
    members ``touched``; with ``summary`` (archiving, restoring) the columns' counts and the archived tasks too."""
    state = _board_state(request, team)
    badges = touched_badges(request, team, touched or [])
    context = {"team": team, "card": None, "cards": [], "badges": badges, "archived_task": None}
    if task.is_active:
        words = RowWords.of(get_token(request), state.filters, state.page)
        context["card"] = CardMaker(team=team, bound=bound or {}, words=words).card(
            selectors.board_task(team=team, task_id=task.pk)
        )
        context["cards"].append(context["card"])
    else:
        context["archived_task"] = task
    if summary:
        context["summary"] = selectors.board_summary(team=team, filters=state.filters, page=state.page)
    context["board_query"] = _board_query(state.filters, state.page)
    context["board_fields"] = _board_fields(state.filters, state.page)
    return render(request, "assignments/_card_response.html", context)


def _after_card_write(
    request: HtmxHttpRequest, team: Team, task: Task, form_name: str, form: forms.BaseForm, touched: list[int]
) -> HttpResponse:
    """A card's form was posted. With errors: the card with the form (htmx), or the board's page of the card
    with it (plain post, 400). Without: the changed card and the badges of ``touched`` (htmx), or a redirect
    to its page."""
    if form.errors:
        if request.htmx:
            return _card_response(request, team, task, bound={task.pk: {form_name: form}})
        context = _board_context(request, team, bound={task.pk: {form_name: form}}, show_task_id=task.pk)
        return render(request, "assignments/board.html", context, status=400)
    if request.htmx:
        return _card_response(request, team, task, touched=touched)
    return redirect(task_url(team, task.pk, _board_state(request, team).filters))


def _team_task_or_404(team: Team, task_id: int) -> Task:
    return get_object_or_404(Task, pk=task_id, team=team, is_active=True)


def _team_assignment_or_404(team: Team, assignment_id: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related("task", "member"),
        pk=assignment_id,
        task__team=team,
        task__is_active=True,
    )


@login_required
@require_POST
def task_new(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    form = TaskForm(request.POST, team=team, prefix="new")
    task = run_service(form, task_create, team=team)
    if task is not None:
        url = task_url(team, task.pk, _board_state(request, team).filters)
        if request.htmx:
            return HttpResponseClientRedirect(url)
        messages.success(request, _("Task “%(title)s” created.") % {"title": task.title})
        return redirect(url)
    if request.htmx:  # the panel again, open, with the errors beside the fields
        state = _board_state(request, team)
        context = {"team": team, "task_form": form, "board_query": _board_query(state.filters, state.page)}
        return render(request, "assignments/board.html#new-task", context)
    return render(request, "assignments/board.html", _board_context(request, team, task_form=form), status=400)


@login_required
@require_POST
def task_edit(request: HtmxHttpRequest, slug: str, task_id: int) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    task = _team_task_or_404(team, task_id)
    form = TaskForm(request.POST, team=team, instance=task, prefix=f"edit-{task.pk}")
    task = run_service(form, task_update, task=task) or task
    if form.errors:
        task.refresh_from_db()  # the form wrote its (refused) values onto the instance; the card shows the saved ones
        return _after_card_write(request, team, task, "edit", form, [])
    return _after_card_write(request, team, task, "edit", form, task_assignee_ids(task) if request.htmx else [])


@login_required
@require_POST
def task_archive_view(request: HtmxHttpRequest, slug: str, task_id: int) -> HttpResponse:
    """Archive a task. htmx: its card becomes a note with "Restore" (an undo in place); plain: back to the page."""
    team = managed_team_or_404(request, slug)
    task = task_archive(task=_team_task_or_404(team, task_id))
    if request.htmx:
        return _card_response(request, team, task, summary=True, touched=task_assignee_ids(task))
    messages.success(request, _("Task “%(title)s” archived.") % {"title": task.title})
    state = _board_state(request, team)
    return redirect(board_url(team, state.filters, page_number(state.page)))  # the board clamps a page now past the end


@login_required
@require_POST
def task_restore_view(request: HtmxHttpRequest, slug: str, task_id: int) -> HttpResponse:
    """Bring an archived task back with its assignees (``task_restore``); restoring an active one changes nothing.

    htmx from the note that replaced the card: the card again, in place. htmx from the list of archived
    tasks, or a plain post: to the page that shows the card.
    """
    team = managed_team_or_404(request, slug)
    task = task_restore(task=get_object_or_404(Task, pk=task_id, team=team))
    if request.htmx and request.htmx.target == f"task-{task.pk}":
        return _card_response(request, team, task, summary=True, touched=task_assignee_ids(task))
    url = task_url(team, task.pk, _board_state(request, team).filters)
    if request.htmx:
        return HttpResponseClientRedirect(url)
    messages.success(request, _("Task “%(title)s” restored.") % {"title": task.title})
    return redirect(url)


@login_required
@require_POST
def assign(request: HtmxHttpRequest, slug: str, task_id: int) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    task = _team_task_or_404(team, task_id)
    form = AssignForm(request.POST, team=team, prefix=f"assign-{task.pk}")
    assignment = run_service(form, assignment_create, task=task, assigned_by=request.user)
    return _after_card_write(request, team, task, "assign", form, [assignment.member_id] if assignment else [])


@login_required
@require_POST
def assignment_share(request: HtmxHttpRequest, slug: str, assignment_id: int) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    assignment = _team_assignment_or_404(team, assignment_id)
    form = ShareForm(request.POST, prefix=f"share-{assignment.pk}")
    run_service(
        form,
        assignment_update,  # the share only: the assignment keeps its dates
        assignment=assignment,
        start_date=assignment.start_date,
        end_date=assignment.end_date,
        assigned_by=request.user,
    )
    return _after_card_write(request, team, assignment.task, f"share-{assignment.pk}", form, [assignment.member_id])


@login_required
@require_http_methods(["GET", "POST"])
def assignment_remove(request: HtmxHttpRequest, slug: str, assignment_id: int) -> HttpResponse:
    """Take a member off a task. GET asks first (the page the card's "Remove" leads to without JavaScript;
    with htmx the button asks with ``hx-confirm`` and posts); POST removes."""
    team = managed_team_or_404(request, slug)
    assignment = _team_assignment_or_404(team, assignment_id)
    filters = _board_state(request, team).filters
    if request.method == "GET":
        context = {
            "team": team,
            "assignment": assignment,
            "board_query": _board_query(filters, request.GET.get("page")),
            "cancel_url": task_url(team, assignment.task_id, filters),
            "active": "board",
        }
        return render(request, "assignments/remove_confirm.html", context)
    assignment_delete(assignment=assignment)
    if request.htmx:
        return _card_response(request, team, assignment.task, touched=[assignment.member_id])
    messages.success(
        request,
        _("%(member)s no longer works on “%(task)s”.")
        % {"member": assignment.member.full_name, "task": assignment.task.title},
    )
    return redirect(task_url(team, assignment.task_id, filters))
