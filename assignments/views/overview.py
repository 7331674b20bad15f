"""The team overview: heatmap and flags; acknowledging a dual role and withdrawing it (docs/rules.md, "Pages").

The heatmap shows a page of members, most loaded first, under the filters of ``?band=`` and ``?role=``
(``selectors.overview``); every link of the page (weeks, pages, clearing the filters) keeps the others'
parameters. A bad filter value is ignored and shown beside its field; a bad page is the first, one past
the end the last. htmx swaps the heatmap alone (pages, filters) or the whole body (weeks).

A folded kind (more than ``FLAG_GROUP_OPEN_MAX`` lines) is not on the page: opening it fetches its lines
from ``flag_group``, which without JavaScript is a page of its own. After an acknowledgement or a
withdrawal the panel comes back with the dual-role kind's lines in place (the kind the manager was in).
A dual-role line of a folded kind carries no form: opening "Acknowledge…" fetches it from
``acknowledge_form``, which without JavaScript is a page of its own too.

An acknowledgement answers the flag over the weeks the overview shows: the form posts the window's
``start`` and the service checks the member's dual role over those ``OVERVIEW_WEEKS`` weeks. A refused
one comes back with its errors beside the fields of that member's line (htmx: the flags panel; a
plain post: the whole page, status 400), or at the top of the panel when the line is gone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assignments import selectors
from assignments.flags import Flag, FlagKind
from assignments.forms import AcknowledgeForm, OverviewFilterForm
from assignments.selectors.overview import FLAG_GROUPS, OVERVIEW_WEEKS, FlagGroup, Overview
from assignments.selectors.overview import flag_group as flag_group_of
from assignments.services import acknowledgement_create, acknowledgement_withdraw
from roles.models import Team, TeamMember

from .common import HtmxHttpRequest, flags_url, managed_team_or_404, page_number, run_service, window_start


@dataclass
class AcknowledgementAttempt:
    """A refused acknowledgement: whose, the form with its values and errors, and whether the panel has their line."""

    member: TeamMember
    form: AcknowledgeForm
    shown: bool


SENTINEL = 987654321987  # an id no URL holds otherwise: where a URL reversed once takes each line's id


@dataclass(frozen=True)
class ShownLine:
    """A flag line as the panel writes it, in the reader's language: its sentence and its links (the
    first flag's); a dual-role line adds its forms (``flags/_dual_role.html``)."""

    kind: str
    flag: Flag
    sentence: str
    links: str  # the <a>s, written (``FlagLinks.html``)


class FlagLinks:
    """The links of the flag lines, each URL name reversed once per response and completed per line.

    The panel's lines are written in one loop (``flags/group.html``): a template and a handful of ``{% url %}``
    per line would cost more than the rest of the page.
    """

    def __init__(self, team: Team, start: datetime.date):
        self.slug, self.start = team.slug, start.isoformat()
        self.parts: dict[str, tuple[str, str]] = {}
        self.catalog = reverse("roles:catalog")

    def url(self, name: str, pk: int | None = None, **query: str) -> str:
        """The URL of ``name`` for ``pk``, with ``query`` (ids, kinds and ISO dates: nothing to quote)."""
        if name not in self.parts:
            args = [SENTINEL] if name == "member" else [self.slug, SENTINEL][: 2 if pk is not None else 1]
            self.parts[name] = reverse(f"assignments:{name}", args=args).partition(str(SENTINEL))[::2]
        before, after = self.parts[name]
        url = f"{before}{'' if pk is None else pk}{after}"
        return f"{url}?{'&'.join(f'{key}={value}' for key, value in query.items())}" if query else url

    def html(self, flag: Flag) -> str:
        """The line's links, written: one template node per line instead of a loop of them."""
        return mark_safe("\n".join(f'<a href="{escape(href)}">{escape(text)}</a>' for href, text in self.of(flag)))

    def of(self, flag) -> list[tuple[str, str]]:
        start, kind = self.start, flag.kind
        if kind == FlagKind.DUAL_ROLE:
            return [(self.url("member", flag.member.id), _("See their roles and load"))]
        if kind in (FlagKind.OVER_ALLOCATED, FlagKind.STRATEGY_SQUEEZED):
            squeezed = kind == FlagKind.STRATEGY_SQUEEZED
            return [
                (
                    self.url("fix_hand_over", flag.member.id, flag=kind, start=start),
                    _("Hand over operational tasks") if squeezed else _("Hand over tasks"),
                ),
                (self.url("member", flag.member.id), _("See their load")),
            ]
        if kind == FlagKind.ROLE_UNCOVERED:
            return [
                (self.url("fix_role", role=str(flag.role.id), start=start), _("Who could hold it")),
                (f"{self.catalog}#role-{flag.role.slug}", _("About the role")),
            ]
        if kind == FlagKind.SINGLE_HOLDER:
            return [
                (self.url("member", flag.member.id), flag.member.name),
                (f"{self.catalog}#role-{flag.role.slug}", _("Who holds which role")),
                (self.url("fix_role", role=str(flag.role.id), start=start), _("Who could back them up")),
            ]
        if kind == FlagKind.TASK_UNASSIGNED:
            return [(self.url("fix_task", flag.task.id, start=start), _("Who should take the rest"))]
        if kind == FlagKind.ACCOUNTABLE_MISSING:  # the RACI page holding the task's row, at that row
            url = self.url("team_raci", start=start, task=str(flag.task.id))
            return [(f"{url}#task-{flag.task.id}", _("Name who is accountable"))]
        return [  # duty_uncovered: the line folds a person's days off; the cover page lists them all, from this one
            (self.url("arrange_cover", flag.member.id, date=flag.date.isoformat(), start=start), _("Arrange cover")),
            (self.url("member", flag.member.id), _("Their time off")),
        ]


def shown_groups(team: Team, start: datetime.date, groups: list[FlagGroup]) -> list[FlagGroup]:
    """The groups with their lines as the panel writes them (``ShownLine``)."""
    links = FlagLinks(team, start)
    return [
        replace(
            group,
            lines=[ShownLine(line.kind, line.flag, line.sentence, links.html(line.flag)) for line in group.lines],
        )
        for group in groups
    ]


def _query(start: datetime.date, filters: dict, **more: str) -> str:
    """``?start=…`` with the good filters (and ``more``): what every link of the page carries."""
    return "?" + urlencode(
        {"start": start.isoformat(), **{name: str(value) for name, value in filters.items()}, **more}
    )


def _links(overview: Overview, filters: dict) -> dict[str, str]:
    """The page's links, each keeping the filters: the weeks around (back to page 1: the ranking is the
    window's), a page of the heatmap (ends in "page=", the template adds the number), no filters."""
    start = overview.workload.start
    return {
        "previous": _query(overview.previous_start, filters),
        "this_week": _query(overview.this_week, filters),
        "next": _query(overview.next_start, filters),
        "page": _query(start, filters, page=""),
        "clear": _query(start, {}),
        # the downloads' window: the weeks shown (docs/rules.md, "Exports")
        "window": f"?start={start.isoformat()}&weeks={len(overview.workload.weeks)}",
    }


def _overview_context(
    team: Team, start: datetime.date, query: QueryDict | None = None, *, unfold: str = "", flags=True, **extra
) -> dict:
    """The page for ``start``; ``query`` (a GET's) picks the heatmap's filters and page, else everyone's first
    page; the lines of the folded kind ``unfold`` are on it; ``flags=False``: the heatmap alone is written."""
    overview = selectors.team_overview(team=team, start=start, today=timezone.localdate())
    if unfold:
        overview.unfold(team, unfold)
    form = OverviewFilterForm(query, roles=overview.roles)  # unbound without a query: no errors to show
    filters = form.valid_filters()
    page = page_number(query.get("page") if query is not None else None)
    heatmap = overview.heatmap(band=filters.get("band"), role_id=filters.get("role"), page=page)
    return {
        "team": team,
        "overview": overview,
        "heatmap": heatmap,
        "filters": form,
        "links": _links(overview, filters),
        "window_start": overview.workload.start,
        "flag_groups": shown_groups(team, overview.workload.start, overview.flag_groups) if flags else [],
        "active": "overview",
        **extra,
    }


@login_required
@require_GET
def team_overview(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    heatmap_only = bool(request.htmx) and request.htmx.target == "heatmap"
    context = _overview_context(team, window_start(request.GET), request.GET, flags=not heatmap_only)
    if request.htmx and request.htmx.target in {"overview-body", "heatmap"}:
        return render(request, f"assignments/overview.html#{request.htmx.target}", context)
    return render(request, "assignments/overview.html", context)


@login_required
@require_GET
def flag_group(request: HtmxHttpRequest, slug: str, kind: str) -> HttpResponse:
    """The lines of one kind of flag (what a folded kind fetches when opened); a plain GET gets a page of them."""
    team = managed_team_or_404(request, slug)
    if kind not in FLAG_GROUPS:
        raise Http404
    start = window_start(request.GET)
    group = flag_group_of(team=team, start=start, kind=kind)
    [group] = shown_groups(team, start, [group]) if group else [None]
    context = {"team": team, "group": group, "title": FLAG_GROUPS[kind], "window_start": start, "active": "overview"}
    if request.htmx:
        return render(request, "assignments/flags/group.html#lines", context)
    return render(request, "assignments/flags/group.html", context)


@login_required
@require_GET
def acknowledge_form(request: HtmxHttpRequest, slug: str, member_id: int) -> HttpResponse:
    """The acknowledgement form of a dual-role line (no engine run): htmx gets the form, a plain GET a page with it.

    Whether the member has a dual role to acknowledge is the service's to say when the form is posted.
    """
    team = managed_team_or_404(request, slug)
    member = get_object_or_404(TeamMember, pk=member_id, team=team)
    start = window_start(request.GET)
    context = {
        "team": team,
        "member": member,
        "member_id": member.pk,
        "window_start": start,
        "window_end": start + datetime.timedelta(weeks=OVERVIEW_WEEKS, days=-1),
        "form": None,
        "active": "overview",
    }
    if request.htmx:
        return render(request, "assignments/flags/_acknowledge_form.html", context)
    return render(request, "assignments/flags/acknowledge.html", context)


def _back_to_flags(team: Team, start: datetime.date) -> HttpResponse:
    return redirect(flags_url(team, start))


def _refused(request: HtmxHttpRequest, team: Team, start: datetime.date, member: TeamMember, form) -> HttpResponse:
    """The panel (htmx) or the page (plain post, 400) again, with the errors beside that member's form."""
    context = _overview_context(team, start, unfold=FlagKind.DUAL_ROLE)
    shown = context["overview"].shows_dual_role_of(member.pk)
    context["attempt"] = AcknowledgementAttempt(member=member, form=form, shown=shown)
    if request.htmx:
        return render(request, "assignments/overview.html#flags", context)
    return render(request, "assignments/overview.html", context, status=400)


@login_required
@require_POST
def acknowledge_dual_role(request: HtmxHttpRequest, slug: str, member_id: int) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    member = get_object_or_404(TeamMember, pk=member_id, team=team)
    start = window_start(request.POST)
    form = AcknowledgeForm(request.POST)
    arguments = {"member": member, "acknowledged_by": request.user, "start": start, "weeks": OVERVIEW_WEEKS}
    if run_service(form, acknowledgement_create, **arguments) is None:
        return _refused(request, team, start, member, form)
    if request.htmx:
        context = _overview_context(team, start, unfold=FlagKind.DUAL_ROLE)
        return render(request, "assignments/overview.html#flags", context)
    messages.success(request, _("The dual role of %(name)s is acknowledged.") % {"name": member.full_name})
    return _back_to_flags(team, start)


@login_required
@require_POST
def withdraw_acknowledgement(request: HtmxHttpRequest, slug: str, member_id: int) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    member = get_object_or_404(TeamMember, pk=member_id, team=team)
    withdrawn = acknowledgement_withdraw(member=member, withdrawn_by=request.user)
    start = window_start(request.POST)
    if withdrawn:
        message = _("The acknowledgement for %(name)s is withdrawn.") % {"name": member.full_name}
    else:
        message = _("Nothing to withdraw: %(name)s has no standing acknowledgement.") % {"name": member.full_name}
    if request.htmx:
        # The panel changes in place, so only a stale click needs words: the page no longer matched.
        notice = "" if withdrawn else message
        context = _overview_context(team, start, unfold=FlagKind.DUAL_ROLE, flags_notice=notice)
        return render(request, "assignments/overview.html#flags", context)
    (messages.success if withdrawn else messages.info)(request, message)
    return _back_to_flags(team, start)
