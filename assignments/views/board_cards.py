"""The board's task cards with their forms: what ``templates/assignments/_task_card.html`` shows.

A card's forms are fresh, or the bound ones of a failed post (with their errors); the member
``<option>``s are rendered once per response and shared by every card.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from assignments.forms import AssignForm, ShareForm, TaskForm
from assignments.models import Assignment, Task
from assignments.selectors import Board, BoardTask, ColumnHead
from roles.models import Role, Team

# A failed post's forms by card: {task id: {"edit" | "assign" | "share-<assignment id>": bound form}}
BoundForms = dict[int, dict[str, forms.BaseForm]]


@dataclass
class AssigneeRow:
    assignment: Assignment
    share_form: ShareForm  # shown only for an active member; a failed post's errors are shown either way

    @property
    def counted(self) -> bool:
        """An inactive member's share counts nowhere: the card offers only removing them, no share to change."""
        return self.assignment.member.is_active


@dataclass
class BoardCard:
    task: Task
    assigned_share: int
    share_left: int
    assignees: list[AssigneeRow]
    assign_form: AssignForm
    edit_form: TaskForm
    member_options: SafeString  # the assign form's <option>s, the same string on every card of a response


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
    """Builds the cards of one response, sharing the member options and the role choices between them."""

    team: Team
    member_choices: list[tuple[int, str]]
    roles: list[Role]
    bound: BoundForms
    options: SafeString = field(init=False)

    def __post_init__(self):
        self.options = member_options(self.member_choices)

    def card(self, board_task: BoardTask) -> BoardCard:
        task = board_task.task
        bound = self.bound.get(task.pk, {})
        return BoardCard(
            task=task,
            assigned_share=board_task.assigned_share,
            share_left=board_task.share_left,
            assignees=[
                AssigneeRow(
                    assignment,
                    bound.get(f"share-{assignment.pk}")
                    or ShareForm(prefix=f"share-{assignment.pk}", initial={"share_percent": assignment.share_percent}),
                )
                for assignment in board_task.assignments
            ],
            assign_form=bound.get("assign")
            or AssignForm(
                team=self.team,
                member_choices=self.member_choices,
                prefix=f"assign-{task.pk}",
                initial={"share_percent": board_task.share_left or 100},
            ),
            edit_form=bound.get("edit")
            or TaskForm(team=self.team, roles=self.roles, instance=task, prefix=f"edit-{task.pk}"),
            member_options=self.options,
        )


def board_columns(board: Board, *, team: Team, bound: BoundForms) -> BoardColumns:
    maker = CardMaker(team=team, member_choices=board.loads.member_choices, roles=board.roles, bound=bound)
    return BoardColumns(
        operational=CardColumn(board.summary.operational, [maker.card(task) for task in board.operational]),
        strategic=CardColumn(board.summary.strategic, [maker.card(task) for task in board.strategic]),
    )
