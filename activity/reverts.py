"""Revert one entry of the plan's history: undo what it did through the same services as any write.

Decisions:

- A revert is a write like any other: it calls the services, so it obeys today's rules (a deleted
  60 % assignment does not come back when only 50 % of its task is left) and is refused with the
  service's own message; it runs in one transaction and is recorded in a change set of its own,
  whose ``reverts`` names the entry ("assignment-12").
- A creation is undone by deleting the row, except a task's: tasks are archived on the pages, never
  deleted (their assignments stay on record), so a created task is archived.
- A change is undone field by field: only the fields that entry changed get their earlier values;
  the others keep their current ones, so reverting an older change keeps the later changes.
  Bookkeeping is not compared (created/updated times, who assigned or arranged it); a reverted
  assignment change is assigned by the one who reverts, as any share edit is by its editor.
- A deletion is undone by creating the row again with its own id, so its history continues and the
  rows deleted with it (an assignment's covers) can be restored after it.
- A revert that would write nothing is refused (the row is gone, already back, or already has the
  earlier values), so every revert in the history changed something.
- RACI goes through its own service, ``raci_set``, like the RACI page: a task's Accountable set back, a
  task restored with its Accountable, a consulted or informed person taken off, put back, or given their
  earlier kind. So the RACI rules hold (an inactive member, or one now in another team, is refused with
  the rule's message; a person holds one letter of A, C and I on a task: someone now accountable is not
  put back as consulted). ``raci_set`` writes an involvement put back as a new row (a new id): nothing
  hangs from an involvement, so nothing needs its old id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assignments.cover_services import cover_create, cover_delete, cover_update
from assignments.models import Assignment, Cover, Task, TaskInvolvement
from assignments.raci import ACCOUNTABLE, LETTER_OF_KIND, NONE, involvement_error, raci_set
from assignments.services import (
    TASK_FIELDS,
    assignment_create,
    assignment_delete,
    assignment_update,
    task_archive,
    task_create,
    task_lock,
    task_restore,
    task_update,
)
from roles.models import RoleHolding, Team, TimeOff
from roles.services import (
    role_holding_create,
    role_holding_delete,
    role_holding_update,
    time_off_create,
    time_off_delete,
    time_off_update,
)

from .models import BOOKKEEPING, MACHINE_FIELDS, ChangeSet
from .recording import Recorder, recording

# Not the plan itself: who wrote a row and when. A revert neither compares nor sets these back.
NOT_REVERTED = MACHINE_FIELDS | BOOKKEEPING


@dataclass(frozen=True)
class _Kind:
    """How one object type is reverted: its model, its services, and what they can set back."""

    model: type[models.Model]
    gone: str  # lazy: the message when the object is no longer there
    back: str  # lazy: the message when a deleted object is there again
    create: Callable[..., object]  # called with pk= and the record's ``create_fields``
    create_fields: tuple[str, ...]
    update: Callable[[models.Model, dict, object], object]  # (the object now, the values to set, the user)
    updatable: tuple[str, ...]  # the fields ``update`` sets; a change of another field cannot be reverted
    delete: Callable[[models.Model], object]


def _assignment_update(assignment: Assignment, values: dict, user) -> None:
    assignment_update(assignment=assignment, assigned_by=user, **values)


def _task_recreate(*, pk: int, is_active: bool, accountable, **fields) -> None:
    task = task_create(pk=pk, **fields)
    if accountable is not None:
        _set_accountable(task, accountable)
    if not is_active:
        task_archive(task=task)


def _task_update(task: Task, values: dict, user) -> None:
    """Restore first (``task_update`` and ``raci_set`` refuse an archived task), archive last."""
    fields = {name: values[name] for name in TASK_FIELDS}
    if values["is_active"] and not task.is_active:
        task = task_restore(task=task)
    if any(getattr(task, name) != value for name, value in fields.items()):
        task = task_update(task=task, **fields)
    if _pk(values["accountable"]) != task.accountable_id:
        task = _set_accountable(task, values["accountable"])
    if not values["is_active"] and task.is_active:
        task_archive(task=task)


def _pk(row: models.Model | None) -> int | None:
    return None if row is None else row.pk


def _set_accountable(task: Task, member) -> Task:
    """Through RACI's rules: an inactive member, or one now in another team, is refused with the rule."""
    if member is None:  # taking the letter away from whoever holds it now
        return raci_set(task=task, member=task.accountable, letter=NONE)
    return raci_set(task=task, member=member, letter=ACCOUNTABLE)


def _involvement_recreate(*, pk: int, task: Task, member, kind: str) -> None:
    """Consult or inform the person again, unless they are (they hold A now: one letter each, refused)."""
    task = task_lock(task_id=task.pk)
    now = TaskInvolvement.objects.filter(task=task, member=member).first()
    if now is not None and now.kind == kind:
        raise ValidationError(str(_KINDS["involvement"].back))
    error = involvement_error(task=task, member=member)
    if error:
        raise ValidationError(error)
    raci_set(task=task, member=member, letter=LETTER_OF_KIND[kind])


def _involvement_update(involvement: TaskInvolvement, values: dict, user) -> None:
    raci_set(task=involvement.task, member=involvement.member, letter=LETTER_OF_KIND[values["kind"]])


def _task_archive(task: Task) -> None:
    if not task.is_active:
        raise ValidationError(_("This task is archived."))
    task_archive(task=task)


_KINDS: dict[str, _Kind] = {
    "assignment": _Kind(
        model=Assignment,
        gone=gettext_lazy("This assignment no longer exists."),
        back=gettext_lazy("This assignment is already back."),
        create=assignment_create,
        create_fields=("task", "member", "share_percent", "start_date", "end_date", "assigned_by"),
        update=_assignment_update,
        updatable=("share_percent", "start_date", "end_date"),
        delete=lambda assignment: assignment_delete(assignment=assignment),
    ),
    "task": _Kind(
        model=Task,
        gone=gettext_lazy("This task no longer exists."),
        back=gettext_lazy("This task is already back."),
        create=_task_recreate,
        create_fields=("team", *TASK_FIELDS, "is_active", "accountable"),
        update=_task_update,
        updatable=(*TASK_FIELDS, "is_active", "accountable"),
        delete=_task_archive,
    ),
    "holding": _Kind(
        model=RoleHolding,
        gone=gettext_lazy("This role holding no longer exists."),
        back=gettext_lazy("This role holding is already back."),
        create=role_holding_create,
        create_fields=("member", "role", "start_date", "end_date"),
        update=lambda holding, values, user: role_holding_update(holding=holding, **values),
        updatable=("start_date", "end_date"),
        delete=lambda holding: role_holding_delete(holding=holding),
    ),
    "time_off": _Kind(
        model=TimeOff,
        gone=gettext_lazy("This time off no longer exists."),
        back=gettext_lazy("This time off is already back."),
        create=time_off_create,
        create_fields=("member", "start_date", "end_date", "reason"),
        update=lambda time_off, values, user: time_off_update(time_off=time_off, **values),
        updatable=("start_date", "end_date", "reason"),
        delete=lambda time_off: time_off_delete(time_off=time_off),
    ),
    "cover": _Kind(
        model=Cover,
        gone=gettext_lazy("This cover no longer exists."),
        back=gettext_lazy("This cover is already back."),
        create=cover_create,
        create_fields=("assignment", "member", "start_date", "end_date", "arranged_by"),
        update=lambda cover, values, user: cover_update(cover=cover, **values),
        updatable=("member", "start_date", "end_date"),
        delete=lambda cover: cover_delete(cover=cover),
    ),
    "involvement": _Kind(
        model=TaskInvolvement,
        gone=gettext_lazy("This person is no longer consulted on or informed of this task."),
        back=gettext_lazy("This person is already consulted on or informed of this task."),
        create=_involvement_recreate,
        create_fields=("task", "member", "kind"),
        update=_involvement_update,
        updatable=("kind",),
        delete=lambda involvement: raci_set(task=involvement.task, member=involvement.member, letter=NONE),
    ),
}

# The object types whose entries can be reverted -> their model.
REVERTIBLE: dict[str, type[models.Model]] = {object_type: kind.model for object_type, kind in _KINDS.items()}


def revertible(object_type: str) -> bool:
    """May entries of this object type be reverted at all? (Whether one can be, only a revert finds out:
    a change whose earlier values are pruned, or that a rule refuses today, is refused with why.)"""
    return object_type in REVERTIBLE


def revert_entry(*, team: Team, object_type: str, history_id: int, user) -> ChangeSet | None:
    """Undo one entry of ``team``'s history as ``user``; returns the revert's own change set.

    LookupError: no such entry of that type in this team (another team's entry is not found).
    ValidationError: the revert would break a rule today, or there is nothing left to revert.
    """
    kind = _KINDS.get(object_type)
    record = None
    if kind is not None:
        record = kind.model.history.filter(history_id=history_id, change_set__team_id=team.pk).first()
    if record is None or not _still_of(team, kind, record):
        raise LookupError(f"No revertible {object_type} entry {history_id} in team {team.pk}.")
    revert = {"+": _revert_creation, "~": _revert_change, "-": _revert_deletion}[record.history_type]
    key = f"{object_type}-{history_id}"
    with recording(user.get_username(), user=user, reverts=key) as recorder, transaction.atomic():
        try:
            revert(kind, record, user)
        except kind.model.DoesNotExist as error:  # removed while the services waited for their lock
            raise ValidationError(str(kind.gone)) from error
        return recorder.written(team.pk)


def _still_of(team: Team, kind: _Kind, record) -> bool:
    """Is the row (or, for a deleted one, the parents it would come back under) still the team's? The admin
    can move a task or a person to another team: their old entries are then no longer this team's to revert."""
    current = kind.model._default_manager.filter(pk=record.id).first()
    owner = Recorder(actor="").team_id(current or record.instance)
    return owner in (team.pk, None)  # None: a parent is gone, and the revert says so


def _revert_creation(kind: _Kind, record, user) -> None:
    kind.delete(_current(kind, record.id))


def _revert_deletion(kind: _Kind, record, user) -> None:
    if kind.model._default_manager.filter(pk=record.id).exists():
        raise ValidationError(str(kind.back))
    kind.create(pk=record.id, **_values(kind.model, record, kind.create_fields))


def _revert_change(kind: _Kind, record, user) -> None:
    previous = kind.model.history.filter(id=record.id, history_id__lt=record.history_id).order_by("-history_id").first()
    if previous is None:
        raise ValidationError(_("The earlier values of this change are no longer kept."))
    changed = [
        field
        for field in kind.model._meta.concrete_fields
        if not field.primary_key
        and field.name not in NOT_REVERTED
        and getattr(record, field.attname) != getattr(previous, field.attname)
    ]
    fixed = [str(field.verbose_name) for field in changed if field.name not in kind.updatable]
    if fixed:
        raise ValidationError(
            _("This change cannot be reverted here: it changed the %(fields)s.") % {"fields": ", ".join(fixed)}
        )
    current = _current(kind, record.id)
    if all(getattr(current, field.attname) == getattr(previous, field.attname) for field in changed):
        raise ValidationError(_("Nothing to revert: the earlier values are already in place."))
    values = {name: getattr(current, name) for name in kind.updatable}
    values.update(_values(kind.model, previous, [field.name for field in changed], required=True))
    kind.update(current, values, user)


def _current(kind: _Kind, pk: int) -> models.Model:
    current = kind.model._default_manager.filter(pk=pk).first()
    if current is None:
        raise ValidationError(str(kind.gone))
    return current


def _values(model: type[models.Model], record, names, *, required: bool = False) -> dict:
    """The record's values of ``names``, each related row fetched as it is now (the services take rows).

    A required one that is gone refuses the revert; an optional one (who assigned it, a restored task's
    Accountable) is left empty, unless ``required``: a change set back to someone gone cannot be.
    """
    values = {}
    for name in names:
        field = model._meta.get_field(name)
        value = getattr(record, field.attname)
        if field.is_relation and value is not None:
            value = field.related_model._default_manager.filter(pk=value).first()
            if value is None and (required or not field.null):
                raise ValidationError(
                    _("This cannot be reverted: its %(parent)s no longer exists.") % {"parent": field.verbose_name}
                )
        values[name] = value
    return values
