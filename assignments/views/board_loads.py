"""The board's load panel, written out: the workload badges of the people on the cards shown.

docs/rules.md, "Pages" (the board). The panel lists the people the cards on the page concern, not the
whole team (the overview does, and the panel links to it), and only they are computed
(``selectors.board.team_loads``). After a write, the answer carries out of band the badges of the people
the write touched, and only they are computed: each replaces its own on the panel, or is added to it
when the assign request said the panel lacks it.

The badges' words are formatted here, once per response (the weeks are the same for every badge), not
per badge and week in the template: a panel of hundreds of people would otherwise run thousands of
translation and date tags.

Here too: the board's filter menus (``filter_selects``), and a page of the board as it is kept in the cache
(``board_page``): its cards' data, its load panel and its assignee rows written out, under the team's plan
revision (``plan_cache``), for the week of today, the language, the filters and the page. Only the CSRF
field is completed per request; a failed post's page is computed, not kept.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field, replace

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assignments import selectors
from assignments.calendars import monday_of
from assignments.formatting import band_name, hours_display
from assignments.forms import BoardFilterForm
from assignments.plan_cache import cached
from assignments.selectors import LoadsPanel
from assignments.selectors.bands import BandLegend
from assignments.selectors.board import team_loads
from assignments.workload_rows import MemberInfo
from roles.models import Role, Team

from .board_cards import BoardUrls, RowWords, _filter_query, assignees_html, member_options
from .common import HtmxHttpRequest, page_number


@dataclass
class BadgeWeek:
    """One week of a workload badge, written out: hours / capacity, the band in colour and in words."""

    title: str  # "Week of 30 Nov"
    label: str  # "Week of 30 Nov:", before the figures for a screen reader
    hours: str
    capacity: str
    band: str
    band_name: str


def _weeks_html(weeks: list[BadgeWeek]) -> SafeString:
    """The badge's weeks as ``_loads.html`` shows them, written here once per panel (the panel is kept under the
    plan revision with them): a panel of hundreds of people would otherwise run thousands of template nodes."""
    return mark_safe(
        "\n".join(
            f'<span class="load__week cell--{escape(week.band)}" title="{escape(week.title)}">'
            f'<span class="visually-hidden">{escape(week.label)} </span><span data-hours>{escape(week.hours)}</span>'
            f'/{escape(week.capacity)}<span class="visually-hidden"> {escape(week.band_name)}</span></span>'
            for week in weeks
        )
    )


@dataclass
class Badge:
    member: MemberInfo
    url: str  # their member page
    weeks: list[BadgeWeek]
    weeks_html: SafeString = field(init=False)

    def __post_init__(self):
        self.weeks_html = _weeks_html(self.weeks)

    @property
    def id(self) -> str:
        """The member's id as the badge's id and field write it (a number in a template is formatted)."""
        return str(self.member.id)


@dataclass
class BadgePanel:
    """The load panel as it is written: its badges (the weeks' words formatted once for all of them), its legend,
    and the badges written out (``html``, with the partial ``_loads.html#badge``) once for every request.

    Kept in the cache, a panel is its written form only: its ``badges`` are left out (thousands of small objects
    to read back on every request, where the page shows ``html``)."""

    badges: list[Badge]
    legend: BandLegend
    written: str = field(init=False)

    def __post_init__(self):
        self.written = "".join(render_to_string("assignments/_loads.html#badge", {"badge": b}) for b in self.badges)

    @property
    def html(self) -> SafeString:
        return mark_safe(self.written)

    def __getstate__(self):
        return {**self.__dict__, "badges": []}


class _Words(dict):
    """Words formatted once per panel: many badges share a week, a capacity, hours and a band."""

    def __init__(self, write):
        super().__init__()
        self.write = write

    def __missing__(self, value):
        self[value] = written = self.write(value)
        return written


def badge_panel(loads: LoadsPanel, team: Team) -> BadgePanel:
    urls = BoardUrls(team)
    weeks = _Words(
        lambda monday: (
            _("Week of %(day)s") % {"day": date_format(monday, "j M")},
            _("Week of %(day)s:") % {"day": date_format(monday, "j M")},
        )
    )
    hours, bands = _Words(hours_display), _Words(band_name)
    badges = [
        Badge(
            load.member,
            urls("member", load.member.id),
            [
                BadgeWeek(
                    *weeks[week.week],
                    hours[week.total_hours],
                    hours[week.capacity_hours],
                    week.band,
                    bands[week.band],
                )
                for week in load.weeks
            ],
        )
        for load in loads.members
    ]
    return BadgePanel(badges, loads.legend)


def touched_badges(request: HtmxHttpRequest, team: Team, member_ids: list[int]) -> list[tuple[Badge, bool]]:
    """After a write: the workload badges of the people it touched (only they are computed), each with whether
    the panel lacks it. The panel lists the people on the cards shown; the assign requests send their ids
    (the panel's ``loads`` fields), and a badge not among them is added. Otherwise a badge replaces its own."""
    if not member_ids:
        return []
    shown = set(request.POST.getlist("loads"))
    panel = badge_panel(team_loads(team=team, today=timezone.localdate(), member_ids=member_ids), team)
    return [(badge, "loads" in request.POST and str(badge.member.id) not in shown) for badge in panel.badges]


# ------------------------------------------------------------------ the filter menus


@dataclass
class FilterSelect:
    """One of the board's filter menus, its options written without the widget templates (a team of hundreds
    would render hundreds of option templates on every board)."""

    name: str
    label: str
    options: SafeString

    @property
    def id(self) -> str:
        return f"id_{self.name}"


def _options(choices, selected: str) -> SafeString:
    chosen = mark_safe(" selected")
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, chosen if str(value) == selected else "", label) for value, label in choices),
    )


def filter_selects(form: BoardFilterForm, *, roles: list[Role], members: list[tuple[int, str]]) -> list[FilterSelect]:
    """The menus of ``BoardFilterForm`` (its checkbox aside), with the roles and members the board has read."""
    fields = form.fields
    choices = {
        "focus": fields["focus"].choices,
        "role": [("", fields["role"].empty_label), *((role.pk, role.name) for role in roles)],
        "channel": fields["channel"].choices,
        "member": [("", fields["member"].empty_label), *members],
    }
    return [
        FilterSelect(name, fields[name].label, _options(options, str(form[name].value() or "")))
        for name, options in choices.items()
    ]


# ------------------------------------------------------------------ a page of the board, kept in the cache


PAGE_VERSION = 1  # raise it when the kept page's markup or shape changes (a shared cache outlives a deploy)


@dataclass
class BoardPage:
    """A page of the board, its load panel and its cards' assignee rows (written out, without the CSRF field).
    Kept in the cache without the cards' assignments (thousands of objects to read back): the rows are written."""

    board: selectors.Board
    panel: BadgePanel
    rows: dict[int, str]
    selects: list[FilterSelect]  # the filter menus, their choice made
    options: SafeString  # the assign forms' member <option>s

    def __getstate__(self):
        def bare(cards):
            return [replace(card, task=_unprefetched(card.task), assignments=[]) for card in cards]

        board = replace(self.board, operational=bare(self.board.operational), strategic=bare(self.board.strategic))
        return {**self.__dict__, "board": board}


def _digest(*parts) -> str:
    """The filters asked for, as a short key part (a query string's values may be long, or hold spaces)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _unprefetched(task):
    """A copy of ``task`` without its prefetched assignments."""
    task = copy.copy(task)
    task.__dict__.pop("_prefetched_objects_cache", None)
    return task


def board_page(team: Team, form: BoardFilterForm, filters: dict, page: str | None, *, keep: bool = True) -> BoardPage:
    """The page, kept under the team's plan revision (``plan_cache``) unless not ``keep`` (a failed post's form
    needs its card's assignments): it is the plan's only, for the week of today and the language of its words.
    ``form`` gives the filter menus their choice."""
    today, number = timezone.localdate(), page_number(page)
    query = tuple(sorted(_filter_query(filters).items()))
    # The menus show what was asked for, valid or not (an invalid filter is no filter): that is in the key too.
    chosen = tuple(str(form[name].value() or "") for name in ("focus", "role", "channel", "member"))

    def compute() -> BoardPage:
        board = selectors.team_board(team=team, filters=filters, today=today, page=number)
        words, urls = RowWords.of(None, filters, board.summary.pages.number), BoardUrls(team)
        rows = {card.task.pk: assignees_html(card, {}, urls, words) for card in (*board.operational, *board.strategic)}
        selects = filter_selects(form, roles=board.roles, members=board.members)
        panel = badge_panel(board.loads, team)
        return BoardPage(replace(board, loads=None), panel, rows, selects, member_options(board.members))

    monday = monday_of(today)
    return (
        cached(team, ("board", PAGE_VERSION, monday, get_language(), _digest(query, chosen), number), compute)
        if keep
        else compute()
    )
