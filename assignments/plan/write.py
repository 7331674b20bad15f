"""Writing a parsed plan in one transaction, one function per section, counting what changed.

Rows are matched as the file format says (docs/rules.md, section "Plan file"),
and a row is saved only when a value differs, so importing the same file again
writes nothing. For what the file names, the file is the truth: the rows it no
longer lists (responsibilities, holdings, time off, assignments, covers, a task's
Consulted and Informed) are deleted. Covers are written by ``cover_writes``,
through the cover services; Consulted and Informed by ``raci_writes``.

Like every writer of assignments, the import locks the task rows it writes
(``task_lock``) before reading or changing their assignments: all of them
first, in the order of their ids, so that two imports cannot deadlock.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _

from roles.models import Responsibility, Role, RoleHolding, Team, TeamMember, TimeOff

from ..models import Assignment, Task
from ..services import task_lock
from .cover_writes import CoverWriter
from .parse import parse_plan
from .raci_writes import write_involvements
from .reader import FILE_PATH, PlanError, one_line
from .result import ImportResult
from .rows import MemberPlan, Plan, RolePlan, TaskPlan
from .stored import index_tasks, match_task


def plan_import(*, document: Any, dry_run: bool = False, update_shared_roles: bool = False) -> ImportResult:
    """Validate ``document`` (parsed JSON) and write it all, or raise PlanError and write nothing.

    ``dry_run``: write it in a transaction that is rolled back, so the result
    counts exactly what a real import would change. ``update_shared_roles``:
    allow changing roles that other teams use too.
    """
    plan = parse_plan(document, update_shared_roles=update_shared_roles)
    try:
        with transaction.atomic():
            result = write_plan(plan)
            if dry_run:
                transaction.set_rollback(True)
    except DatabaseError as error:  # a concurrent writer got there first
        message = _("the database refused the plan: %(error)s") % {"error": " ".join(str(error).split())}
        raise PlanError([one_line(f"{FILE_PATH}: {message}")]) from error
    result.dry_run = dry_run
    return result


def write_plan(plan: Plan) -> ImportResult:
    """Write a parsed plan; call it inside a transaction (a PlanError from it must roll it back)."""
    result = ImportResult(team=plan.team_slug)
    # A file without raci_enabled leaves the team's setting as it is (a new team: off, the model's default).
    raci = {} if plan.raci_enabled is None else {"raci_enabled": plan.raci_enabled}
    stored_team = Team.objects.filter(slug=plan.team_slug).first()
    # The task rows first, the team row after, as every other writer takes them (no lock-order deadlock).
    returning = _returning_members(stored_team, plan) if stored_team else {}
    tasks = _lock_tasks(stored_team, plan, returning) if stored_team else {}
    team = _upsert(
        result, "team", Team, {"slug": plan.team_slug}, {"name": plan.team_name} | raci, existing=stored_team
    )
    roles: dict[str, Role] = {role.slug: role for role in Role.objects.all()}
    for position, role_plan in enumerate(plan.roles):
        roles[role_plan.slug] = _write_role(result, role_plan, position, existing=roles.get(role_plan.slug))
    members = {member.email.lower(): member for member in TeamMember.objects.filter(team=team)}
    for member_plan in plan.members:
        existing = members.get(member_plan.email)
        comes_back = existing is not None and existing.pk in returning
        members[member_plan.email] = _write_member(result, team, member_plan, roles, existing, comes_back)
    covers = CoverWriter(team, result)
    for task_plan in plan.tasks:
        existing = match_task(tasks, task_plan.title)
        _write_task(result, team, task_plan, roles, members, existing=existing, covers=covers)
    _bring_back(returning, members)
    covers.create_pending()  # last: a returning substitute is active by now
    return result


def _returning_members(team: Team, plan: Plan) -> dict[int, MemberPlan]:
    """By stored id, the file's members who are stored inactive and come back (``is_active`` true in the file)."""
    inactive = {email.lower(): pk for pk, email in team.members.filter(is_active=False).values_list("pk", "email")}
    return {inactive[member.email]: member for member in plan.members if member.is_active and member.email in inactive}


def _lock_tasks(team: Team, plan: Plan, returning: dict[int, MemberPlan]) -> dict[str, list[Task]]:
    """Lock the stored tasks the import writes or a returning member is assigned to; index them fresh."""
    stored = index_tasks(team.tasks.order_by("pk"))
    task_ids = {task.pk for task in (match_task(stored, task_plan.title) for task_plan in plan.tasks) if task}
    task_ids |= set(Assignment.objects.filter(member_id__in=returning).values_list("task_id", flat=True))
    return index_tasks(task_lock(task_id=task_id) for task_id in sorted(task_ids))


def _upsert(result: ImportResult, kind: str, model, lookup: dict, values: dict, existing):
    """Create the row (``existing`` is None) or update only the fields that differ, counting what happened."""
    instance = existing
    if instance is None:
        instance = model.objects.create(**lookup, **values)
        result.changes[f"{kind} created"] += 1
        return instance
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.save(update_fields=changed + (["updated_at"] if hasattr(instance, "updated_at") else []))
        result.changes[f"{kind} updated"] += 1
    return instance


def _delete_rest(result: ImportResult, kind: str, queryset: models.QuerySet) -> dict[str, int]:
    """Delete ``queryset``, counting its rows; the counts per model, the rows deleted with them included."""
    counts = queryset.delete()[1]
    deleted = counts.get(queryset.model._meta.label, 0)
    if deleted:
        result.changes[f"{kind} deleted"] += deleted
    return counts


def _write_role(result: ImportResult, role_plan: RolePlan, position: int, existing: Role | None) -> Role:
    """The role at its catalog ``position``, with exactly the file's responsibilities in the file's order."""
    role = _upsert(
        result,
        "role",
        Role,
        {"slug": role_plan.slug},
        {"name": role_plan.name, "focus": role_plan.focus, "summary": role_plan.summary, "position": position},
        existing=existing,
    )
    current = {item.title: item for item in role.responsibilities.all()}
    for r_position, title in enumerate(role_plan.responsibilities):
        _upsert(
            result,
            "responsibility",
            Responsibility,
            {"role": role, "title": title},
            {"position": r_position},
            existing=current.get(title),
        )
    _delete_rest(result, "responsibility", role.responsibilities.exclude(title__in=role_plan.responsibilities))
    return role


def _write_member(
    result: ImportResult,
    team: Team,
    member_plan: MemberPlan,
    roles: dict[str, Role],
    existing: TeamMember | None,
    returning: bool,
) -> TeamMember:
    """The member (a stored email keeps its case), with exactly the file's holdings and time off.

    A returning member stays inactive until ``_bring_back``, which checks their
    return against the tasks as the import leaves them; it is counted here.
    """
    counted = result.changes["member updated"]
    member = _upsert(
        result,
        "member",
        TeamMember,
        {"email": existing.email if existing else member_plan.email},
        {
            "team": team,
            "full_name": member_plan.full_name,
            "job_title": member_plan.job_title,
            "weekly_capacity_hours": member_plan.weekly_capacity_hours,
            "is_active": False if returning else member_plan.is_active,
        },
        existing=existing,
    )
    if returning and result.changes["member updated"] == counted:
        result.changes["member updated"] += 1
    _write_holdings(result, member, member_plan, roles)
    _write_time_off(result, member, member_plan)
    return member


def _bring_back(returning: dict[int, MemberPlan], members: dict[str, TeamMember]) -> None:
    """Make the returning members active, if the model allows it with the tasks as written; else PlanError.

    ``TeamMember.clean()`` refuses a return that would put a task past 100 %
    (their tasks may have been handed over meanwhile); checked here, after the
    tasks are written, it judges the shares the import leaves, not the old ones.
    """
    errors = []
    for member_plan in returning.values():
        member = members[member_plan.email]
        member.is_active = True
        try:
            member.clean()
        except ValidationError as error:
            errors += [
                one_line(f"{member_plan.path}.{name}: {' '.join(messages)}")
                for name, messages in error.message_dict.items()
            ]
            continue
        member.save(update_fields=["is_active"])
    if errors:
        raise PlanError(errors)


def _write_holdings(result: ImportResult, member: TeamMember, member_plan: MemberPlan, roles: dict[str, Role]) -> None:
    """Holdings are matched by role and start date."""
    holdings = {(h.role_id, h.start_date): h for h in member.role_holdings.all()}
    keep = []
    for holding_plan in member_plan.holdings:
        role = roles[holding_plan.role_slug]
        holding = _upsert(
            result,
            "role holding",
            RoleHolding,
            {"member": member, "role": role, "start_date": holding_plan.start_date},
            {"end_date": holding_plan.end_date},
            existing=holdings.get((role.pk, holding_plan.start_date)),
        )
        keep.append(holding.pk)
    _delete_rest(result, "role holding", member.role_holdings.exclude(pk__in=keep))


def _write_time_off(result: ImportResult, member: TeamMember, member_plan: MemberPlan) -> None:
    """Time off is matched by its two dates."""
    days_off = {(t.start_date, t.end_date): t for t in member.time_off.all()}
    keep = []
    for off_plan in member_plan.time_off:
        off = _upsert(
            result,
            "time off",
            TimeOff,
            {"member": member, "start_date": off_plan.start_date, "end_date": off_plan.end_date},
            {"reason": off_plan.reason},
            existing=days_off.pop((off_plan.start_date, off_plan.end_date), None),
        )
        keep.append(off.pk)
    _delete_rest(result, "time off", member.time_off.exclude(pk__in=keep))


def _write_task(
    result: ImportResult,
    team: Team,
    task_plan: TaskPlan,
    roles: dict[str, Role],
    members: dict[str, TeamMember],
    existing: Task | None,
    covers: CoverWriter,
) -> None:
    """The task (matched by title ignoring case: the file's spelling wins) with its Accountable, then its
    assignees and their covers, and its Consulted and Informed."""
    task = _upsert(
        result,
        "task",
        Task,
        {"team": team},
        {
            "title": task_plan.title,
            "description": task_plan.description,
            "role": roles[task_plan.role_slug],
            "channel": task_plan.channel,
            "cadence": task_plan.cadence,
            "effort_hours": task_plan.effort_hours,
            "start_date": task_plan.start_date,
            "end_date": task_plan.end_date,
            "is_active": task_plan.is_active,
            "accountable_id": members[task_plan.accountable.email].pk if task_plan.accountable else None,
        },
        existing=existing,
    )
    _write_assignments(result, task, task_plan, members, covers)
    write_involvements(result, task, task_plan, members)


def _write_assignments(
    result: ImportResult, task: Task, task_plan: TaskPlan, members: dict[str, TeamMember], covers: CoverWriter
) -> None:
    """Assignments are matched by member; the shares are replaced as a whole (the task is locked).

    An assignment deleted takes its covers with it; they are counted too.
    """
    current = {a.member_id: a for a in task.assignments.all()}
    keep = []
    for assignee in task_plan.assignees:
        member = members[assignee.email]
        assignment = _upsert(
            result,
            "assignment",
            Assignment,
            {"task": task, "member": member},
            {"share_percent": assignee.share_percent, "start_date": assignee.start_date, "end_date": assignee.end_date},
            existing=current.get(member.pk),
        )
        keep.append(assignment.pk)
        covers.replace(assignment, assignee, members)
    covers.count_deleted(_delete_rest(result, "assignment", task.assignments.exclude(pk__in=keep)))
