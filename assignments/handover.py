"""Handing a task over: one person's assignment becomes another's, in one transaction.

Two writes that must happen together (take the task off one person, give it to another), so they are
one service here, not two clicks on the board. It goes through the same rules as every write
(``assignment_create``: an active member of the task's team, not already on it, the task's shares up
to 100), with the task row locked first, and when the new assignment is refused the old one stays:
nothing changes.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from roles.models import TeamMember

from .models import Assignment
from .services import assignment_create, task_lock


@transaction.atomic
def assignment_hand_over(
    *, assignment: Assignment, to_member: TeamMember, assigned_by: AbstractBaseUser | None = None
) -> Assignment:
    """Move ``assignment`` to ``to_member`` at the same share and dates; the new assignment, or ValidationError.

    Errors are keyed ``to_member`` (who takes it) or ``share_percent``, or not keyed (the assignment was
    removed meanwhile, the task archived). The share of someone no longer active counts nowhere (the
    100 % rule), so moving such a share onto an active member can be refused when the task is full.
    """
    task = task_lock(task_id=assignment.task_id)
    current = Assignment.objects.filter(pk=assignment.pk).first()
    if current is None:
        raise ValidationError(_("This assignment was removed meanwhile."))
    if not task.is_active:
        raise ValidationError(_("This task is archived."))
    if current.member_id == to_member.pk:
        raise ValidationError({"to_member": _("%(member)s is already assigned to this task.") % {"member": to_member}})
    current.delete()
    try:
        return assignment_create(
            task=task,
            member=to_member,
            share_percent=current.share_percent,
            start_date=current.start_date,
            end_date=current.end_date,
            assigned_by=assigned_by,
        )
    except ValidationError as error:  # leaving raises: the atomic block puts the old assignment back
        messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        raise ValidationError(
            {("to_member" if field == "member" else field) or "__all__": found for field, found in messages.items()}
        ) from error
