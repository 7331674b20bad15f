"""What happens if I do this? docs/rules.md, "Preview".

A list of changes (assign, set_share, unassign) is checked in order under the same rules as real
writes (``assignment_member_error``, ``assignment_share_error``), then applied to the engine's rows
in memory and computed again: nothing is written, no transaction or savepoint is opened. The answer
lists the members whose figures change, week by week before and after, and the flags the changes
raise and clear.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from roles.models import Team, TeamMember

from .document import week_json
from .flags import Flag, team_flags
from .loads import TeamWorkload
from .models import Assignment, Task
from .services import assignment_member_error, assignment_share_error
from .workload import cyclic_gc_paused, read_team_window, workload_of

ACTIONS = ("assign", "set_share", "unassign")
IDENTITY_KEYS = ("kind", "member", "role", "task", "week", "date")


@dataclass(frozen=True)
class Change:
    action: str
    task_id: int
    email: str
    share_percent: int | None = None
    # An assignment's own dates (rule 3), for a change made in code: a hand-over keeps the old ones.
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None


class PreviewError(Exception):
    """The change list breaks a rule; ``errors`` are ``{"change": index, "field": ..., "message": ...}``."""

    def __init__(self, errors: list[dict[str, Any]]):
        super().__init__(errors)
        self.errors = errors


def _error(index: int | None, field: str, message: str) -> dict[str, Any]:
    return {"change": index, "field": field, "message": str(message)}


def parse_changes(document: Any) -> list[Change]:
    """The change list of a request body, or PreviewError naming each bad change and field."""
    raw = document.get("changes") if isinstance(document, dict) else None
    if not isinstance(raw, list) or not raw:
        raise PreviewError([_error(None, "changes", _("Send a non-empty list of changes."))])
    changes, errors = [], []
    for index, item in enumerate(raw):
        found = _parse_change(index, item, errors)
        if found is not None:
            changes.append(found)
    if errors:
        raise PreviewError(errors)
    return changes


def _parse_change(index: int, item: Any, errors: list) -> Change | None:
    if not isinstance(item, dict):
        errors.append(_error(index, "change", _("Must be an object.")))
        return None
    before = len(errors)
    action, task, member, share = (item.get(key) for key in ("action", "task", "member", "share_percent"))
    if action not in ACTIONS:
        errors.append(_error(index, "action", _("Must be assign, set_share or unassign.")))
    if not isinstance(task, int) or isinstance(task, bool) or not 1 <= task < 2**63:
        errors.append(_error(index, "task", _("Must be a task id (a whole number).")))
    if not isinstance(member, str) or not member.strip():
        errors.append(_error(index, "member", _("Must be a member's email.")))
    if action == "assign" and share is None:
        share = 100  # as a new assignment's default
    if action in ("assign", "set_share") and (
        not isinstance(share, int) or isinstance(share, bool) or not 1 <= share <= 100
    ):
        errors.append(_error(index, "share_percent", _("Must be a whole number from 1 to 100.")))
    if len(errors) > before:
        return None
    return Change(action, task, member.strip().lower(), share if action != "unassign" else None)


@dataclass
class _Plan:
    """The assignments of the changed tasks as the changes go: (task id, member id) -> (share, active)."""

    tasks: dict[int, Task]
    members: dict[str, TeamMember]
    shares: dict[tuple[int, int], tuple[int, bool]]

    def assigned_elsewhere(self, task_id: int, member_id: int) -> int:
        return sum(
            share
            for (task, member), (share, active) in self.shares.items()
            if task == task_id and member != member_id and active
        )


def _read_plan(team: Team, changes: list[Change]) -> _Plan:
    tasks = Task.objects.filter(team=team, pk__in={change.task_id for change in changes}).select_related("role")
    emails = {change.email for change in changes}
    found = TeamMember.objects.annotate(email_lower=Lower("email")).filter(team=team, email_lower__in=emails)
    members = {member.email_lower: member for member in found}
    rows = Assignment.objects.filter(task__in=tasks).values_list(
        "task_id", "member_id", "share_percent", "member__is_active"
    )
    return _Plan(
        {task.pk: task for task in tasks},
        members,
        {(task_id, member_id): (share, active) for task_id, member_id, share, active in rows},
    )


def check_changes(team: Team, changes: list[Change]) -> _Plan:
    """Apply the changes in order to the affected tasks' assignments, under the writes' rules."""
    plan, errors = _read_plan(team, changes), []
    for index, change in enumerate(changes):
        task, member = plan.tasks.get(change.task_id), plan.members.get(change.email)
        if task is None:
            errors.append(_error(index, "task", _("This team has no task with this id.")))
            continue
        if member is None:
            errors.append(_error(index, "member", _("This team has no member with this email.")))
            continue
        problem = _change_error(plan, change, task, member)
        if problem:
            errors.append(_error(index, *problem))
            continue
        key = (task.pk, member.pk)
        if change.action == "unassign":
            del plan.shares[key]
        else:
            plan.shares[key] = (change.share_percent, member.is_active)
    if errors:
        raise PreviewError(errors)
    return plan


def _change_error(plan: _Plan, change: Change, task: Task, member: TeamMember) -> tuple[str, str] | None:
    """(field, message) of the first rule the change breaks, as the real write would say it."""
    key = (task.pk, member.pk)
    if not task.is_active:
        return "task", _("This task is archived.")
    if change.action == "assign" and key in plan.shares:
        return "member", _("%(member)s is already assigned to this task.") % {"member": member}
    if change.action != "assign" and key not in plan.shares:
        return "member", _("%(member)s is not assigned to this task.") % {"member": member}
    if change.action == "unassign":
        return None
    member_error = assignment_member_error(task=task, member=member)
    if member_error:
        return "member", member_error
    share_error = assignment_share_error(
        assigned_elsewhere=plan.assigned_elsewhere(task.pk, member.pk), share_percent=change.share_percent
    )
    return ("share_percent", share_error) if share_error else None


@dataclass(frozen=True)
class Preview:
    before: TeamWorkload
    after: TeamWorkload
    flags_before: list[Flag]
    flags_after: list[Flag]

    def as_json(self) -> dict[str, Any]:
        before = {load.member.id: load for load in self.before.members}
        changed = []
        for load in sorted(self.after.members, key=lambda load: (load.member.name, load.member.email)):
            weeks = [
                {"week": after.week.isoformat(), "before": week_json(old), "after": week_json(after)}
                for old, after in zip(before[load.member.id].weeks, load.weeks, strict=True)
            ]
            if any(week["before"] != week["after"] for week in weeks):
                changed.append({"email": load.member.email, "name": load.member.name, "weeks": weeks})
        was = [flag.as_json() for flag in self.flags_before]
        now = [flag.as_json() for flag in self.flags_after]
        was_ids, now_ids = {identity(flag) for flag in was}, {identity(flag) for flag in now}
        return {
            "weeks": [week.isoformat() for week in self.after.weeks],
            "members": changed,
            "flags_raised": [flag for flag in now if identity(flag) not in was_ids],
            "flags_cleared": [flag for flag in was if identity(flag) not in now_ids],
        }


def identity(flag: dict[str, Any]) -> tuple:
    """A flag's identity: its kind with whichever of member, role, task, week and date it carries."""
    return tuple(flag.get(key) for key in IDENTITY_KEYS)


def preview(*, team: Team, start: datetime.date, weeks: int, changes: list[Change]) -> Preview:
    """The plan before and after ``changes``; PreviewError when one breaks a rule. Writes nothing."""
    plan = check_changes(team, changes)
    with cyclic_gc_paused():
        window = read_team_window(team=team, start=start, weeks=weeks)
        before = workload_of(window)
        assignments = {(row[0], row[1]): row for row in window.rows.assignments}
        for change in changes:
            key = (change.task_id, plan.members[change.email].pk)
            if change.action == "unassign":
                assignments.pop(key, None)
            elif key in assignments:
                assignments[key] = (*key, change.share_percent, *assignments[key][3:])
            else:
                assignments[key] = (*key, change.share_percent, change.start_date, change.end_date)
        after = workload_of(window.with_assignments(list(assignments.values())))
        return Preview(before, after, team_flags(before), team_flags(after))
