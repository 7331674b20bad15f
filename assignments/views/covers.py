"""Arrange cover: who does a member's duties while they are away (docs/rules.md, "Covers").

Reached from the ``duty_uncovered`` flag (``?date=``: the time off holding that day) and from each time off
on the member's page (``?time_off=``). For the team's managers and staff only (404 for anyone else, as every
page of a team). Saving works as a plain form post (redirect back here, with a message) and with htmx (the
duties are swapped in place); a refused cover is shown beside its fields, never a 500.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assignments.cover_services import cover_create, cover_delete
from assignments.forms import CoverForm, DutyDayForm
from assignments.models import Cover
from assignments.selectors.covers import Stretch, cover_plan, stretch_of
from roles.models import Team, TeamMember

from .common import HtmxHttpRequest, flags_url, managed_team_or_404, run_service, window_start


def _stretch(request: HtmxHttpRequest, member: TeamMember, day_form: DutyDayForm) -> Stretch:
    """``?time_off=`` (one of the member's), else ``?date=``, else their next time off, else today."""
    time_off_id = request.GET.get("time_off", "")
    if time_off_id:
        if not (time_off_id.isascii() and time_off_id.isdigit() and len(time_off_id) <= 18):
            raise Http404
        time_off = get_object_or_404(member.time_off, pk=int(time_off_id))
        return stretch_of(member=member, day=time_off.start_date, time_off=time_off)
    if day_form.is_valid() and day_form.cleaned_data["date"]:
        return stretch_of(member=member, day=day_form.cleaned_data["date"])
    today = timezone.localdate()
    upcoming = member.time_off.filter(end_date__gte=today).order_by("start_date").first()
    return stretch_of(member=member, day=max(upcoming.start_date, today) if upcoming else today, time_off=upcoming)


def _page_url(team: Team, member: TeamMember, stretch: Stretch, start) -> str:
    query = {"date": stretch.first.isoformat(), "start": start.isoformat()}
    return f"{reverse('assignments:arrange_cover', args=[team.slug, member.pk])}?{urlencode(query)}"


@login_required
@require_http_methods(["GET", "POST"])
def arrange_cover(request: HtmxHttpRequest, slug: str, member_id: int) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    member = get_object_or_404(TeamMember, pk=member_id, team=team)
    day_form = DutyDayForm(request.GET)
    stretch, start = _stretch(request, member, day_form), window_start(request.GET)
    form, saved = CoverForm(request.POST if request.method == "POST" else None, away=member), ""
    if request.method == "POST":
        cover = run_service(form, cover_create, arranged_by=request.user)
        if cover is not None:
            message = _("%(substitute)s covers %(task)s for %(member)s.") % {
                "substitute": cover.member.full_name,
                "task": cover.assignment.task.title,
                "member": member.full_name,
            }
            if not request.htmx:
                messages.success(request, message)
                return redirect(_page_url(team, member, stretch, start))
            form, saved = CoverForm(away=member), message
    context = {
        "team": team,
        "start": start,
        "back_url": flags_url(team, start),
        "active": "overview",
        "plan": cover_plan(team=team, member=member, stretch=stretch),
        "form": form,
        "page_url": _page_url(team, member, stretch, start),
        "saved": saved,
        "day_form": day_form,
        # the duty whose form was refused: its fields show the errors and what was typed
        "failed": str(form.data.get("assignment", "")) if form.errors else None,
        "substitutes": form.fields["member"].queryset.order_by("full_name").only("pk", "full_name"),
    }
    if request.htmx:  # htmx swaps only a 200: the duties, with the saved cover or the errors in them
        return render(request, "assignments/arrange_cover.html#duties", context)
    return render(
        request, "assignments/arrange_cover.html", context, status=400 if form.errors or day_form.errors else 200
    )


@login_required
@require_POST
def cover_remove(request: HtmxHttpRequest, slug: str, cover_id: int) -> HttpResponse:
    """Remove a cover and go back to the away member's "Arrange cover" page for its days."""
    team = managed_team_or_404(request, slug)
    cover = get_object_or_404(
        Cover.objects.select_related("assignment__member", "assignment__task", "member"),
        pk=cover_id,
        assignment__task__team=team,
    )
    cover_delete(cover=cover)
    messages.success(
        request,
        _("%(substitute)s no longer covers %(task)s.")
        % {"substitute": cover.member.full_name, "task": cover.assignment.task.title},
    )
    member = cover.assignment.member
    stretch = stretch_of(member=member, day=cover.start_date)
    return redirect(_page_url(team, member, stretch, window_start(request.POST)))
