"""A member's page: roles, tasks, time off, load and flags; the team's managers correct it there.

Managers add, end and delete role holdings, record, change and delete time off, and change the person's
details (name, email, job title, capacity, active). docs/rules.md, "Pages" and "Who may do what": the
member may look at their own page, not change it; for anyone else it does not exist (404).

Every write answers htmx with the page's body (the changed member, their forms, or a form with its errors
beside the fields) and a plain post with a redirect back, or the page with the errors (400). Deleting asks
first: htmx with ``hx-confirm``, a plain browser with a confirmation page (GET) whose form posts the delete.

The forms are folded, and the page renders none of them: each is fetched when its section is opened
(``member_form``: htmx loads it in place; without JavaScript the section's link opens a page with it). A
failed post's form is the one on the page, open, with its errors beside the fields.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activity.recent import activity_url, recent_changes
from assignments import selectors
from assignments.formatting import day_text
from roles.forms import HoldingEndForm, MemberForm, RoleHoldingForm, TimeOffForm
from roles.models import RoleHolding, TeamMember, TimeOff
from roles.services import (
    member_update,
    role_holding_create,
    role_holding_delete,
    role_holding_end,
    time_off_create,
    time_off_delete,
    time_off_update,
)

from .common import HtmxHttpRequest, managed_member_or_404, run_service, visible_member_or_404

# A failed post's form by its prefix: "member", "holding", "off", "end-<holding id>", "off-<time off id>".
BoundForms = dict[str, forms.BaseForm]


@dataclass
class HoldingRow:
    holding: RoleHolding
    can_end: bool  # still running (or ending later), and a manager looks: "End this role" is offered
    end_form: HoldingEndForm | None  # a failed post's form, shown open with its errors; else folded (fetched)


@dataclass
class TimeOffRow:
    time_off: TimeOff
    edit_form: TimeOffForm | None  # a failed post's form, shown open with its errors; else folded (fetched)


def _member_context(
    request: HtmxHttpRequest, member: TeamMember, may_manage: bool, bound: BoundForms | None = None
) -> dict:
    """The member page. Its forms are folded and fetched when opened (``member_form``): only a failed post's
    form (``bound``) is on the page, open, with its errors beside the fields."""
    bound = bound or {}
    page = selectors.member_page(member=member, today=timezone.localdate())
    holdings = [
        HoldingRow(held.holding, may_manage and held.can_end, bound.get(f"end-{held.holding.pk}"))
        for held in page.holdings
    ]
    time_off = [TimeOffRow(off, bound.get(f"off-{off.pk}")) for off in page.time_off]
    return {
        "member": member,
        "may_manage": may_manage,
        "page": page,
        "holdings": holdings,
        "time_off": time_off,
        "member_form": bound.get("member"),
        "holding_form": bound.get("holding"),
        "time_off_form": bound.get("off"),
        "active": "me" if member.user_id == request.user.pk else "",
        # the history is the managers' (as the activity page is): the person's last few changes
        "recent_changes": recent_changes(member.team, member_id=member.pk) if may_manage else None,
        "all_changes_url": activity_url(member.team, member=member.pk) if may_manage else "",
    }


@dataclass
class FoldedForm:
    form: forms.BaseForm
    action: str
    title: str  # its section's summary: the page's heading without JavaScript
    button: str
    quiet: bool = False
    compact: bool = False


def _folded_form(member: TeamMember, kind: str, item_id: int | None) -> FoldedForm:
    """A fresh form of the member page, 404 for a holding or time off that is not theirs (or cannot be ended)."""
    if kind == "member":
        action = reverse("assignments:member_edit", args=[member.pk])
        return FoldedForm(MemberForm.of(member, prefix="member"), action, _("Edit details"), _("Save details"))
    if kind == "holding":
        action = reverse("assignments:holding_add", args=[member.pk])
        return FoldedForm(RoleHoldingForm(prefix="holding"), action, _("Add a role"), _("Add role"))
    if kind == "off":
        action = reverse("assignments:time_off_add", args=[member.pk])
        return FoldedForm(TimeOffForm(prefix="off"), action, _("Record time off"), _("Record time off"))
    if kind == "end":
        today = timezone.localdate()
        holding = _holding_or_404(member, item_id)
        if holding.end_date is not None and holding.end_date < today:
            raise Http404
        form = HoldingEndForm(prefix=f"end-{holding.pk}", initial={"end_date": today})
        action = reverse("assignments:holding_end", args=[member.pk, holding.pk])
        return FoldedForm(form, action, _("End this role"), _("End role"), quiet=True, compact=True)
    time_off = _time_off_or_404(member, item_id)
    form = TimeOffForm(prefix=f"off-{time_off.pk}", instance=time_off)
    action = reverse("assignments:time_off_edit", args=[member.pk, time_off.pk])
    return FoldedForm(form, action, _("Change"), _("Save time off"), quiet=True)


@login_required
@require_GET
def member_form(
    request: HtmxHttpRequest, member_id: int, kind: str, holding_id: int | None = None, time_off_id: int | None = None
) -> HttpResponse:
    """A folded form of the member page, fetched when opened: with htmx the form for its section, without
    JavaScript a page with it. ``kind``: "member" (details), "holding" (add), "off" (record time off),
    "end" (end the holding ``holding_id``), "off-edit" (change the time off ``time_off_id``)."""
    member = managed_member_or_404(request, member_id)
    folded = _folded_form(member, kind, holding_id or time_off_id)
    context = {"member": member, "htmx": bool(request.htmx), **vars(folded)}
    if request.htmx:
        return render(request, "assignments/_member_form.html", context)
    return render(request, "assignments/member_form.html", context)


@login_required
@require_GET
def member_detail(request: HtmxHttpRequest, member_id: int) -> HttpResponse:
    member, may_manage = visible_member_or_404(request, member_id)
    return render(request, "assignments/member.html", _member_context(request, member, may_manage))


def _member_saved(request: HtmxHttpRequest, member: TeamMember, message: str) -> HttpResponse:
    if request.htmx:
        return render(request, "assignments/member.html#member-body", _member_context(request, member, True))
    messages.success(request, message)
    return redirect("assignments:member", member_id=member.pk)


def _member_errors(request: HtmxHttpRequest, member: TeamMember, prefix: str, form: forms.BaseForm) -> HttpResponse:
    context = _member_context(request, member, True, {prefix: form})
    if request.htmx:
        return render(request, "assignments/member.html#member-body", context)
    return render(request, "assignments/member.html", context, status=400)


@contextmanager
def _gone_is_404() -> Iterator[None]:
    """A row another manager deleted between this request's lookup and the service's locked re-read
    (the member, a holding, a time off): 404, as if the request had come a moment later, not a 500."""
    try:
        yield
    except ObjectDoesNotExist as error:
        raise Http404 from error


def _confirm_delete(request: HtmxHttpRequest, member: TeamMember, question: str, detail: str) -> HttpResponse:
    """Without JavaScript a delete link lands here: say what goes, and post the delete from a button."""
    context = {"member": member, "question": question, "detail": detail, "action": request.path}
    return render(request, "assignments/confirm_delete.html", context)


@login_required
@require_POST
def member_edit(request: HtmxHttpRequest, member_id: int) -> HttpResponse:
    member = managed_member_or_404(request, member_id)
    form = MemberForm(request.POST, prefix="member")
    with _gone_is_404():
        saved = run_service(form, member_update, member=member)
    if saved is None:
        return _member_errors(request, member, "member", form)
    saved.team = member.team  # the page shows the team; the service returns the row without it
    return _member_saved(request, saved, _("Details saved."))


@login_required
@require_POST
def holding_add(request: HtmxHttpRequest, member_id: int) -> HttpResponse:
    member = managed_member_or_404(request, member_id)
    form = RoleHoldingForm(request.POST, prefix="holding")
    holding = run_service(form, role_holding_create, member=member)
    if holding is None:
        return _member_errors(request, member, "holding", form)
    return _member_saved(
        request, member, _("%(name)s now holds %(role)s.") % {"name": member.full_name, "role": holding.role}
    )


def _holding_or_404(member: TeamMember, holding_id: int) -> RoleHolding:
    return get_object_or_404(RoleHolding.objects.select_related("role"), pk=holding_id, member=member)


@login_required
@require_POST
def holding_end(request: HtmxHttpRequest, member_id: int, holding_id: int) -> HttpResponse:
    member = managed_member_or_404(request, member_id)
    holding = _holding_or_404(member, holding_id)
    form = HoldingEndForm(request.POST, prefix=f"end-{holding.pk}")
    with _gone_is_404():
        ended = run_service(form, role_holding_end, holding=holding)
    if ended is None:
        return _member_errors(request, member, f"end-{holding.pk}", form)
    return _member_saved(request, member, _("The role holding is ended."))


@login_required
@require_http_methods(["GET", "POST"])
def holding_delete(request: HtmxHttpRequest, member_id: int, holding_id: int) -> HttpResponse:
    """For a holding entered by mistake: it goes as if never recorded (ending one keeps its history)."""
    member = managed_member_or_404(request, member_id)
    holding = _holding_or_404(member, holding_id)
    if request.method == "GET":
        return _confirm_delete(
            request,
            member,
            _("Delete this role holding?"),
            _("%(name)s holding %(role)s since %(start)s")
            % {"name": member.full_name, "role": holding.role.name, "start": day_text(holding.start_date)},
        )
    role_holding_delete(holding=holding)
    return _member_saved(request, member, _("The role holding is deleted."))


@login_required
@require_POST
def time_off_add(request: HtmxHttpRequest, member_id: int) -> HttpResponse:
    member = managed_member_or_404(request, member_id)
    form = TimeOffForm(request.POST, prefix="off")
    if run_service(form, time_off_create, member=member) is None:
        return _member_errors(request, member, "off", form)
    return _member_saved(request, member, _("Time off recorded."))


def _time_off_or_404(member: TeamMember, time_off_id: int) -> TimeOff:
    return get_object_or_404(TimeOff, pk=time_off_id, member=member)


@login_required
@require_POST
def time_off_edit(request: HtmxHttpRequest, member_id: int, time_off_id: int) -> HttpResponse:
    member = managed_member_or_404(request, member_id)
    time_off = _time_off_or_404(member, time_off_id)
    form = TimeOffForm(request.POST, prefix=f"off-{time_off.pk}")
    with _gone_is_404():
        saved = run_service(form, time_off_update, time_off=time_off)
    if saved is None:
        return _member_errors(request, member, f"off-{time_off.pk}", form)
    return _member_saved(request, member, _("Time off changed."))


@login_required
@require_http_methods(["GET", "POST"])
def time_off_delete_view(request: HtmxHttpRequest, member_id: int, time_off_id: int) -> HttpResponse:
    member = managed_member_or_404(request, member_id)
    time_off = _time_off_or_404(member, time_off_id)
    if request.method == "GET":
        return _confirm_delete(
            request,
            member,
            _("Delete this time off?"),
            _("%(name)s off from %(start)s to %(end)s")
            % {"name": member.full_name, "start": day_text(time_off.start_date), "end": day_text(time_off.end_date)},
        )
    time_off_delete(time_off=time_off)
    return _member_saved(request, member, _("Time off deleted."))
