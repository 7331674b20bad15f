"""Pages and htmx endpoints of the planning app.

Every view checks who may see it (``managed_team`` / ``visible_member``:
anyone else gets 404) and every write requires the team's manager and POST.
An htmx request gets the changed fragment (plus out-of-band fragments for the
panels it affects); a plain form post gets a redirect back, or the full page
with the errors beside the fields, so everything works without JavaScript.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from roles.forms import HoldingEndForm, RoleHoldingForm, TimeOffForm
from roles.models import RoleHolding, Team, TeamMember
from roles.permissions import managed_team, member_of, visible_member
from roles.services import role_holding_create, role_holding_end, time_off_create

from . import pages
from .calendars import monday_of
from .document import workload_document
from .forms import AcknowledgeForm, AssignForm, BoardFilterForm, ShareForm, TaskForm, WorkloadWindowForm
from .models import Assignment, Task
from .report import team_report
from .services import (
    acknowledgement_create,
    acknowledgement_withdraw,
    assignment_create,
    assignment_delete,
    assignment_update,
    task_archive,
    task_create,
    task_update,
)

OVERVIEW_WEEKS = 6
MEMBER_WEEKS = 8
BOARD_LOAD_WEEKS = 4


def _managed_team_or_404(request: HttpRequest, slug: str) -> Team:
    try:
        return managed_team(user=request.user, slug=slug)
    except Team.DoesNotExist as error:
        raise Http404 from error


def _visible_member_or_404(request: HttpRequest, member_id: int) -> tuple[TeamMember, bool]:
    try:
        return visible_member(user=request.user, member_id=member_id)
    except TeamMember.DoesNotExist as error:
        raise Http404 from error


def _apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: keyed errors on their field, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


# --------------------------------------------------------------------------- API


@require_GET
def team_workload_api(request: HttpRequest, slug: str) -> JsonResponse:
    """The workload document of a team, for its managers and staff (session authentication).

    Anonymous: 401 (JSON, no login redirect). Not a manager of this team: 404,
    the same as a team that does not exist. Bad parameters: 400 naming them.
    """
    if not request.user.is_authenticated:
        response = JsonResponse({"error": _("Authentication required.")}, status=401)
        response["WWW-Authenticate"] = 'Session realm="Teamplanner"'
        return response
    try:
        team = managed_team(user=request.user, slug=slug)
    except Team.DoesNotExist:
        return JsonResponse({"error": _("Not found.")}, status=404)
    window = WorkloadWindowForm(request.GET)
    if not window.is_valid():
        return JsonResponse({"errors": {name: list(errors) for name, errors in window.errors.items()}}, status=400)
    report = team_report(team=team, start=window.cleaned_data["start"], weeks=window.cleaned_data["weeks"])
    return JsonResponse(workload_document(report))


# --------------------------------------------------------------------------- team overview


@login_required
@require_GET
def team_overview(request: HttpRequest, slug: str) -> HttpResponse:
    team = _managed_team_or_404(request, slug)
    window = WorkloadWindowForm({"start": request.GET.get("start", "")}, default_weeks=OVERVIEW_WEEKS)
    start = window.cleaned_data["start"] if window.is_valid() else monday_of(timezone.localdate())
    context = {
        "team": team,
        "overview": pages.team_overview(team=team, start=start, weeks=OVERVIEW_WEEKS),
        "this_week": monday_of(timezone.localdate()),
        "active": "overview",
    }
    if request.htmx and request.htmx.target == "overview-body":
        return render(request, "assignments/overview.html#overview-body", context)
    return render(request, "assignments/overview.html", context)


def _flags_panel(request: HttpRequest, team: Team, start: datetime.date) -> HttpResponse:
    context = {"team": team, "overview": pages.team_overview(team=team, start=start, weeks=OVERVIEW_WEEKS)}
    return render(request, "assignments/overview.html#flags", context)


def _overview_start(request: HttpRequest) -> datetime.date:
    window = WorkloadWindowForm({"start": request.POST.get("start", "")})
    return window.cleaned_data["start"] if window.is_valid() else monday_of(timezone.localdate())


@login_required
@require_POST
def acknowledge_dual_role(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    team = _managed_team_or_404(request, slug)
    member = get_object_or_404(TeamMember, pk=member_id, team=team)
    form = AcknowledgeForm(request.POST)
    start = _overview_start(request)
    if form.is_valid():
        acknowledgement_create(member=member, acknowledged_by=request.user, **form.cleaned_data)
        if not request.htmx:
            messages.success(request, _("The dual role of %(name)s is acknowledged.") % {"name": member.full_name})
    elif not request.htmx:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    if request.htmx:
        return _flags_panel(request, team, start)
    return redirect(f"{reverse('assignments:team_overview', args=[team.slug])}?start={start.isoformat()}#flags")


@login_required
@require_POST
def withdraw_acknowledgement(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    team = _managed_team_or_404(request, slug)
    member = get_object_or_404(TeamMember, pk=member_id, team=team)
    acknowledgement_withdraw(member=member, withdrawn_by=request.user)
    start = _overview_start(request)
    if request.htmx:
        return _flags_panel(request, team, start)
    messages.success(request, _("The acknowledgement for %(name)s is withdrawn.") % {"name": member.full_name})
    return redirect(f"{reverse('assignments:team_overview', args=[team.slug])}?start={start.isoformat()}#flags")


# --------------------------------------------------------------------------- board


def _member_options(members: list[tuple[int, str]]) -> str:
    """The member <option>s, rendered once per response and shared by every card: a team of
    hundreds would otherwise render hundreds of options per card through the widget templates."""
    return format_html_join("", '<option value="{}">{}</option>', members)


def _attach_forms(
    card: pages.BoardTask, team: Team, members: list[tuple[int, str]], member_options: str, roles: list, bound: dict
) -> None:
    """The card's own forms (edit, assign, one share form per assignee); ``bound`` ones carry errors."""
    task_id = card.task.pk
    card.member_options = member_options
    card.edit_form = bound.get("edit") or TaskForm(team=team, roles=roles, instance=card.task, prefix=f"edit-{task_id}")
    card.assign_form = bound.get("assign") or AssignForm(
        team=team, member_choices=members, prefix=f"assign-{task_id}", initial={"share_percent": card.share_left or 100}
    )
    for assignment in card.assignments:
        assignment.share_form = bound.get(f"share-{assignment.pk}") or ShareForm(
            prefix=f"share-{assignment.pk}", initial={"share_percent": assignment.share_percent}
        )


def _board_context(request: HttpRequest, team: Team, task_form=None, card_forms=None) -> dict:
    """The board page; ``task_form`` or ``card_forms`` ({task id: {name: form}}) carry forms with errors."""
    filters = BoardFilterForm(request.GET, team=team)
    board = pages.team_board(
        team=team,
        filters=filters.cleaned_data if filters.is_valid() else {},
        today=timezone.localdate(),
        page=request.GET.get("page"),
        weeks=BOARD_LOAD_WEEKS,
    )
    members = [(member.id, member.name) for member in board.members]
    options = _member_options(members)
    for card in board.operational + board.strategic:
        _attach_forms(card, team, members, options, board.roles, (card_forms or {}).get(card.task.pk, {}))
    return {
        "team": team,
        "board": board,
        "filters": filters,
        "task_form": task_form or TaskForm(team=team, roles=board.roles, prefix="new"),
        "active": "board",
    }


@login_required
@require_GET
def team_board(request: HttpRequest, slug: str) -> HttpResponse:
    team = _managed_team_or_404(request, slug)
    context = _board_context(request, team)
    if request.htmx and request.htmx.target == "board-columns":
        return render(request, "assignments/board.html#board-columns", context)
    return render(request, "assignments/board.html", context)


def _card_response(request: HttpRequest, team: Team, task: Task, forms: dict | None = None) -> HttpResponse:
    """After a change: the task card (gone if archived), plus the team's workload badges out of band."""
    loads = pages.team_loads(team=team, today=timezone.localdate(), weeks=BOARD_LOAD_WEEKS)
    card = None
    if task.is_active:
        card = pages.board_task(pages.board_task_queryset(team).get(pk=task.pk))
        members = [(load.member.id, load.member.name) for load in loads]
        _attach_forms(card, team, members, _member_options(members), pages.board_roles(), forms or {})
    context = {"team": team, "card": card, "task_id": task.pk, "loads": loads}
    return render(request, "assignments/_card_response.html", context)


def _board_redirect(team: Team, task_id: int | None = None) -> HttpResponse:
    url = reverse("assignments:team_board", args=[team.slug])
    return redirect(f"{url}#task-{task_id}" if task_id else url)


def _board_errors(request: HttpRequest, team: Team, task: Task, form_name: str, form) -> HttpResponse:
    """A form with errors: the card with it (htmx), or the whole board with it (plain post)."""
    if request.htmx:
        return _card_response(request, team, task, forms={form_name: form})
    context = _board_context(request, team, card_forms={task.pk: {form_name: form}})
    return render(request, "assignments/board.html", context, status=400)


@login_required
@require_POST
def task_new(request: HttpRequest, slug: str) -> HttpResponse:
    team = _managed_team_or_404(request, slug)
    form = TaskForm(request.POST, team=team, prefix="new")
    if form.is_valid():
        try:
            task = task_create(team=team, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if request.htmx:
                return HttpResponseClientRedirect(
                    f"{reverse('assignments:team_board', args=[team.slug])}#task-{task.pk}"
                )
            messages.success(request, _("Task “%(title)s” created.") % {"title": task.title})
            return _board_redirect(team, task.pk)
    context = _board_context(request, team, task_form=form)
    if request.htmx:
        return render(request, "assignments/board.html#new-task", context)
    return render(request, "assignments/board.html", context, status=400)


def _team_task_or_404(team: Team, task_id: int) -> Task:
    return get_object_or_404(Task, pk=task_id, team=team, is_active=True)


@login_required
@require_POST
def task_edit(request: HttpRequest, slug: str, task_id: int) -> HttpResponse:
    team = _managed_team_or_404(request, slug)
    task = _team_task_or_404(team, task_id)
    form = TaskForm(request.POST, team=team, instance=task, prefix=f"edit-{task.pk}")
    if form.is_valid():
        try:
            task = task_update(task=task, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
    if form.errors:
        task.refresh_from_db()
        return _board_errors(request, team, task, "edit", form)
    return _card_response(request, team, task) if request.htmx else _board_redirect(team, task.pk)


@login_required
@require_POST
def task_archive_view(request: HttpRequest, slug: str, task_id: int) -> HttpResponse:
    team = _managed_team_or_404(request, slug)
    task = task_archive(task=_team_task_or_404(team, task_id))
    if request.htmx:
        return _card_response(request, team, task)
    messages.success(request, _("Task “%(title)s” archived.") % {"title": task.title})
    return _board_redirect(team)


@login_required
@require_POST
def assign(request: HttpRequest, slug: str, task_id: int) -> HttpResponse:
    team = _managed_team_or_404(request, slug)
    task = _team_task_or_404(team, task_id)
    form = AssignForm(request.POST, team=team, prefix=f"assign-{task.pk}")
    if form.is_valid():
        try:
            assignment_create(task=task, assigned_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
    if form.errors:
        return _board_errors(request, team, task, "assign", form)
    return _card_response(request, team, task) if request.htmx else _board_redirect(team, task.pk)


def _team_assignment_or_404(team: Team, assignment_id: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related("task", "member"),
        pk=assignment_id,
        task__team=team,
        task__is_active=True,
    )


@login_required
@require_POST
def assignment_share(request: HttpRequest, slug: str, assignment_id: int) -> HttpResponse:
    team = _managed_team_or_404(request, slug)
    assignment = _team_assignment_or_404(team, assignment_id)
    form = ShareForm(request.POST, prefix=f"share-{assignment.pk}")
    if form.is_valid():
        try:
            assignment_update(
                assignment=assignment,
                share_percent=form.cleaned_data["share_percent"],
                start_date=assignment.start_date,
                end_date=assignment.end_date,
                assigned_by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
    if form.errors:
        return _board_errors(request, team, assignment.task, f"share-{assignment.pk}", form)
    return _card_response(request, team, assignment.task) if request.htmx else _board_redirect(team, assignment.task_id)


@login_required
@require_POST
def assignment_remove(request: HttpRequest, slug: str, assignment_id: int) -> HttpResponse:
    team = _managed_team_or_404(request, slug)
    assignment = _team_assignment_or_404(team, assignment_id)
    assignment_delete(assignment=assignment)
    return _card_response(request, team, assignment.task) if request.htmx else _board_redirect(team, assignment.task_id)


# --------------------------------------------------------------------------- member page


def _member_context(request: HttpRequest, member: TeamMember, may_manage: bool, **bound) -> dict:
    """The member page; ``bound`` carries forms with errors (``holding_form``, ``time_off_form``, ``end_forms``)."""
    today = timezone.localdate()
    page = pages.member_page(member=member, start=today, weeks=MEMBER_WEEKS)
    end_forms = bound.get("end_forms", {})
    for holding in page.holdings:  # a holding still running (or ending later) can be ended
        still_running = holding.end_date is None or holding.end_date >= today
        holding.end_form = end_forms.get(holding.pk) or (
            HoldingEndForm(prefix=f"end-{holding.pk}", initial={"end_date": today}) if still_running else None
        )
    return {
        "member": member,
        "may_manage": may_manage,
        "page": page,
        "holding_form": bound.get("holding_form") or RoleHoldingForm(prefix="holding"),
        "time_off_form": bound.get("time_off_form") or TimeOffForm(prefix="off"),
        "today": today,
        "active": "me" if member.user_id == request.user.pk else "",
    }


@login_required
@require_GET
def member_detail(request: HttpRequest, member_id: int) -> HttpResponse:
    member, may_manage = _visible_member_or_404(request, member_id)
    return render(request, "assignments/member.html", _member_context(request, member, may_manage))


def _managed_member_or_404(request: HttpRequest, member_id: int) -> TeamMember:
    member, may_manage = _visible_member_or_404(request, member_id)
    if not may_manage:  # the member themselves may look, not change
        raise Http404
    return member


def _member_saved(request: HttpRequest, member: TeamMember, message: str) -> HttpResponse:
    if request.htmx:
        return render(request, "assignments/member.html#member-body", _member_context(request, member, True))
    messages.success(request, message)
    return redirect("assignments:member", member_id=member.pk)


def _member_errors(request: HttpRequest, member: TeamMember, **bound) -> HttpResponse:
    context = _member_context(request, member, True, **bound)
    if request.htmx:
        return render(request, "assignments/member.html#member-body", context)
    return render(request, "assignments/member.html", context, status=400)


@login_required
@require_POST
def holding_add(request: HttpRequest, member_id: int) -> HttpResponse:
    member = _managed_member_or_404(request, member_id)
    form = RoleHoldingForm(request.POST, prefix="holding")
    if form.is_valid():
        try:
            holding = role_holding_create(member=member, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return _member_saved(
                request, member, _("%(name)s now holds %(role)s.") % {"name": member.full_name, "role": holding.role}
            )
    return _member_errors(request, member, holding_form=form)


@login_required
@require_POST
def holding_end(request: HttpRequest, member_id: int, holding_id: int) -> HttpResponse:
    member = _managed_member_or_404(request, member_id)
    holding = get_object_or_404(RoleHolding, pk=holding_id, member=member)
    form = HoldingEndForm(request.POST, prefix=f"end-{holding.pk}")
    if form.is_valid():
        try:
            role_holding_end(holding=holding, end_date=form.cleaned_data["end_date"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return _member_saved(request, member, _("The role holding is ended."))
    return _member_errors(request, member, end_forms={holding.pk: form})


@login_required
@require_POST
def time_off_add(request: HttpRequest, member_id: int) -> HttpResponse:
    member = _managed_member_or_404(request, member_id)
    form = TimeOffForm(request.POST, prefix="off")
    if form.is_valid():
        try:
            time_off_create(member=member, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return _member_saved(request, member, _("Time off recorded."))
    return _member_errors(request, member, time_off_form=form)


# --------------------------------------------------------------------------- my duties


@login_required
@require_GET
def my_duties(request: HttpRequest) -> HttpResponse:
    member = member_of(user=request.user)
    if member is None:
        return render(request, "not_on_a_team.html", status=404)
    today = timezone.localdate()
    page = pages.member_page(member=member, start=today, weeks=BOARD_LOAD_WEEKS, with_duties=True)
    week_end = monday_of(today) + datetime.timedelta(days=6)
    page.occurrences.sort(key=lambda occurrence: (occurrence.date, occurrence.task.title))
    context = {
        "member": member,
        "page": page,
        "today": today,
        "today_duties": [o for o in page.occurrences if o.date == today],
        "week_duties": [o for o in page.occurrences if monday_of(today) <= o.date <= week_end],
        "active": "me",
    }
    return render(request, "assignments/my_duties.html", context)
