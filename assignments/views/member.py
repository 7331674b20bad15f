"""A member's page: roles, tasks, time off, load and flags; managers add and end holdings and record time off.

docs/rules.md, "Pages" and "Who may do what": the member may look at their own page, not change it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assignments import selectors
from roles.forms import HoldingEndForm, RoleHoldingForm, TimeOffForm
from roles.models import RoleHolding, TeamMember
from roles.services import role_holding_create, role_holding_end, time_off_create

from .common import HtmxHttpRequest, managed_member_or_404, run_service, visible_member_or_404


@dataclass
class HoldingRow:
    holding: RoleHolding
    end_form: HoldingEndForm | None  # None: the holding has ended and cannot be ended again


def _member_context(
    request: HtmxHttpRequest,
    member: TeamMember,
    may_manage: bool,
    holding_form: RoleHoldingForm | None = None,
    time_off_form: TimeOffForm | None = None,
    end_forms: dict[int, HoldingEndForm] | None = None,
) -> dict:
    """The member page; the forms given are bound ones with errors (``end_forms`` by holding id)."""
    today = timezone.localdate()
    page = selectors.member_page(member=member, today=today)
    end_forms = end_forms or {}
    holdings = [
        HoldingRow(
            held.holding,
            end_forms.get(held.holding.pk)
            or (HoldingEndForm(prefix=f"end-{held.holding.pk}", initial={"end_date": today}) if held.can_end else None),
        )
        for held in page.holdings
    ]
    return {
        "member": member,
        "may_manage": may_manage,
        "page": page,
        "holdings": holdings,
        "holding_form": holding_form or RoleHoldingForm(prefix="holding"),
        "time_off_form": time_off_form or TimeOffForm(prefix="off"),
        "active": "me" if member.user_id == request.user.pk else "",
    }


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


def _member_errors(request: HtmxHttpRequest, member: TeamMember, **bound) -> HttpResponse:
    context = _member_context(request, member, True, **bound)
    if request.htmx:
        return render(request, "assignments/member.html#member-body", context)
    return render(request, "assignments/member.html", context, status=400)


@login_required
@require_POST
def holding_add(request: HtmxHttpRequest, member_id: int) -> HttpResponse:
    member = managed_member_or_404(request, member_id)
    form = RoleHoldingForm(request.POST, prefix="holding")
    holding = run_service(form, role_holding_create, member=member)
    if holding is None:
        return _member_errors(request, member, holding_form=form)
    return _member_saved(
        request, member, _("%(name)s now holds %(role)s.") % {"name": member.full_name, "role": holding.role}
    )


@login_required
@require_POST
def holding_end(request: HtmxHttpRequest, member_id: int, holding_id: int) -> HttpResponse:
    member = managed_member_or_404(request, member_id)
    holding = get_object_or_404(RoleHolding, pk=holding_id, member=member)
    form = HoldingEndForm(request.POST, prefix=f"end-{holding.pk}")
    if run_service(form, role_holding_end, holding=holding) is None:
        return _member_errors(request, member, end_forms={holding.pk: form})
    return _member_saved(request, member, _("The role holding is ended."))


@login_required
@require_POST
def time_off_add(request: HtmxHttpRequest, member_id: int) -> HttpResponse:
    member = managed_member_or_404(request, member_id)
    form = TimeOffForm(request.POST, prefix="off")
    if run_service(form, time_off_create, member=member) is None:
        return _member_errors(request, member, time_off_form=form)
    return _member_saved(request, member, _("Time off recorded."))
