"""What the database already holds for the file's team, read once for the checks and matched as the writer matches."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from roles.models import Team, TeamMember

from ..models import Assignment, Cover, Task, TaskInvolvement
from .rows import AssigneePlan, CoverPlan, task_title_key


def index_tasks(tasks: Iterable[Task]) -> dict[str, list[Task]]:
    """Tasks by ``task_title_key``, for ``match_task``."""
    index: dict[str, list[Task]] = {}
    for task in tasks:
        index.setdefault(task_title_key(task.title), []).append(task)
    return index


def match_task(index: dict[str, list[Task]], title: str | None) -> Task | None:
    """The stored task the file's ``title`` names: the same title ignoring case and invisible characters.

    Should two stored titles differ only in a way the database still tells apart
    (SQLite lower-cases ASCII only), the one spelled exactly like the file wins.
    """
    matches = index.get(task_title_key(title), []) if title else []
    return next((task for task in matches if task.title == title), matches[0] if matches else None)


@dataclass
class StoredTeam:
    team: Team | None = None
    members: dict[str, TeamMember] = field(default_factory=dict)  # by email in lower case
    tasks_by_key: dict[str, list[Task]] = field(default_factory=dict)  # by task_title_key, in pk order
    assignments: dict[tuple[int, int], Assignment] = field(default_factory=dict)  # by (task pk, member pk)
    # by (task pk, assignee pk): each cover as (substitute pk, start date, end date)
    covers: dict[tuple[int, int], set[tuple[int, datetime.date, datetime.date]]] = field(default_factory=dict)
    involvements: dict[tuple[int, int], str] = field(default_factory=dict)  # kind by (task pk, member pk)

    @classmethod
    def load(cls, slug: str | None) -> StoredTeam:
        team = Team.objects.filter(slug=slug).first() if slug else None
        if team is None:
            return cls()
        stored = cls(team=team, members={member.email.lower(): member for member in team.members.all()})
        stored.tasks_by_key = index_tasks(team.tasks.order_by("pk"))
        for assignment in Assignment.objects.filter(task__team=team):
            stored.assignments[(assignment.task_id, assignment.member_id)] = assignment
        covers = Cover.objects.filter(assignment__task__team=team).values_list(
            "assignment__task_id", "assignment__member_id", "member_id", "start_date", "end_date"
        )
        for task_id, assignee_id, *cover in covers:
            stored.covers.setdefault((task_id, assignee_id), set()).add(tuple(cover))
        involvements = TaskInvolvement.objects.filter(task__team=team).values_list("task_id", "member_id", "kind")
        stored.involvements = {(task_id, member_id): kind for task_id, member_id, kind in involvements}
        return stored

    @property
    def team_id(self) -> int | None:
        return self.team.pk if self.team else None

    def task(self, title: str | None) -> Task | None:
        return match_task(self.tasks_by_key, title)

    def keeps_assignment(self, task: Task | None, member: TeamMember | None, assignee: AssigneePlan) -> bool:
        """Whether the file lists an assignment exactly as it is stored (same member, share and dates)."""
        if task is None or member is None or member.pk is None:
            return False
        stored = self.assignments.get((task.pk, member.pk))
        return stored is not None and (stored.share_percent, stored.start_date, stored.end_date) == (
            assignee.share_percent,
            assignee.start_date,
            assignee.end_date,
        )

    def keeps_cover(self, task: Task | None, assignee_email: str | None, cover: CoverPlan) -> bool:
        """Whether the file lists a cover exactly as it is stored (same assignment, substitute and dates)."""
        assignee, substitute = self.members.get(assignee_email), self.members.get(cover.email)
        if task is None or assignee is None or substitute is None:
            return False
        return (substitute.pk, cover.start_date, cover.end_date) in self.covers.get((task.pk, assignee.pk), ())

    def keeps_letter(self, task: Task | None, member: TeamMember, kind: str | None) -> bool:
        """Whether ``member`` holds the same RACI letter on the stored ``task`` as the file gives them:
        Accountable (``kind`` None) or the involvement ``kind`` (consulted, informed)."""
        if task is None or member.pk is None:
            return False
        if kind is None:
            return task.accountable_id == member.pk
        return self.involvements.get((task.pk, member.pk)) == kind
