"""Reading a team into the plan document, in a fixed order so that an export is stable."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import models

from roles.models import Role, RoleHolding, Team, TeamMember, TimeOff

from ..models import Assignment, Cover, Task, TaskInvolvement


def plan_export(*, team: Team) -> dict[str, Any]:
    """The plan document of ``team``, in a fixed order (roles by catalog order, the rest by name).

    It carries the whole role catalog (shared by all teams), so that the plan
    imported into an empty database is complete.
    """
    roles = Role.objects.prefetch_related("responsibilities").order_by("position", "name")
    members = team.members.prefetch_related(
        models.Prefetch(
            "role_holdings", RoleHolding.objects.select_related("role").order_by("start_date", "role__slug")
        ),
        models.Prefetch("time_off", TimeOff.objects.order_by("start_date", "end_date")),
    ).order_by("email")
    assignments = (
        Assignment.objects.select_related("member")
        .prefetch_related(models.Prefetch("covers", Cover.objects.select_related("member").order_by("start_date")))
        .order_by("member__email")
    )
    involvements = TaskInvolvement.objects.select_related("member").order_by("member__email")
    tasks = (
        team.tasks.select_related("role", "accountable")
        .prefetch_related(models.Prefetch("assignments", assignments), models.Prefetch("involvements", involvements))
        .order_by("title")
    )
    return {
        "team": {"name": team.name, "slug": team.slug, "raci_enabled": team.raci_enabled},
        "roles": [_role_document(role) for role in roles],
        "members": [_member_document(member) for member in members],
        "tasks": [_task_document(task) for task in tasks],
    }


KINDS = (TaskInvolvement.Kind.CONSULTED, TaskInvolvement.Kind.INFORMED)  # the file's keys "consulted", "informed"


def _decimal_text(value: Decimal) -> str:
    return f"{value:.2f}"


def _date_text(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _role_document(role: Role) -> dict[str, Any]:
    return {
        "name": role.name,
        "slug": role.slug,
        "focus": role.focus,
        "summary": role.summary,
        "responsibilities": [item.title for item in role.responsibilities.all()],
    }


def _member_document(member: TeamMember) -> dict[str, Any]:
    """A member with their holdings (``end_date`` only when set) and time off."""
    return {
        "full_name": member.full_name,
        "email": member.email,
        "job_title": member.job_title,
        "weekly_capacity_hours": _decimal_text(member.weekly_capacity_hours),
        "is_active": member.is_active,
        "roles": [
            {"role": holding.role.slug, "start_date": _date_text(holding.start_date)}
            | ({"end_date": _date_text(holding.end_date)} if holding.end_date else {})
            for holding in member.role_holdings.all()
        ],
        "time_off": [
            {"start_date": _date_text(off.start_date), "end_date": _date_text(off.end_date), "reason": off.reason}
            for off in member.time_off.all()
        ],
    }


def _task_document(task: Task) -> dict[str, Any]:
    """A task (``end_date`` always, null when open) with its assignees, then its RACI letters: ``accountable``
    only when set, ``consulted`` and ``informed`` (by email) only when not empty."""
    people = {kind.value: [row.member.email for row in task.involvements.all() if row.kind == kind] for kind in KINDS}
    return (
        {
            "title": task.title,
            "description": task.description,
            "role": task.role.slug,
            "channel": task.channel,
            "cadence": task.cadence,
            "effort_hours": _decimal_text(task.effort_hours),
            "start_date": _date_text(task.start_date),
            "end_date": _date_text(task.end_date),
            "is_active": task.is_active,
            "assignees": [_assignee_document(assignment) for assignment in task.assignments.all()],
        }
        | ({"accountable": task.accountable.email} if task.accountable else {})
        | {kind: emails for kind, emails in people.items() if emails}
    )


def _assignee_document(assignment: Assignment) -> dict[str, Any]:
    """An assignee: their dates only when set, their covers (by start date) only when there are any."""
    covers = [
        {
            "member": cover.member.email,
            "start_date": _date_text(cover.start_date),
            "end_date": _date_text(cover.end_date),
        }
        for cover in assignment.covers.all()
    ]
    return (
        {"member": assignment.member.email, "share_percent": assignment.share_percent}
        | ({"start_date": _date_text(assignment.start_date)} if assignment.start_date else {})
        | ({"end_date": _date_text(assignment.end_date)} if assignment.end_date else {})
        | ({"covers": covers} if covers else {})
    )
