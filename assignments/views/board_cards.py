"""The board's task cards (what ``templates/assignments/_task_cards.html`` shows), the filter menus, and where
the board's forms send their answer (the board's query string: its filters and page).

A card renders only what is unfolded: its assignees with their shares, and "Assign someone" while part
of the task is left to assign. The folded forms (editing and archiving; assigning on a fully assigned
task) are not rendered with the board: opening them fetches them (``task_edit_form``; the suggestions),
which keeps a board of many cards light. A failed post's bound form is the exception: its card shows it
open, with the errors beside the fields.

Rendering is most of what a board costs, so a card comes with what is dear to compute in a template
already done once per response: the member ``<option>``s (rendered only if a card shows the assign
form, and shared by every card), its URLs (each URL name reversed once, ``BoardUrls``), its dates, and
the share inputs and the filter menus written without widget templates.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from assignments import selectors
from assignments.formatting import day_text
from assignments.forms import AssignForm, BoardFilterForm, ShareForm, TaskForm
from assignments.models import Assignment, Task
from assignments.selectors import Board, BoardTask, ColumnHead
from assignments.selectors.board import member_choices
from roles.models import Team

from .common import HtmxHttpRequest, page_number

# A failed post's forms by card: {task id: {"edit" | "assign" | "share-<assignment id>": bound form}}
BoundForms = dict[int, dict[str, forms.BaseForm]]
SENTINEL = 987654321987  # an id no URL holds otherwise: where a reversed URL takes the id


class BoardUrls:
    """The board's URLs for any id: each name reversed once per response (with ``SENTINEL`` for the id), then
    completed per card. A board of many cards would otherwise reverse half a dozen URLs per card."""

    def __init__(self, team: Team):
        self.slug = team.slug
        self.parts: dict[str, tuple[str, str]] = {}

    def __call__(self, name: str, pk: int) -> str:
        if name not in self.parts:
            slug = [] if name == "member" else [self.slug]
            view = name if ":" in name else f"assignments:{name}"
            before, _sentinel, after = reverse(view, args=[*slug, SENTINEL]).partition(str(SENTINEL))
            self.parts[name] = (before, after)
        before, after = self.parts[name]
        return f"{before}{pk}{after}"


# ------------------------------------------------------------------ where the cards' forms send the answer
# Every form on the board posts with the board's query string (the filters and the page), so the answer
# comes back to the board the manager was looking at.


@dataclass
class BoardState:
    """The board a request looks at: its filters (the valid ones) and its page, from the query string."""

    form: BoardFilterForm
    filters: dict
    page: str | None


def _board_state(request: HtmxHttpRequest, team: Team) -> BoardState:
    form = BoardFilterForm(request.GET, team=team)
    return BoardState(form, form.cleaned_data if form.is_valid() else {}, request.GET.get("page"))


def _filter_query(filters: dict) -> dict[str, str]:
    """The query parameters that give ``filters`` back: a chosen row by its id, a ticked box as "on"."""
    query = {}
    for name, value in filters.items():
        if value in (None, "", False):
            continue
        query[name] = "on" if value is True else str(getattr(value, "pk", value))
    return query


def board_url(team: Team, filters: dict | None = None, page: int | None = None, task_id: int | None = None) -> str:
    """The board under ``filters``, at ``page``, scrolled to the card of ``task_id``."""
    query = _filter_query(filters or {}) | ({"page": str(page)} if page else {})
    url = reverse("assignments:team_board", args=[team.slug])
    return f"{url}{'?' + urlencode(query) if query else ''}{f'#task-{task_id}' if task_id else ''}"


def task_url(team: Team, task_id: int, filters: dict | None = None) -> str:
    """The page of the board that shows the card of ``task_id`` (under ``filters`` if it still matches them)."""
    place = selectors.board_place(team=team, task_id=task_id, filters=filters or {})
    if place is None:  # archived or gone meanwhile: the board itself
        return board_url(team, filters)
    return board_url(team, place.filters, place.page, task_id)


def _board_params(filters: dict, page: str | int | None) -> dict[str, str]:
    """The query parameters the board's forms post with, so the answer returns to this board and page."""
    return _filter_query(filters) | {"page": str(page_number(page))}


def _board_query(filters: dict, page: str | int | None) -> str:
    return "?" + urlencode(_board_params(filters, page))


def _board_fields(filters: dict, page: str | int | None) -> SafeString:
    """The same, as hidden fields of a GET form (the cards' "Remove"), rendered once for every card."""
    return format_html_join("", '<input type="hidden" name="{}" value="{}">', _board_params(filters, page).items())


# ------------------------------------------------------------------ the cards


@dataclass
class RowWords:
    """What every assignee row of a response shares: the forms' CSRF field and board query, the fixed words."""

    csrf_input: str  # the hidden CSRF field, escaped
    board_query: str  # "?page=1&...", escaped for an attribute
    board_fields: str  # the board's query as hidden fields
    save: str = field(default_factory=lambda: escape(_("Save")))
    not_counted: str = field(default_factory=lambda: escape(_("inactive: not counted")))
    remove: str = field(default_factory=lambda: escape(_("Remove")))

    @classmethod
    def of(cls, csrf_token: str | None, filters: dict, page: str | int | None) -> RowWords:
        """None: the CSRF field is marked (``CSRF_SLOT``), for rows kept in the cache and completed per request."""
        csrf = CSRF_SLOT if csrf_token is None else csrf_field(csrf_token)
        return cls(csrf, escape(_board_query(filters, page)), _board_fields(filters, page))


CSRF_SLOT = "\x00csrf\x00"  # in rows written once for every request: where each request's CSRF field goes


def csrf_field(csrf_token: str) -> str:
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'


def assignees_html(board_task: BoardTask, bound: dict[str, forms.BaseForm], urls: BoardUrls, words: RowWords) -> str:
    """A card's assignee rows (empty when nobody is assigned)."""
    task = board_task.task
    return "".join(
        _row_html(assignment, bound.get(f"share-{assignment.pk}"), task, urls, words)
        for assignment in board_task.assignments
    )


@dataclass
class AssigneeRow:
    """An assignee on a card. The card's rows are written by ``assignees_html``, not by a template: a board of
    many assignees would otherwise run a dozen template nodes per row."""

    assignment: Assignment
    share_form: ShareForm | None  # a failed post's form (its errors, the value entered); None: the saved share

    @property
    def counted(self) -> bool:
        """An inactive member's share counts nowhere: the card offers only removing them, no share to change."""
        return self.assignment.member.is_active


def _share_value(assignment: Assignment, form: ShareForm | None) -> str:
    """The saved share, or the value a failed post entered."""
    if form is None:
        return str(assignment.share_percent)
    value = form["share_percent"].value()
    return "" if value is None else str(value)


def _row_html(assignment: Assignment, form: ShareForm | None, task: Task, urls: BoardUrls, words: RowWords) -> str:
    """The row as ``_task_cards.html`` showed it: the share's form (counted members), "Remove", a failed post's errors.
    The share field's name is ``ShareForm``'s with the prefix ``share-<assignment id>``."""
    name, query, pk = escape(assignment.member.full_name), words.board_query, assignment.pk
    share_url, remove_url, field_id = (
        urls("assignment_share", pk),
        urls("assignment_remove", pk),
        f"share-{pk}-share_percent",
    )
    if assignment.member.is_active:
        label = escape(_("Share of %(name)s (%%)") % {"name": assignment.member.full_name})
        middle = (
            f'<form method="post" action="{share_url}{query}" hx-post="{share_url}{query}" novalidate>'
            f"{words.csrf_input}"
            f'<label class="visually-hidden" for="id_{field_id}">{label}</label>'
            f'<input type="number" name="{field_id}" value="{escape(_share_value(assignment, form))}" min="1" max="100"'
            f' required id="id_{field_id}"> %'
            f' <button type="submit" class="button--quiet button--small">{words.save}</button></form>'
        )
    else:
        middle = f'<span class="tag tag--inactive">{words.not_counted}</span>'
    names = {"name": assignment.member.full_name, "task": task.title}
    question, remove_label = escape(_("Remove %(name)s from “%(task)s”?") % names), escape(_("Remove %(name)s") % names)
    errors = [*form["share_percent"].errors, *form.non_field_errors()] if form is not None else []
    listed = "".join(f"<li>{escape(error)}</li>" for error in errors)
    errors_html = f'<ul class="errorlist assignee__errors">{listed}</ul>' if listed else ""
    return (
        f'<li class="assignee{"" if assignment.member.is_active else " assignee--inactive"}">'
        f'<a class="assignee__name" href="{urls("member", assignment.member_id)}">{name}</a> {middle} '
        f'<form method="get" action="{remove_url}" hx-post="{remove_url}{query}" hx-confirm="{question}">'
        f'{words.board_fields}<button type="submit" class="button--danger button--small" aria-label="{remove_label}">'
        f"{words.remove}</button></form>"
        f"{errors_html}</li>"
    )


@dataclass
class BoardCard:
    task: Task
    assigned_share: int
    share_left: int
    assignees: list[AssigneeRow]
    assignees_html: SafeString  # their rows
    assign_form: AssignForm | None  # None: "Assign someone" is folded (the task is fully assigned)
    edit_form: TaskForm | None  # a failed post's form, shown open; None: the form loads when opened
    member_options: SafeString  # the assign form's <option>s, the same string on every card of a response
    pk: str  # the task's id, as the ids and targets of the card write it
    bar: str  # the share bar's modifiers: "partial w-50", "full w-100"
    dates: str  # "3 Nov 2026 – 5 Dec 2026", or the start alone
    share_text: str  # "50 % assigned"
    effort_text: str  # "2.00 h"
    urls: dict[str, str]  # the card's own: suggestions, assign, preview, edit_form, recent (without the board's query)


@dataclass
class CardColumn:
    head: ColumnHead  # the column's count over every page, and which of its tasks this page shows
    cards: list[BoardCard]


@dataclass
class BoardColumns:
    operational: CardColumn
    strategic: CardColumn

    def __iter__(self):
        return iter((self.operational, self.strategic))


def member_options(member_choices: list[tuple[int, str]]) -> SafeString:
    """The member <option>s, rendered once per response and shared by every card: a team of
    hundreds would otherwise render hundreds of options per card through the widget templates."""
    return format_html_join("", '<option value="{}">{}</option>', member_choices)


@dataclass
class CardMaker:
    """Builds the cards of one response, sharing the member options between them (read only if a card needs them)."""

    team: Team
    bound: BoundForms
    words: RowWords  # the assignee rows' shared parts
    members: list[tuple[int, str]] | None = None  # the team's active members, when already read
    rows: dict[int, str] = field(default_factory=dict)  # the cards' assignee rows kept in the cache, by task id
    kept_options: SafeString | None = None  # the member options kept in the cache
    days: dict[datetime.date, str] = field(default_factory=dict, init=False, repr=False)

    @cached_property
    def urls(self) -> BoardUrls:
        return BoardUrls(self.team)

    def day(self, date: datetime.date) -> str:
        """A date as the cards write it, formatted once per response (many tasks share their dates)."""
        if date not in self.days:
            self.days[date] = day_text(date)
        return self.days[date]

    @cached_property
    def choices(self) -> list[tuple[int, str]]:
        return member_choices(self.team) if self.members is None else self.members

    @cached_property
    def options(self) -> SafeString:
        return member_options(self.choices) if self.kept_options is None else self.kept_options

    def _assign_form(self, board_task: BoardTask, bound: dict[str, forms.BaseForm]) -> AssignForm | None:
        """The card's assign form: a failed post's, or a fresh one while part of the task is left; else None."""
        if "assign" in bound:
            return bound["assign"]
        if not board_task.share_left:
            return None
        return AssignForm(
            team=self.team,
            member_choices=self.choices,
            prefix=f"assign-{board_task.task.pk}",
            initial={"share_percent": board_task.share_left},
        )

    def _assignees_html(self, board_task: BoardTask, bound: dict[str, forms.BaseForm]) -> SafeString:
        """The rows kept for the page (``rows``, their CSRF field completed), or written now (a failed post's form)."""
        kept = None if bound else self.rows.get(board_task.task.pk)
        if kept is None:
            return mark_safe(assignees_html(board_task, bound, self.urls, self.words))
        return mark_safe(kept.replace(CSRF_SLOT, self.words.csrf_input))

    def card(self, board_task: BoardTask) -> BoardCard:
        task = board_task.task
        bound = self.bound.get(task.pk, {})
        assign_form = self._assign_form(board_task, bound)
        names = {"suggestions": "task_suggestions", "edit_form": "task_edit_form", "recent": "activity:task_recent"}
        if assign_form is not None:
            names |= {"assign": "assign", "preview": "assign_preview"}
        return BoardCard(
            task=task,
            assigned_share=board_task.assigned_share,
            share_left=board_task.share_left,
            assignees=[AssigneeRow(row, bound.get(f"share-{row.pk}")) for row in board_task.assignments],
            assignees_html=self._assignees_html(board_task, bound),
            assign_form=assign_form,
            edit_form=bound.get("edit"),
            member_options=self.options if assign_form is not None and not assign_form.is_bound else SafeString(""),
            pk=str(task.pk),
            bar=f"{'partial' if board_task.assigned_share < 100 else 'full'} w-{board_task.assigned_share}",
            dates=" – ".join(self.day(date) for date in (task.start_date, task.end_date) if date),
            share_text=_("%(share)s %% assigned") % {"share": board_task.assigned_share},
            effort_text=_("%(hours)s h") % {"hours": localize(task.effort_hours)},
            urls={key: self.urls(name, task.pk) for key, name in names.items()},
        )


def board_columns(board: Board, maker: CardMaker) -> BoardColumns:
    return BoardColumns(
        operational=CardColumn(board.summary.operational, [maker.card(task) for task in board.operational]),
        strategic=CardColumn(board.summary.strategic, [maker.card(task) for task in board.strategic]),
    )
