"""The assignment rules on a plan's assignees, with the services' own checks and messages.

Every writer of assignments uses ``assignment_member_error`` (an active member
of the task's team) and ``assignment_share_error`` (the shares of active
members add up to 100 at most); the plan applies them to the state the import
leaves behind: a member active or not as the file says (as stored when the
file does not list them), a task archived or not as the file says.

Like the board, the import does not create or change an assignment of an
inactive member or of an archived task; it may keep one exactly as it is
stored (deactivating a member or archiving a task keeps their assignments on
record, and the export writes them), or remove it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from roles.models import TeamMember

from ..models import Task
from ..services import assignment_member_error, assignment_share_error
from .reader import Reader
from .rows import AssigneePlan, MemberPlan, Plan, TaskPlan
from .stored import StoredTeam


def check_assignees(reader: Reader, plan: Plan, stored: StoredTeam) -> None:
    members = members_after_import(plan, stored)
    for task in plan.tasks:
        stored_task = stored.task(task.title)
        for assignee in task.assignees:
            member = members.get(assignee.email)
            if member is not None and not stored.keeps_assignment(stored_task, member, assignee):
                _check_new_or_changed(reader, task, assignee, member)
        _check_shares(reader, task, members)


def members_after_import(plan: Plan, stored: StoredTeam) -> dict[str, TeamMember]:
    """Each member of the team by email, as the import leaves them (unsaved copies; stored pk kept).

    A member whose ``is_active`` is bad in the file is left out: no rule can say
    anything about them until the file is fixed.
    """
    members = dict(stored.members)
    for member_plan in plan.members:
        if member_plan.email and member_plan.is_active is not None:
            members[member_plan.email] = _member_after_import(member_plan, stored)
        elif member_plan.email:
            members.pop(member_plan.email, None)
    return members


def _member_after_import(member_plan: MemberPlan, stored: StoredTeam) -> TeamMember:
    current = stored.members.get(member_plan.email)
    return TeamMember(
        pk=current.pk if current else None,
        team_id=stored.team_id,
        email=member_plan.email,
        full_name=member_plan.full_name or member_plan.email,
        is_active=member_plan.is_active,
    )


def _check_new_or_changed(reader: Reader, task: TaskPlan, assignee: AssigneePlan, member: TeamMember) -> None:
    """What the services refuse for a new or changed assignment: an inactive member, an archived task."""
    member_error = assignment_member_error(task=Task(team_id=member.team_id), member=member)
    if member_error:
        reader.error(f"{assignee.path}.member", member_error)
    if task.is_active is False:
        reader.error(assignee.path, _("This task is archived."))


def _check_shares(reader: Reader, task: TaskPlan, members: dict[str, TeamMember]) -> None:
    """The active members' shares add up to 100 at most (an inactive member's share counts nowhere).

    The shares are added in the file's order; the first that passes 100 is
    reported at ``tasks[i].assignees`` with the services' message.
    """
    assigned = 0
    for assignee in task.assignees:
        member = members.get(assignee.email)
        if member is None or not member.is_active or assignee.share_percent is None:
            continue
        error = assignment_share_error(assigned_elsewhere=assigned, share_percent=assignee.share_percent)
        if error:
            reader.error(f"{task.path}.assignees", error)
            return
        assigned += assignee.share_percent
