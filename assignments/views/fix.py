"""The pages behind the flags that need a person: each flag's "fix it" link lands on the suggestion for it.

docs/rules.md, "Suggestions" and "Preview"; the data comes from ``selectors.fix``, the preview of a change
from ``selectors.assign_preview`` (the board's, shown with ``_preview.html#changes``). Every page is for the
team's managers and staff (404 for anyone else), takes the overview's window (``?start=``, six weeks; a bad
value means this week, as on the overview) and passes it on in its links:

- ``fix_task`` (``task_unassigned``): who should take the rest of a task, each with "Assign" (the board's
  own ``assign``, which lands on the task's card) and "Preview" (``fix_task_preview``);
- ``fix_hand_over`` (``over_allocated``, ``strategy_squeezed``): the person's tasks, each with the best
  three to take it over; "Preview" (``fix_move`` GET) and "Hand over" (``fix_move`` POST,
  ``assignment_hand_over``);
- ``fix_role`` (``role_uncovered``): who could hold a role, with a link to their page to add the holding.

``duty_uncovered`` leads to "Arrange cover" (``views/covers.py``).

GET pages are plain pages, and answer htmx with their fragment (a preview opened in place, the hand-over
list after a move). A bad query value is shown beside its field (status 400), never a 500.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assignments.flags import FlagKind
from assignments.forms import AssignForm, HandOverForm, ShareQueryForm
from assignments.handover import assignment_hand_over
from assignments.models import Assignment, Task
from assignments.preview import PreviewError
from assignments.selectors import fix as fix_selectors
from assignments.selectors.assign_preview import assignment_preview, move_preview
from assignments.suggestions import share_left
from roles.models import Role, Team, TeamMember

from .common import HtmxHttpRequest, flags_url, managed_team_or_404, run_service, window_start


def _page(request: HtmxHttpRequest, template: str, context: dict, fragment: str | None = None, status: int = 200):
    """The page, or (htmx) just its ``fragment``, with its errors in it: htmx swaps only a 200."""
    if fragment and request.htmx:  # a preview opened in place, below the person it is about
        return render(request, f"{template}#{fragment}", {**context, "inline": True})
    return render(request, template, context, status=status)


def _context(team: Team, start: datetime.date, **extra) -> dict:
    return {
        "team": team,
        "start": start,
        "weeks": fix_selectors.FIX_WEEKS,
        "back_url": flags_url(team, start),
        "active": "overview",
        **extra,
    }


def _active_task_or_404(team: Team, task_id: int) -> Task:
    return get_object_or_404(Task.objects.select_related("role"), pk=task_id, team=team, is_active=True)


def _apply_preview_errors(form: forms.Form, error: PreviewError, fields: dict[str, str]) -> None:
    """The preview's errors beside the form's fields (``fields``: the preview's field -> the form's)."""
    for found in error.errors:
        form.add_error(fields.get(found["field"]), found["message"])


@login_required
@require_GET
def fix_task(request: HtmxHttpRequest, slug: str, task_id: int) -> HttpResponse:
    """``task_unassigned``: who should take the rest of the task, best first."""
    team = managed_team_or_404(request, slug)
    task = _active_task_or_404(team, task_id)
    form = ShareQueryForm(request.GET if "share" in request.GET else None)
    share = form.cleaned_data["share"] if form.is_valid() else None
    start = window_start(request.GET)
    fix = fix_selectors.task_fix(task=task, start=start, share_percent=share)
    form.fields["share"].initial = fix.suggestions.share_percent  # shown when no share was asked for
    context = _context(team, start, form=form, fix=fix)
    return _page(request, "assignments/fix_task.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def fix_task_preview(request: HtmxHttpRequest, slug: str, task_id: int) -> HttpResponse:
    """What assigning one person at a share would change, before the Assign button is pressed."""
    team = managed_team_or_404(request, slug)
    task = _active_task_or_404(team, task_id)
    start = window_start(request.GET)
    if "member" in request.GET:
        form = AssignForm(request.GET, team=team)
    else:  # first visit: the share left, as the suggestions offer it
        form = AssignForm(team=team, initial={"share_percent": share_left(task)})
    lines = None
    if form.is_valid():
        try:
            lines = assignment_preview(
                team=team,
                task=task,
                start=start,
                weeks=fix_selectors.FIX_WEEKS,
                **{key: form.cleaned_data[key] for key in ("member", "share_percent")},
            )
        except PreviewError as error:
            _apply_preview_errors(form, error, {"member": "member", "share_percent": "share_percent"})
    context = _context(team, start, task=task, form=form, lines=lines)
    return _page(request, "assignments/fix_task_preview.html", context, "preview", 400 if form.errors else 200)


def flag_kind(data: QueryDict) -> str:
    """Which flag a hand-over answers: ``strategy_squeezed`` (operational tasks only), else ``over_allocated``."""
    return FlagKind.STRATEGY_SQUEEZED if data.get("flag") == FlagKind.STRATEGY_SQUEEZED else FlagKind.OVER_ALLOCATED


def _hand_over_context(team: Team, member: TeamMember, data: QueryDict, **extra) -> dict:
    start = window_start(data)
    kind = flag_kind(data)
    hand_over = fix_selectors.hand_over(
        team=team, member=member, start=start, operational_only=kind == FlagKind.STRATEGY_SQUEEZED
    )
    return _context(team, start, hand_over=hand_over, flag=kind, **extra)


@login_required
@require_GET
def fix_hand_over(request: HtmxHttpRequest, slug: str, member_id: int) -> HttpResponse:
    """``over_allocated`` (all their tasks) and ``strategy_squeezed`` (``?flag=``: their operational ones)."""
    team = managed_team_or_404(request, slug)
    member = get_object_or_404(TeamMember, pk=member_id, team=team)
    return _page(request, "assignments/fix_hand_over.html", _hand_over_context(team, member, request.GET))


def _hand_over_url(team: Team, member_id: int, data: QueryDict) -> str:
    query = {"flag": flag_kind(data), "start": window_start(data).isoformat()}
    return f"{reverse('assignments:fix_hand_over', args=[team.slug, member_id])}?{urlencode(query)}"


@login_required
@require_http_methods(["GET", "POST"])
def fix_move(request: HtmxHttpRequest, slug: str, assignment_id: int) -> HttpResponse:
    """GET: the preview of handing the assignment to ``?to_member=`` (the page asks first); POST: hand it over.

    A POST from the hand-over list with htmx gets the list back (the move done, or its errors on that task's
    card); a plain one a redirect to the list, or this page with the errors beside the field (400).
    """
    team = managed_team_or_404(request, slug)
    assignment = get_object_or_404(
        Assignment.objects.select_related("task__role", "member"),
        pk=assignment_id,
        task__team=team,
        task__is_active=True,
    )
    data = request.POST if request.method == "POST" else request.GET
    start = window_start(data)
    form = HandOverForm(data if "to_member" in data or request.method == "POST" else None, assignment=assignment)
    if request.method == "POST":
        moved = run_service(form, assignment_hand_over, assignment=assignment, assigned_by=request.user)
        notice = moved and _("“%(task)s” is handed over from %(from)s to %(to)s.") % {
            "task": assignment.task.title,
            "from": assignment.member.full_name,
            "to": moved.member.full_name,
        }
        if request.htmx:
            attempt = None if moved else {"assignment_id": assignment.pk, "form": form}
            context = _hand_over_context(team, assignment.member, data, attempt=attempt, notice=notice)
            return render(request, "assignments/fix_hand_over.html#hand-over", context)
        if moved:
            messages.success(request, notice)
            return redirect(_hand_over_url(team, assignment.member_id, data))
    lines = None
    if request.method == "GET" and form.is_valid():
        try:
            lines = move_preview(
                team=team,
                assignment=assignment,
                to_member=form.cleaned_data["to_member"],
                start=start,
                weeks=fix_selectors.FIX_WEEKS,
            )
        except PreviewError as error:
            _apply_preview_errors(form, error, {"member": "to_member"})
    context = _context(
        team,
        start,
        assignment=assignment,
        form=form,
        lines=lines,
        flag=flag_kind(data),
        cancel_url=_hand_over_url(team, assignment.member_id, data),
    )
    return _page(request, "assignments/fix_move.html", context, "preview", 400 if form.errors else 200)


@login_required
@require_GET
def fix_role(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """``role_uncovered``: who could hold ``?role=`` (without it: every role nobody holds in the window)."""
    team = managed_team_or_404(request, slug)
    role_id = request.GET.get("role", "")
    role = None
    if role_id:
        if not (role_id.isascii() and role_id.isdigit() and len(role_id) <= 18):
            raise Http404
        role = get_object_or_404(Role, pk=int(role_id))
    start = window_start(request.GET)
    context = _context(team, start, role=role, fixes=fix_selectors.role_fixes(team=team, start=start, role=role))
    return render(request, "assignments/fix_role.html", context)
