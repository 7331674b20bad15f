"""The assignment board: tasks by focus, their assignees and shares, and the writes on them.

docs/rules.md, "Pages" and "Writes and their rules". After a write, htmx gets the changed card and
the workload badges out of band; a plain post gets a redirect to the card, or the board with the
form's errors on its card (status 400).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from assignments import selectors
from assignments.forms import AssignForm, BoardFilterForm, ShareForm, TaskForm
from assignments.models import Assignment, Task
from assignments.services import (
    assignment_create,
    assignment_delete,
    assignment_update,
    task_archive,
    task_create,
    task_update,
)
from roles.models import Team

from .board_cards import BoundForms, CardMaker, board_columns
from .common import HtmxHttpRequest, managed_team_or_404, run_service


def _board_context(
    request: HtmxHttpRequest, team: Team, task_form: TaskForm | None = None, bound: BoundForms | None = None
) -> dict:
    """The board page; ``task_form`` or ``bound`` carry forms with errors."""
    filters = BoardFilterForm(request.GET, team=team)
    board = selectors.team_board(
        team=team,
        filters=filters.cleaned_data if filters.is_valid() else {},
        today=timezone.localdate(),
        page=request.GET.get("page"),
    )
    return {
        "team": team,
        "board": board,
        "columns": board_columns(board, team=team, bound=bound or {}),
        "filters": filters,
        "task_form": task_form or TaskForm(team=team, roles=board.roles, prefix="new"),
        "active": "board",
    }


@login_required
@require_GET
def team_board(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    context = _board_context(request, team)
    if request.htmx and request.htmx.target == "board-columns":
        return render(request, "assignments/board.html#board-columns", context)
    return render(request, "assignments/board.html", context)


def _card_response(request: HtmxHttpRequest, team: Team, task: Task, bound: BoundForms | None = None) -> HttpResponse:
    """After a change: the task card (gone if archived), plus the team's workload badges out of band."""
    loads = selectors.team_loads(team=team, today=timezone.localdate())
    card = None
    if task.is_active:
        maker = CardMaker(
            team=team, member_choices=loads.member_choices, roles=selectors.board_roles(), bound=bound or {}
        )
        card = maker.card(selectors.board_task(team=team, task_id=task.pk))
    return render(request, "assignments/_card_response.html", {"team": team, "card": card, "loads": loads})


def _board_redirect(team: Team, task_id: int | None = None) -> HttpResponse:
    url = reverse("assignments:team_board", args=[team.slug])
    return redirect(f"{url}#task-{task_id}" if task_id else url)


def _after_card_write(
    request: HtmxHttpRequest, team: Team, task: Task, form_name: str, form: forms.BaseForm
) -> HttpResponse:
    """A card's form was posted. With errors: the card with the form (htmx), or the whole board with
    it (plain post, 400). Without: the changed card (htmx), or a redirect to it."""
    if form.errors:
        if request.htmx:
            return _card_response(request, team, task, bound={task.pk: {form_name: form}})
        context = _board_context(request, team, bound={task.pk: {form_name: form}})
        return render(request, "assignments/board.html", context, status=400)
    return _card_response(request, team, task) if request.htmx else _board_redirect(team, task.pk)


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
        if request.htmx:
            return HttpResponseClientRedirect(f"{reverse('assignments:team_board', args=[team.slug])}#task-{task.pk}")
        messages.success(request, _("Task “%(title)s” created.") % {"title": task.title})
        return _board_redirect(team, task.pk)
    context = _board_context(request, team, task_form=form)
    if request.htmx:
        return render(request, "assignments/board.html#new-task", context)
    return render(request, "assignments/board.html", context, status=400)


@login_required
@require_POST
def task_edit(request: HtmxHttpRequest, slug: str, task_id: int) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    task = _team_task_or_404(team, task_id)
    form = TaskForm(request.POST, team=team, instance=task, prefix=f"edit-{task.pk}")
    task = run_service(form, task_update, task=task) or task
    if form.errors:
        task.refresh_from_db()  # the form wrote its (refused) values onto the instance; the card shows the saved ones
    return _after_card_write(request, team, task, "edit", form)


@login_required
@require_POST
def task_archive_view(request: HtmxHttpRequest, slug: str, task_id: int) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    task = task_archive(task=_team_task_or_404(team, task_id))
    if request.htmx:
        return _card_response(request, team, task)
    messages.success(request, _("Task “%(title)s” archived.") % {"title": task.title})
    return _board_redirect(team)


@login_required
@require_POST
def assign(request: HtmxHttpRequest, slug: str, task_id: int) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    task = _team_task_or_404(team, task_id)
    form = AssignForm(request.POST, team=team, prefix=f"assign-{task.pk}")
    run_service(form, assignment_create, task=task, assigned_by=request.user)
    return _after_card_write(request, team, task, "assign", form)


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
    return _after_card_write(request, team, assignment.task, f"share-{assignment.pk}", form)


@login_required
@require_POST
def assignment_remove(request: HtmxHttpRequest, slug: str, assignment_id: int) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    assignment = _team_assignment_or_404(team, assignment_id)
    assignment_delete(assignment=assignment)
    return _card_response(request, team, assignment.task) if request.htmx else _board_redirect(team, assignment.task_id)
