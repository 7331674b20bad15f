"""RACI's writes (docs/rules.md, "RACI"): who answers for a task, who is consulted, who is informed.

The Responsible are a task's assignees, written by the assignment services with their hours. The other
three letters are written here, each in one transaction with the task row locked (``task_lock``), like
every writer of a task's people. A member holds at most one of A, C and I on a task (a project decision:
the RACI page's cell), and only an active member of the task's own team may be given one, the rule
``assignment_member_error`` holds for assignments; taking a letter away is always allowed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from roles.models import Team, TeamMember

from .models import Task, TaskInvolvement
from .services import assignment_member_error, task_lock

ACCOUNTABLE, CONSULTED, INFORMED, NONE = "A", "C", "I", ""
LETTERS = (ACCOUNTABLE, CONSULTED, INFORMED, NONE)
KIND_OF_LETTER = {CONSULTED: TaskInvolvement.Kind.CONSULTED, INFORMED: TaskInvolvement.Kind.INFORMED}
LETTER_OF_KIND = {kind: letter for letter, kind in KIND_OF_LETTER.items()}


def raci_member_error(*, task: Task, member: TeamMember) -> str | None:
    """Who may be named Accountable, Consulted or Informed: who may be assigned (an active team member)."""
    return assignment_member_error(task=task, member=member)


def involvement_error(*, task: Task, member: TeamMember) -> str | None:
    """Who may be consulted on or informed of a task, where a writer names them apart from its Accountable
    (the admin, the plan file): who may have a letter, and not the task's Accountable (one letter each)."""
    if member.pk == task.accountable_id:
        return _("%(member)s is accountable for this task: a person has one letter of A, C and I.") % {"member": member}
    return raci_member_error(task=task, member=member)


@transaction.atomic
def raci_set(*, task: Task, member: TeamMember, letter: str) -> Task:
    """Give ``member`` the letter ``letter`` on ``task`` (A, C, I, or "" for none), replacing the letter they
    had; an A given to someone else takes it from the task's previous Accountable. Returns the task as
    written. Raises ValidationError (keyed "letter" or "member") and writes nothing when refused."""
    if letter not in LETTERS:
        raise ValidationError({"letter": _("Choose A, C, I or none.")})
    task = task_lock(task_id=task.pk)
    if letter != NONE:
        if not task.is_active:
            raise ValidationError({"letter": _("This task is archived.")})
        error = raci_member_error(task=task, member=member)
        if error:
            raise ValidationError({"member": error})
    accountable_id = task.accountable_id
    if letter == ACCOUNTABLE:
        accountable_id = member.pk
    elif accountable_id == member.pk:
        accountable_id = None
    if task.accountable_id != accountable_id:
        task.accountable_id = accountable_id
        task.save(update_fields=["accountable"])
    _set_involvement(task, member, KIND_OF_LETTER.get(letter))
    return task


def _set_involvement(task: Task, member: TeamMember, kind: str | None) -> None:
    involvement = TaskInvolvement.objects.filter(task=task, member=member).first()
    if kind is None:
        if involvement is not None:
            involvement.delete()
    elif involvement is None:
        TaskInvolvement.objects.create(task=task, member=member, kind=kind)
    elif involvement.kind != kind:
        involvement.kind = kind
        involvement.save(update_fields=["kind"])


@transaction.atomic
def raci_switch(*, team: Team, enabled: bool) -> Team:
    """Switch the team's RACI on or off (on: tasks with no active Accountable are flagged)."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    if team.raci_enabled != enabled:
        team.raci_enabled = enabled
        team.save(update_fields=["raci_enabled"])
    return team
