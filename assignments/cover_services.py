"""Writes of covers (docs/rules.md, "Covers"). Each runs inside one transaction.

The rules a constraint cannot hold on every backend live here, once, and the
admin and the plan file call them too: the substitute is an active member of
the task's team and not the assignee, and two covers of one assignment never
overlap. Writers lock the task's row first (``task_lock``), as every write of
its assignments does, so two managers arranging cover for the same duty queue
and the second one sees the first one's cover.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from roles.models import TeamMember

from .models import Assignment, Cover, Task
from .services import task_lock


def cover_member_error(*, assignment: Assignment, member: TeamMember) -> str | None:
    """Who may cover: an active member of the task's team other than the assignee."""
    if member.pk == assignment.member_id:
        return _("%(member)s cannot cover their own duty.") % {"member": member}
    if member.team_id != assignment.member.team_id:
        return _("%(member)s is not in this task's team.") % {"member": member}
    if not member.is_active:
        return _("%(member)s is not an active team member.") % {"member": member}
    return None


def cover_overlap_error(
    *, covers: list[Cover], start_date: datetime.date, end_date: datetime.date, exclude_cover_id: int | None = None
) -> str | None:
    """Two covers of one assignment never overlap: the message naming the cover already there."""
    for other in covers:
        if other.pk != exclude_cover_id and other.start_date <= end_date and start_date <= other.end_date:
            return _("%(member)s already covers this duty from %(start)s to %(end)s.") % {
                "member": other.member,
                "start": date_format(other.start_date, "SHORT_DATE_FORMAT"),
                "end": date_format(other.end_date, "SHORT_DATE_FORMAT"),
            }
    return None


def _check_and_save(cover: Cover, task: Task, *, force_insert: bool = False) -> Cover:
    """With the task locked: every rule, then the write; a race the lock could not stop is a form error."""
    errors: dict[str, str] = {}
    if not task.is_active:
        errors["assignment"] = _("This task is archived.")
    member_error = cover_member_error(assignment=cover.assignment, member=cover.member)
    if member_error:
        errors["member"] = member_error
    try:
        cover.full_clean()
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if "start_date" not in errors and "end_date" not in errors:
        covers = list(Cover.objects.filter(assignment=cover.assignment_id).select_related("member"))
        overlap = cover_overlap_error(
            covers=covers, start_date=cover.start_date, end_date=cover.end_date, exclude_cover_id=cover.pk
        )
        if overlap:
            errors["start_date"] = overlap
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            cover.save(force_insert=force_insert)
    except IntegrityError as error:  # the database's own copy of the rules (migration 0005)
        raise ValidationError(_("This cover was changed meanwhile; please check it and try again.")) from error
    return cover


@transaction.atomic
def cover_create(
    *,
    assignment: Assignment,
    member: TeamMember,
    start_date: datetime.date,
    end_date: datetime.date,
    arranged_by: AbstractBaseUser | None = None,
    pk: int | None = None,
) -> Cover:
    """``pk``: restore a deleted cover with its own id (a revert)."""
    task = task_lock(task_id=assignment.task_id)
    current = Assignment.objects.select_related("member").filter(pk=assignment.pk).first()
    if current is None:
        raise ValidationError(_("This assignment was removed meanwhile."))
    cover = Cover(
        pk=pk, assignment=current, member=member, start_date=start_date, end_date=end_date, arranged_by=arranged_by
    )
    return _check_and_save(cover, task, force_insert=True)


@transaction.atomic
def cover_update(*, cover: Cover, member: TeamMember, start_date: datetime.date, end_date: datetime.date) -> Cover:
    task = task_lock(task_id=cover.assignment.task_id)
    current = Cover.objects.select_related("assignment__member").filter(pk=cover.pk).first()
    if current is None:
        raise ValidationError(_("This cover was removed meanwhile."))
    current.member, current.start_date, current.end_date = member, start_date, end_date
    return _check_and_save(current, task)


@transaction.atomic
def cover_delete(*, cover: Cover) -> None:
    # The task locked through the assignment as it is now: when the assignment went, its covers went with it.
    list(Task.objects.select_for_update(of=("self",)).filter(assignments=cover.assignment_id))
    Cover.objects.filter(pk=cover.pk).delete()  # already gone is fine: the result is the same
