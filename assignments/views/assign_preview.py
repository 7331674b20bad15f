"""Before assigning on the board: who should take a task, and what one choice would change.

docs/rules.md, "Suggestions" and "Preview". "Assign someone" on a card loads the ranked people on
demand (htmx: when the folded section is opened, or "Show suggestions" is pressed), never with the
board, which stays one fixed set of queries however many cards it shows. Picking a person or a
share posts the form to ``assign_preview``, which answers with the preview and, out of band, each
field's errors beside the field; "Assign" posts the same form to the board's ``assign`` view, so the
card and the load panel update as after any assignment.

Without JavaScript the same form is a page: "Show suggestions" links to it, "Preview" posts to
``assign_preview``, which shows the page again with the person and the share kept and the preview
below it (200; 400 with errors beside the fields), and "Assign" saves through ``assign`` and lands on
the task's card (``?page=N#task-ID``). Both are for the team's managers and staff, like the board.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from assignments.forms import AssignForm, SuggestionWindowForm
from assignments.models import Task
from assignments.preview import PreviewError
from assignments.selectors.assign_preview import (
    PreviewPanel,
    ShownSuggestions,
    assignment_preview,
    board_suggestions,
)
from assignments.selectors.board import BOARD_LOAD_WEEKS
from roles.models import Team

from .board_cards import _board_params, _board_query, _board_state, task_url
from .common import HtmxHttpRequest, managed_team_or_404

PAGE = "assignments/assign_preview.html"
SUGGESTIONS = "assignments/_suggestions.html"  # the ranked form: in a card (htmx) and on the page
PREVIEW = "assignments/_preview.html"  # its partial ``changes`` is the preview on the fix pages too


def _task_or_404(team: Team, task_id: int) -> Task:
    return get_object_or_404(Task.objects.select_related("team", "role"), pk=task_id, team=team, is_active=True)


def _assign_form(team: Team, task: Task, data=None, share_percent: int | None = None) -> AssignForm:
    """The board's assign form (same prefix): "Assign" posts it to ``assign`` as it is."""
    return AssignForm(data, team=team, prefix=f"assign-{task.pk}", initial={"share_percent": share_percent})


def _context(
    request: HtmxHttpRequest,
    team: Team,
    task: Task,
    form: AssignForm,
    shown: ShownSuggestions,
    panel: PreviewPanel | None = None,
) -> dict:
    state = _board_state(request, team)
    inline = bool(request.htmx)
    return {
        "team": team,
        "task": task,
        "form": form,
        "shown": shown,
        "panel": panel,
        "chosen": str(form["member"].value() or ""),
        "inline": inline,  # in a card: "Assign" swaps the card; on the page it is a plain post
        "board_query": _board_query(state.filters, state.page),
        "board_params": _board_params(state.filters, state.page),
        "back_url": None if inline else task_url(team, task.pk, state.filters),
        "active": "board",
    }


@login_required
@require_GET
def task_suggestions(request: HtmxHttpRequest, slug: str, task_id: int) -> HttpResponse:
    """The people ranked for a task, best first, in a form to pick one and a share (``?share=``: 1 to 100,
    default what is left; ``?all=on``: everyone). htmx: the form for the card; else the page."""
    team = managed_team_or_404(request, slug)
    task = _task_or_404(team, task_id)
    window = SuggestionWindowForm(request.GET)
    share = window.cleaned_data["share"] if window.is_valid() else None
    shown = board_suggestions(
        task=task, today=timezone.localdate(), share_percent=share, show_all=request.GET.get("all") == "on"
    )
    form = _assign_form(team, task, share_percent=shown.suggestions.share_percent)
    context = _context(request, team, task, form, shown)
    return render(request, SUGGESTIONS if request.htmx else PAGE, context)


def _preview_or_errors(form: AssignForm, team: Team, task: Task) -> PreviewPanel | None:
    """The preview of the form's assignment; None with the errors on the form (a broken rule beside its field)."""
    if not form.is_valid():
        return None
    try:
        return assignment_preview(
            team=team,
            task=task,
            member=form.cleaned_data["member"],
            share_percent=form.cleaned_data["share_percent"],
            start=timezone.localdate(),
            weeks=BOARD_LOAD_WEEKS,  # the load panel's
        )
    except PreviewError as error:
        for problem in error.errors:
            form.add_error(problem["field"] if problem["field"] in form.fields else None, problem["message"])
        return None


@login_required
@require_POST
def assign_preview(request: HtmxHttpRequest, slug: str, task_id: int) -> HttpResponse:
    """What assigning the chosen person at the chosen share would change; writes nothing.

    htmx from the ranked form: the preview fragment, with each field's errors out of band (no person
    chosen yet: the prompt to choose one, without an error). htmx from the card's quick form (its
    "Preview" targets the card's assign section): the ranked form with the choice kept and the
    preview. Plain post: the page with the form kept and the preview.
    """
    team = managed_team_or_404(request, slug)
    task = _task_or_404(team, task_id)
    form = _assign_form(team, task, request.POST)
    if request.htmx and request.htmx.target != f"assign-{task.pk}":
        if not request.POST.get(form.add_prefix("member")):
            form = _assign_form(team, task)  # a share changed before anyone was picked: nothing to say yet
        panel = _preview_or_errors(form, team, task) if form.is_bound else None
        return render(request, PREVIEW, {"team": team, "task": task, "form": form, "panel": panel, "oob": True})
    panel = _preview_or_errors(form, team, task)
    chosen = form.cleaned_data.get("member")
    shown = board_suggestions(
        task=task,
        today=timezone.localdate(),
        share_percent=form.cleaned_data.get("share_percent"),
        chosen_member_id=chosen.pk if chosen else None,
    )
    context = _context(request, team, task, form, shown, panel)
    if request.htmx:
        return render(request, SUGGESTIONS, context)
    return render(request, PAGE, context, status=400 if form.errors else 200)
