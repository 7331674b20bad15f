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
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from roles.models import TeamMember
from roles.services import member_lock

from .flags import FlagKind
from .models import Assignment, DualRoleAcknowledgement, Task
from .report import team_report


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
    others = task.assignments.all()
    if exclude_assignment_id is not None:
        others = others.exclude(pk=exclude_assignment_id)
    assigned = others.share_total()
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
    pk: int | None = None,
) -> Assignment:
    """``pk``: restore a deleted assignment with its own id (a revert), so its history and covers follow it."""
    task = task_lock(task_id=task.pk)
    if task.assignments.filter(member=member).exists():
        raise ValidationError({"member": _("%(member)s is already assigned to this task.") % {"member": member}})
    assignment_rules_check(task=task, member=member, share_percent=share_percent)
    assignment = Assignment(
        pk=pk,
        task=task,
        member=member,
        share_percent=share_percent,
        start_date=start_date,
        end_date=end_date,
        assigned_by=assigned_by,
    )
    assignment.full_clean(validate_unique=False)
    assignment.save(force_insert=True)  # with a pk, never an UPDATE of a row already there
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


def _task_save(task: Task, *, force_insert: bool = False) -> Task:
    """Validate against every model rule (constraints included) and save, or raise ValidationError.

    A concurrent writer can still take the title between the check and the
    write; the database refuses it and the caller gets the same message.
    """
    task.full_clean()
    try:
        with transaction.atomic():
            task.save(force_insert=force_insert)
    except IntegrityError as error:
        raise ValidationError({"title": _("This team already has a task with this title.")}) from error
    return task


@transaction.atomic
def task_create(*, team, pk: int | None = None, **fields) -> Task:
    """``pk``: restore a deleted task with its own id (a revert)."""
    task = Task(pk=pk, team=team, **{name: fields[name] for name in TASK_FIELDS if name in fields})
    return _task_save(task, force_insert=True)


@transaction.atomic
def task_update(*, task: Task, **fields) -> Task:
    task = task_lock(task_id=task.pk)
    if not task.is_active:
        raise ValidationError(_("This task is archived."))
    for name in TASK_FIELDS:
        if name in fields:
            setattr(task, name, fields[name])
    return _task_save(task)


def _task_set_active(task: Task, is_active: bool) -> Task:
    task = task_lock(task_id=task.pk)
    task.is_active = is_active
    task.save(update_fields=["is_active"])
    return task


@transaction.atomic
def task_archive(*, task: Task) -> Task:
    """Archive (not delete): the task and its assignments stay on record but count nowhere."""
    return _task_set_active(task, False)


@transaction.atomic
def task_restore(*, task: Task) -> Task:
    """Bring an archived task back, with the assignments it had (their rules are checked again on each write)."""
    return _task_set_active(task, True)


ACKNOWLEDGEMENT_NOTE_MAX_LENGTH = 500


@transaction.atomic
def acknowledgement_create(
    *,
    member: TeamMember,
    acknowledged_by,
    start: datetime.date,
    weeks: int,
    note: str = "",
    valid_until: datetime.date | None = None,
) -> DualRoleAcknowledgement:
    """Record that ``member``'s dual role is intended, for the ``weeks`` weeks from the week of ``start``.

    The window is the one the manager was looking at (the overview passes the weeks it shows): an
    acknowledgement answers a flag, so the member must be flagged ``dual_role`` over that window.
    Refused (a ValidationError, on ``note`` or ``valid_until`` when it is about them): an inactive
    member; a note over ``ACKNOWLEDGEMENT_NOTE_MAX_LENGTH`` characters; no dual role in the window;
    one already acknowledged for the window (one standing acknowledgement per person: withdraw it
    to change the note or the date); a ``valid_until`` before today, or before the window's last
    day (it would not count for the weeks shown, docs/rules.md decision 3, and the flag would stay
    unacknowledged).

    A standing acknowledgement that runs out inside the window (the flag asks for a renewal) is
    withdrawn by the new one, in the same transaction and in the same manager's name: the new one
    lasts longer, so nothing loses cover, and one stands at a time. The member's row is locked
    first, so two managers acknowledging the same person queue and the second one is refused.
    """
    member = member_lock(member_id=member.pk)
    if not member.is_active:
        raise ValidationError(
            _("%(name)s is no longer active: there is nothing to acknowledge.") % {"name": member.full_name}
        )
    acknowledgement = DualRoleAcknowledgement(
        member=member, acknowledged_by=acknowledged_by, note=note, valid_until=valid_until
    )
    acknowledgement.full_clean()
    try:  # the model's TextField has no limit; the rule holds for every writer, not only the form
        MaxLengthValidator(ACKNOWLEDGEMENT_NOTE_MAX_LENGTH)(note)
    except ValidationError as error:
        raise ValidationError({"note": error.messages}) from error
    report = team_report(team=member.team, start=start, weeks=weeks)
    _acknowledgement_window_check(member, report.flags_of(member.pk), valid_until, report.workload.weeks[-1])
    today = timezone.localdate()
    _withdraw(
        DualRoleAcknowledgement.objects.filter(member=member, withdrawn_at__isnull=True).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        ),
        acknowledged_by,
    )
    acknowledgement.save()
    return acknowledgement


def _acknowledgement_window_check(member: TeamMember, flags: list, valid_until, last_monday: datetime.date) -> None:
    """The rules of ``acknowledgement_create`` that need the window's flags and its last day."""
    dual_role = next((flag for flag in flags if flag.kind == FlagKind.DUAL_ROLE), None)
    if dual_role is None:
        raise ValidationError(
            _(
                "%(name)s does not cover both operational and strategic roles in these weeks: "
                "there is nothing to acknowledge."
            )
            % {"name": member.full_name}
        )
    if dual_role.acknowledged:
        raise ValidationError(
            _(
                "The dual role of %(name)s is already acknowledged for these weeks. "
                "Withdraw the acknowledgement first to change its note or date."
            )
            % {"name": member.full_name}
        )
    last_day = last_monday + datetime.timedelta(days=6)
    if valid_until is not None and valid_until < timezone.localdate():
        raise ValidationError({"valid_until": _("This date is in the past.")})
    if valid_until is not None and valid_until < last_day:
        raise ValidationError(
            {
                "valid_until": _("Must be %(date)s or later (the last day of the weeks shown), or left empty.")
                % {"date": date_format(last_day, "j M Y")}
            }
        )


@transaction.atomic
def acknowledgement_withdraw(*, member: TeamMember, withdrawn_by) -> int:
    """Withdraw every standing (not yet withdrawn) acknowledgement of the member; returns how many.

    0 means nothing stood (a stale page, or a second click): the caller says so instead of
    reporting a withdrawal. The member's row is locked first, as in ``acknowledgement_create``.
    """
    member_lock(member_id=member.pk)
    return _withdraw(DualRoleAcknowledgement.objects.filter(member=member, withdrawn_at__isnull=True), withdrawn_by)


def _withdraw(acknowledgements, withdrawn_by) -> int:
    """Withdraw each one with its own save (a person has one or two), so the history records each."""
    now, count = timezone.now(), 0
    for acknowledgement in acknowledgements:
        acknowledgement.withdrawn_at, acknowledgement.withdrawn_by = now, withdrawn_by
        acknowledgement.save(update_fields=["withdrawn_at", "withdrawn_by"])
        count += 1
    return count
