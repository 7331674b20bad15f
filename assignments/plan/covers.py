"""The cover rules on a plan's covers, with the cover services' own check and messages.

Every writer of covers uses ``cover_member_error`` (the substitute is an active
member of the task's team and not the assignee); the plan applies it to the
state the import leaves behind, as it does the assignment rules (``assignees``):
members active or not as the file says, the task archived or not as the file
says. Whether the substitute is in the team at all is a reference check
(``references``); whether two covers of one assignee overlap is the file's own
(``parse``); the writer runs every rule of the services again on each cover it
creates (``cover_writes``).

Like the services, the import does not create a cover of an archived task or
for an inactive substitute; it may keep one exactly as it is stored (archiving
a task or deactivating a member keeps the covers on record, and the export
writes them), or remove it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from roles.models import TeamMember

from ..cover_services import cover_member_error
from ..models import Assignment
from .assignees import members_after_import
from .reader import Reader
from .rows import CoverPlan, Plan, TaskPlan
from .stored import StoredTeam


def check_covers(reader: Reader, plan: Plan, stored: StoredTeam) -> None:
    """Report what the services refuse in the file's new covers (a cover stored alike is kept as it is)."""
    members = with_stand_in_ids(members_after_import(plan, stored))
    for task in plan.tasks:
        stored_task = stored.task(task.title)
        for assignee in task.assignees:
            owner = members.get(assignee.email)
            if owner is None:  # an assignee not in the team: a stand-in without an id is nobody else
                owner = TeamMember(team_id=stored.team_id)
            for cover in assignee.covers:
                substitute = members.get(cover.email)
                if substitute is not None and not stored.keeps_cover(stored_task, assignee.email, cover):
                    _check_new(reader, task, cover, owner, substitute)


def with_stand_in_ids(members: dict[str, TeamMember]) -> dict[str, TeamMember]:
    """``members``, each member the import would create given a stand-in id (below 0, never saved).

    The services tell the assignee and the substitute apart by id; two new
    members of the file both have none, and would look like one person.
    """
    for number, member in enumerate(members.values(), start=1):
        if member.pk is None:  # a fresh unsaved copy (members_after_import): never a stored row
            member.pk = -number
    return members


def _check_new(reader: Reader, task: TaskPlan, cover: CoverPlan, owner: TeamMember, substitute: TeamMember) -> None:
    """What the services refuse for a new cover: the assignee themself, an inactive member, an archived task."""
    member_error = cover_member_error(assignment=Assignment(member=owner), member=substitute)
    if member_error:
        reader.error(f"{cover.path}.member", member_error)
    if task.is_active is False:
        reader.error(cover.path, _("This task is archived."))
