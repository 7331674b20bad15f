"""Reading the plan file into a ``Plan``, one function per section; every problem is listed with its path.

The file's own checks live here: unknown keys, JSON types, required keys, and
anything listed twice or overlapping (at the later item's path). Each row is
then checked by its model's own rules (``model_rules``), and the whole plan
against the database (``references``, ``assignees``, ``covers``,
``shared_roles``). Every check runs even when others failed; only a value that
is itself missing or bad is skipped, so one run lists every problem of the file.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from django.utils.translation import gettext as _

from roles.models import Responsibility, Role, RoleHolding, Team, TeamMember, TimeOff

from ..models import Assignment, Cover, Task
from .assignees import check_assignees
from .covers import check_covers
from .model_rules import check_model_rules
from .raci import RACI_KEYS, check_raci, parse_raci
from .reader import PlanError, Reader
from .references import check_references
from .rows import AssigneePlan, CoverPlan, HoldingPlan, MemberPlan, Plan, RolePlan, TaskPlan, TimeOffPlan
from .shared_roles import check_shared_roles
from .stored import StoredTeam

Row = TypeVar("Row")

ROOT_KEYS = {"team", "roles", "members", "tasks"}
TEAM_KEYS = {"name", "slug", "raci_enabled"}
ROLE_KEYS = {"name", "slug", "focus", "summary", "responsibilities"}
MEMBER_KEYS = {"full_name", "email", "job_title", "weekly_capacity_hours", "is_active", "roles", "time_off"}
HOLDING_KEYS = {"role", "start_date", "end_date"}
TIME_OFF_KEYS = {"start_date", "end_date", "reason"}
TASK_KEYS = {
    "title",
    "description",
    "role",
    "channel",
    "cadence",
    "effort_hours",
    "start_date",
    "end_date",
    "is_active",
    "assignees",
    *RACI_KEYS,
}
ASSIGNEE_KEYS = {"member", "share_percent", "start_date", "end_date", "covers"}
COVER_KEYS = {"member", "start_date", "end_date"}
DATE_KEYS = ("start_date", "end_date")
TASK_FIELDS = ("title", "description", "channel", "cadence", "effort_hours", "start_date", "end_date", "is_active")


def parse_plan(document: Any, *, update_shared_roles: bool = False) -> Plan:
    """Validate the whole document against the file format, the models and the database; raise PlanError.

    Without ``update_shared_roles`` a change to a role another team uses is an error.
    """
    reader = Reader()
    root = reader.object(document, "", ROOT_KEYS)
    if root is None:
        raise PlanError(reader.errors)
    team_name, team_slug, raci_enabled = parse_team(reader, root)
    stored = StoredTeam.load(team_slug)
    roles = _parse_list(reader, root, "", "roles", parse_role)
    reader.repeats((f"{role.path}.slug", role.slug, role.slug) for role in roles)
    reader.repeats((f"{role.path}.name", role.name, role.name) for role in roles)
    members = _parse_list(reader, root, "", "members", parse_member)
    reader.repeats((f"{member.path}.email", member.email, member.email) for member in members)
    tasks = _parse_list(reader, root, "", "tasks", partial(parse_task, stored=stored))
    reader.repeats((f"{task.path}.title", task.title_key, task.title) for task in tasks)
    plan = Plan(
        team_name=team_name, team_slug=team_slug, roles=roles, members=members, tasks=tasks, raci_enabled=raci_enabled
    )
    check_references(reader, plan, stored)
    check_assignees(reader, plan, stored)
    check_covers(reader, plan, stored)
    check_raci(reader, plan, stored)
    if not update_shared_roles:
        check_shared_roles(reader, plan, stored)
    if reader.errors:
        raise PlanError(reader.errors)
    return plan


def _parse_list(
    reader: Reader, obj: dict, path: str, key: str, parse_one: Callable[[Reader, Any, str], Row | None]
) -> list[Row]:
    """``parse_one`` on each item of the list ``obj[key]``, leaving out the items that are not objects."""
    list_path = f"{path}.{key}" if path else key
    rows = []
    for index, raw in enumerate(reader.list(obj, key, list_path)):
        row = parse_one(reader, raw, f"{list_path}[{index}]")
        if row is not None:
            rows.append(row)
    return rows


def parse_team(reader: Reader, root: dict) -> tuple[str | None, str | None, bool | None]:
    """The team's name, slug and RACI switch (None where missing or invalid; the switch None also when absent,
    which leaves the team's setting as it is)."""
    if "team" not in root:
        reader.error("team", _("is required"))
        return None, None, None
    team = reader.object(root["team"], "team", TEAM_KEYS)
    if team is None:
        return None, None, None
    name, slug = reader.field(team, "team", Team, "name"), reader.field(team, "team", Team, "slug")
    raci_enabled = reader.field(team, "team", Team, "raci_enabled") if team.get("raci_enabled") is not None else None
    return name, slug, raci_enabled


def parse_role(reader: Reader, raw: Any, path: str) -> RolePlan | None:
    obj = reader.object(raw, path, ROLE_KEYS)
    if obj is None:
        return None
    role = RolePlan(
        path=path,
        name=reader.field(obj, path, Role, "name"),
        slug=reader.field(obj, path, Role, "slug"),
        focus=reader.field(obj, path, Role, "focus"),
        summary=reader.field(obj, path, Role, "summary", required=False),
        responsibilities=_parse_responsibilities(reader, obj, path),
    )
    check_model_rules(reader, path, Role(name=role.name, slug=role.slug, focus=role.focus, summary=role.summary))
    return role


def _parse_responsibilities(reader: Reader, obj: dict, path: str) -> list[str] | None:
    """The role's responsibility titles in the file's order (None when any of them is bad)."""
    list_path = f"{path}.responsibilities"
    title_field = Responsibility._meta.get_field("title")
    items = [
        (f"{list_path}[{index}]", reader.value({"title": raw}, "title", f"{list_path}[{index}]", title_field))
        for index, raw in enumerate(reader.list(obj, "responsibilities", list_path))
    ]
    reader.repeats((item_path, title, title) for item_path, title in items)
    if reader.failed(list_path) or any(reader.failed(item_path) for item_path, _title in items):
        return None
    return [title for _path, title in items]


def parse_member(reader: Reader, raw: Any, path: str) -> MemberPlan | None:
    obj = reader.object(raw, path, MEMBER_KEYS)
    if obj is None:
        return None
    email = reader.field(obj, path, TeamMember, "email")
    member = MemberPlan(
        path=path,
        email=email.lower() if email else None,
        full_name=reader.field(obj, path, TeamMember, "full_name"),
        job_title=reader.field(obj, path, TeamMember, "job_title", required=False),
        weekly_capacity_hours=reader.field(obj, path, TeamMember, "weekly_capacity_hours", required=False),
        is_active=reader.field(obj, path, TeamMember, "is_active", required=False),
    )
    # Not TeamMember.clean(): its checks are against the rows stored now, which the import
    # replaces. The plan checks an email of another team (references) and a return that
    # would pass 100 % (the writer runs that model check on what it has written).
    instance = TeamMember(
        email=member.email,
        full_name=member.full_name,
        job_title=member.job_title,
        weekly_capacity_hours=member.weekly_capacity_hours,
        is_active=member.is_active,
    )
    check_model_rules(reader, path, instance, clean=False)
    member.holdings = _parse_list(reader, obj, path, "roles", parse_holding)
    for role_slug in dict.fromkeys(holding.role_slug for holding in member.holdings if holding.role_slug):
        reader.overlaps(_periods(reader, [holding for holding in member.holdings if holding.role_slug == role_slug]))
    member.time_off = _parse_list(reader, obj, path, "time_off", parse_time_off)
    reader.overlaps(_periods(reader, member.time_off))
    return member


def _periods(reader: Reader, rows: list[HoldingPlan] | list[TimeOffPlan] | list[CoverPlan]) -> list[tuple]:
    """``(path, start, end)`` of the rows whose dates are good (an open end is None), for ``Reader.overlaps``."""
    return [
        (row.path, row.start_date, row.end_date)
        for row in rows
        if row.start_date is not None and not any(reader.failed(f"{row.path}.{key}") for key in DATE_KEYS)
    ]


def parse_holding(reader: Reader, raw: Any, path: str) -> HoldingPlan | None:
    obj = reader.object(raw, path, HOLDING_KEYS)
    if obj is None:
        return None
    holding = HoldingPlan(
        path=path,
        role_slug=reader.field(obj, path, Role, "slug", key="role"),
        start_date=reader.field(obj, path, RoleHolding, "start_date"),
        end_date=reader.field(obj, path, RoleHolding, "end_date", required=False),
    )
    # Without a member, RoleHolding.clean() checks the dates only: the overlaps that matter
    # are the file's own (above), since the file replaces the member's stored holdings.
    check_model_rules(reader, path, RoleHolding(start_date=holding.start_date, end_date=holding.end_date))
    return holding


def parse_time_off(reader: Reader, raw: Any, path: str) -> TimeOffPlan | None:
    obj = reader.object(raw, path, TIME_OFF_KEYS)
    if obj is None:
        return None
    off = TimeOffPlan(
        path=path,
        start_date=reader.field(obj, path, TimeOff, "start_date"),
        end_date=reader.field(obj, path, TimeOff, "end_date"),
        reason=reader.field(obj, path, TimeOff, "reason", required=False),
    )
    check_model_rules(reader, path, TimeOff(start_date=off.start_date, end_date=off.end_date, reason=off.reason))
    return off


def parse_task(reader: Reader, raw: Any, path: str, *, stored: StoredTeam) -> TaskPlan | None:
    obj = reader.object(raw, path, TASK_KEYS)
    if obj is None:
        return None
    task = TaskPlan(
        path=path,
        title=reader.field(obj, path, Task, "title"),
        description=reader.field(obj, path, Task, "description", required=False),
        role_slug=reader.field(obj, path, Role, "slug", key="role"),
        channel=reader.field(obj, path, Task, "channel", required=False),
        cadence=reader.field(obj, path, Task, "cadence"),
        effort_hours=reader.field(obj, path, Task, "effort_hours"),
        start_date=reader.field(obj, path, Task, "start_date"),
        end_date=reader.field(obj, path, Task, "end_date", required=False),
        is_active=reader.field(obj, path, Task, "is_active", required=False),
    )
    matched = stored.task(task.title)
    instance = Task(
        pk=matched.pk if matched else None,  # so that its own stored title is not "taken"
        team_id=stored.team_id,
        **{name: getattr(task, name) for name in TASK_FIELDS},
    )
    check_model_rules(reader, path, instance)
    task.assignees = _parse_list(reader, obj, path, "assignees", parse_assignee)
    reader.repeats((f"{a.path}.member", a.email, a.email) for a in task.assignees)
    parse_raci(reader, obj, path, task)
    return task


def parse_assignee(reader: Reader, raw: Any, path: str) -> AssigneePlan | None:
    obj = reader.object(raw, path, ASSIGNEE_KEYS)
    if obj is None:
        return None
    email = reader.field(obj, path, TeamMember, "email", key="member")
    assignee = AssigneePlan(
        path=path,
        email=email.lower() if email else None,
        share_percent=reader.field(obj, path, Assignment, "share_percent", required=False),
        start_date=reader.field(obj, path, Assignment, "start_date", required=False),
        end_date=reader.field(obj, path, Assignment, "end_date", required=False),
    )
    instance = Assignment(
        share_percent=assignee.share_percent, start_date=assignee.start_date, end_date=assignee.end_date
    )
    check_model_rules(reader, path, instance)
    # The file's covers of an assignee are all of the assignment's covers: two of them never overlap.
    assignee.covers = _parse_list(reader, obj, path, "covers", parse_cover)
    reader.overlaps(_periods(reader, assignee.covers))
    return assignee


def parse_cover(reader: Reader, raw: Any, path: str) -> CoverPlan | None:
    obj = reader.object(raw, path, COVER_KEYS)
    if obj is None:
        return None
    email = reader.field(obj, path, TeamMember, "email", key="member")
    cover = CoverPlan(
        path=path,
        email=email.lower() if email else None,
        start_date=reader.field(obj, path, Cover, "start_date"),
        end_date=reader.field(obj, path, Cover, "end_date"),
    )
    check_model_rules(reader, path, Cover(start_date=cover.start_date, end_date=cover.end_date))
    return cover
