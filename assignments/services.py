"""Writes that enforce rules across rows. Each runs inside one transaction.

Two assignment rules cannot be database constraints: the member belongs to the
task's team, and the shares of one task add up to 100 at most. Every writer
(these services, the admin, the plan import) locks the task row with
``select_for_update`` before reading the shares, so two concurrent writers
queue on the lock and the second one sees the first one's share.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from roles.models import TeamMember

from .models import Assignment, DualRoleAcknowledgement, Task


def task_lock(*, task_id: int) -> Task:
    """Lock the task row until the surrounding transaction ends and return it fresh."""
    return Task.objects.select_for_update().get(pk=task_id)


def assignment_member_error(*, task: Task, member: TeamMember) -> str | None:
    """Who may be assigned: an active member of the task's own team (the rule every writer checks)."""
    if member.team_id != task.team_id:
        return _("%(member)s is not in this task's team.") % {"member": member}
    if not member.is_active:
        return _("%(member)s is not an active team member.") % {"member": member}
    return None


def assignment_share_error(*, assigned_elsewhere: int, share_percent: int) -> str | None:
    """A task's shares add up to 100 at most: the message when ``share_percent`` would pass it."""
    if assigned_elsewhere + share_percent <= 100:
        return None
    left = 100 - assigned_elsewhere
    if left <= 0:
        return _("This task is already fully assigned.")
    return _("Only %(left)s %% of this task is left to assign.") % {"left": left}


def assignment_rules_check(
    *,
    task: Task,
    member: TeamMember,
    share_percent: int,
    exclude_assignment_id: int | None = None,
) -> None:
    """Raise ValidationError (keyed by form field) if the assignment breaks a cross-row rule.

    Call it with the task locked (``task_lock``) so the share sum cannot move
    before the write.
    """
    errors: dict[str, str] = {}
    if not task.is_active:
        errors["task"] = _("This task is archived.")
    member_error = assignment_member_error(task=task, member=member)
    if member_error:
        errors["member"] = member_error
    others = task.assignments.filter(member__is_active=True)  # a share of someone who left counts nowhere
    if exclude_assignment_id is not None:
        others = others.exclude(pk=exclude_assignment_id)
    assigned = others.aggregate(total=Sum("share_percent"))["total"] or 0
    share_error = share_percent is not None and assignment_share_error(
        assigned_elsewhere=assigned, share_percent=share_percent
    )
    if share_error:
        errors["share_percent"] = share_error
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def assignment_create(
    *,
    task: Task,
    member: TeamMember,
    share_percent: int = 100,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    assigned_by: AbstractBaseUser | None = None,
) -> Assignment:
    task = task_lock(task_id=task.pk)
    if task.assignments.filter(member=member).exists():
        raise ValidationError({"member": _("%(member)s is already assigned to this task.") % {"member": member}})
    assignment_rules_check(task=task, member=member, share_percent=share_percent)
    assignment = Assignment(
        task=task,
        member=member,
        share_percent=share_percent,
        start_date=start_date,
        end_date=end_date,
        assigned_by=assigned_by,
    )
    assignment.full_clean(validate_unique=False)
    assignment.save()
    return assignment


def _locked_assignment(assignment: Assignment) -> tuple[Task, Assignment]:
    """The task locked, and the assignment as it is now: gone or archived meanwhile is an error, not a 500."""
    task = task_lock(task_id=assignment.task_id)
    current = Assignment.objects.select_related("member").filter(pk=assignment.pk).first()
    if current is None:
        raise ValidationError(_("This assignment was removed meanwhile."))
    if not task.is_active:
        raise ValidationError(_("This task is archived."))
    return task, current


@transaction.atomic
def assignment_update(
    *,
    assignment: Assignment,
    share_percent: int,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    assigned_by: AbstractBaseUser | None = None,
) -> Assignment:
    task, assignment = _locked_assignment(assignment)
    assignment_rules_check(
        task=task,
        member=assignment.member,
        share_percent=share_percent,
        exclude_assignment_id=assignment.pk,
    )
    assignment.share_percent = share_percent
    assignment.start_date = start_date
    assignment.end_date = end_date
    if assigned_by is not None:
        assignment.assigned_by = assigned_by
    assignment.full_clean(validate_unique=False)
    # update_fields: an UPDATE that finds no row fails instead of inserting the row again
    assignment.save(update_fields=["share_percent", "start_date", "end_date", "assigned_by", "updated_at"])
    return assignment


@transaction.atomic
def assignment_delete(*, assignment: Assignment) -> None:
    task_lock(task_id=assignment.task_id)
    Assignment.objects.filter(pk=assignment.pk).delete()  # already gone is fine: the result is the same


TASK_FIELDS = ("role", "title", "description", "channel", "cadence", "effort_hours", "start_date", "end_date")


def _task_save(task: Task) -> Task:
    """Validate against every model rule (constraints included) and save, or raise ValidationError.

    A concurrent writer can still take the title between the check and the
    write; the database refuses it and the caller gets the same message.
    """
    task.full_clean()
    try:
        with transaction.atomic():
            task.save()
    except IntegrityError as error:
        raise ValidationError({"title": _("This team already has a task with this title.")}) from error
    return task


@transaction.atomic
def task_create(*, team, **fields) -> Task:
    return _task_save(Task(team=team, **{name: fields[name] for name in TASK_FIELDS if name in fields}))


@transaction.atomic
def task_update(*, task: Task, **fields) -> Task:
    task = task_lock(task_id=task.pk)
    if not task.is_active:
        raise ValidationError(_("This task is archived."))
    for name in TASK_FIELDS:
        if name in fields:
            setattr(task, name, fields[name])
    return _task_save(task)


@transaction.atomic
def task_archive(*, task: Task) -> Task:
    """Archive (not delete): the task and its assignments stay on record but count nowhere."""
    task = task_lock(task_id=task.pk)
    task.is_active = False
    task.save(update_fields=["is_active"])
    return task


@transaction.atomic
def task_restore(*, task: Task) -> Task:
    """Bring an archived task back, with the assignments it had (their rules are checked again on each write)."""
    task = task_lock(task_id=task.pk)
    task.is_active = True
    task.save(update_fields=["is_active"])
    return task


@transaction.atomic
def acknowledgement_create(
    *, member: TeamMember, acknowledged_by, note: str = "", valid_until: datetime.date | None = None
) -> DualRoleAcknowledgement:
    acknowledgement = DualRoleAcknowledgement(
        member=member, acknowledged_by=acknowledged_by, note=note, valid_until=valid_until
    )
    acknowledgement.full_clean()
    acknowledgement.save()
    return acknowledgement


@transaction.atomic
def acknowledgement_withdraw(*, member: TeamMember, withdrawn_by) -> int:
    """Withdraw every standing acknowledgement of the member; returns how many."""
    return DualRoleAcknowledgement.objects.filter(member=member, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_by=withdrawn_by
    )
