"""Behind the flags that need a person: who could take the work.

docs/rules.md, "Suggestions" and "Preview". Each flag's "fix it" link lands on one of these pages
(``views/fix.py``), in the overview's window (its first week and six weeks):

- ``task_fix``: a task not fully assigned, and who should take the rest (``task_suggestions``);
- ``hand_over``: a person over capacity (all their tasks in the window, most hours first) or with
  their strategy squeezed (their operational tasks), each task with the best three to take it over
  at the same share (``TeamSuggester``: one engine run for all of them);
- ``role_fixes``: a role nobody holds, and who could hold it (``role_candidates``).

A duty on someone's day off (``duty_uncovered``) leads to "Arrange cover" (``selectors.covers``).

The preview of a change on these pages is the board's (``selectors.assign_preview``: ``assignment_preview``
and ``move_preview``, in this window).

Every page runs a fixed number of queries whatever the team's size.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Q

from assignments.flags import FlagKind
from assignments.loads import MemberWorkload
from assignments.models import Assignment, Task
from assignments.report import team_report
from assignments.suggestions import Candidate, Suggestions, share_left, task_suggestions
from assignments.takeover import RoleCandidate, TeamSuggester, role_candidates
from assignments.workload_rows import RoleInfo
from roles.models import Role, Team, TeamMember

from .overview import OVERVIEW_WEEKS

FIX_WEEKS = OVERVIEW_WEEKS  # the overview's window: the links carry its first week
HAND_OVER_CANDIDATES = 3  # the best this many for each task a person could hand over


# ------------------------------------------------------------------ a task not fully assigned


@dataclass(frozen=True)
class TaskFix:
    task: Task  # its role selected
    assignees: list[Assignment]  # their members selected, by name
    share_left: int  # what nobody active holds (100 when nothing is left: a manager may be replacing someone)
    suggestions: Suggestions


def task_fix(*, task: Task, start: datetime.date, share_percent: int | None = None, weeks: int = FIX_WEEKS) -> TaskFix:
    """Who should take ``share_percent`` of ``task`` (default: the share left), best first."""
    left = share_left(task)
    assignees = list(task.assignments.select_related("member").order_by("member__full_name", "member__email"))
    return TaskFix(
        task=task,
        assignees=assignees,
        share_left=left,
        suggestions=task_suggestions(task=task, start=start, weeks=weeks, share_percent=share_percent or left),
    )


# ------------------------------------------------------------------ a person with too much, or too little strategy


@dataclass(frozen=True)
class HandOverTask:
    assignment: Assignment  # its task and role selected
    hours: Fraction  # what it gives the person over the window
    candidates: list[Candidate]  # the best HAND_OVER_CANDIDATES to take it at the same share


@dataclass(frozen=True)
class HandOver:
    member: TeamMember
    operational_only: bool  # strategy squeezed: only their operational tasks
    weeks: list[datetime.date]
    load: MemberWorkload | None  # None: an inactive member, whose work counts nowhere
    tasks: list[HandOverTask]  # most hours first, then title


def hand_over(
    *, team: Team, member: TeamMember, start: datetime.date, operational_only: bool, weeks: int = FIX_WEEKS
) -> HandOver:
    """The member's tasks in the window (only the operational ones for a squeezed strategy), each with the
    best to take it over at their share; one engine run for all of them."""
    suggester = TeamSuggester.read(team=team, start=start, weeks=weeks)
    first, last = suggester.workload.start, suggester.workload.end
    assignments = (
        Assignment.objects.filter(member=member, task__team=team, task__is_active=True, task__start_date__lte=last)
        .filter(Q(task__end_date__isnull=True) | Q(task__end_date__gte=first))
        .select_related("task__role")
    )
    if operational_only:
        assignments = assignments.filter(task__role__focus=Role.Focus.OPERATIONAL)
    rows = []
    for assignment in assignments:
        if not suggester.has_task(assignment.task_id):  # created between the queries
            continue
        hours = suggester.assignment_hours(
            task_id=assignment.task_id,
            member_id=member.pk,
            share_percent=assignment.share_percent,
            start_date=assignment.start_date,
            end_date=assignment.end_date,
        )
        best = suggester.candidates(
            task_id=assignment.task_id,
            share_percent=assignment.share_percent,
            dates=(assignment.start_date, assignment.end_date),
        )
        rows.append(HandOverTask(assignment, hours, best[:HAND_OVER_CANDIDATES]))
    rows.sort(key=lambda row: (-row.hours, row.assignment.task.title))
    return HandOver(member, operational_only, suggester.workload.weeks, suggester.member_load(member.pk), rows)


# ------------------------------------------------------------------ a role nobody holds


@dataclass(frozen=True)
class RoleFix:
    role: Role
    uncovered: bool  # raised role_uncovered in the window (else a manager asked for a role somebody holds)
    candidates: list[RoleCandidate]


def role_fixes(*, team: Team, start: datetime.date, role: Role | None = None, weeks: int = FIX_WEEKS) -> list[RoleFix]:
    """Who could hold ``role``; without one, each role nobody holds in the window (its flags), in the flags' order."""
    report = team_report(team=team, start=start, weeks=weeks)
    uncovered = [flag.role.id for flag in report.flags if flag.kind == FlagKind.ROLE_UNCOVERED]
    roles = (
        [role]
        if role is not None
        else sorted(Role.objects.filter(pk__in=uncovered), key=lambda r: uncovered.index(r.pk))
    )
    return [
        RoleFix(
            role=found,
            uncovered=found.pk in uncovered,
            candidates=role_candidates(
                workload=report.workload, role=RoleInfo(found.pk, found.slug, found.name, found.focus)
            ),
        )
        for found in roles
    ]
