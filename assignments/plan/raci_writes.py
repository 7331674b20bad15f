"""Writing a task's Consulted and Informed as the file lists them (its Accountable is a field of the task).

An involvement is matched by member: one stored alike is left untouched, so importing the same file again
writes nothing; one whose kind the file changes is updated in place (the row is the member's one letter on the
task); the ones the file no longer lists are deleted. The rules were checked on the whole file before
(``raci``), on the state the import leaves behind, as for assignments; the import's transaction holds the
task's lock already.
"""

from __future__ import annotations

from roles.models import TeamMember

from ..models import Task, TaskInvolvement
from .result import ImportResult
from .rows import TaskPlan


def write_involvements(result: ImportResult, task: Task, task_plan: TaskPlan, members: dict[str, TeamMember]) -> None:
    """Make the task's Consulted and Informed match ``task_plan``, counting what changed."""
    kinds = ((TaskInvolvement.Kind.CONSULTED, task_plan.consulted), (TaskInvolvement.Kind.INFORMED, task_plan.informed))
    wanted = {members[person.email]: kind for kind, people in kinds for person in people}
    current = {involvement.member_id: involvement for involvement in task.involvements.all()}
    kept = {member.pk for member in wanted}
    gone = [involvement.pk for member_id, involvement in current.items() if member_id not in kept]
    if gone:
        deleted = TaskInvolvement.objects.filter(pk__in=gone).delete()[1]
        result.changes["involvement deleted"] += deleted.get(TaskInvolvement._meta.label, 0)
    for member, kind in wanted.items():
        involvement = current.get(member.pk)
        if involvement is None:
            TaskInvolvement.objects.create(task=task, member=member, kind=kind)
            result.changes["involvement created"] += 1
        elif involvement.kind != kind:
            involvement.kind = kind
            involvement.save(update_fields=["kind"])
            result.changes["involvement updated"] += 1
