"""The plan file: one team's roles, members and tasks as JSON (DESIGN.md "Plan file").

``plan_export`` reads a team into the document; ``plan_import`` validates a
whole document first, listing every problem with its path in the file
(``members[2].email: Enter a valid email address.``), and only then writes it
in one transaction, so a bad file writes nothing.

Matching, so that importing the same file again changes nothing: the team by
``slug``, roles by ``slug``, members by ``email`` (ignoring case), tasks by
``title`` within the team. For what the file names it is the truth: a role's
responsibilities, a member's role holdings and time off, and a task's
assignees are made to match the file (rows it no longer lists are removed).
What the file does not name (other members, tasks or roles) is left alone:
an import never deletes a person or a task.

Roles form one catalog shared by all teams; an export carries the whole
catalog so that a plan imported into an empty database is complete.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from roles.models import Responsibility, Role, RoleHolding, Team, TeamMember, TimeOff

from .models import Assignment, Task
from .services import task_lock

# --------------------------------------------------------------------------- export


def _decimal_text(value: Decimal) -> str:
    return f"{value:.2f}"


def _date_text(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def plan_export(*, team: Team) -> dict[str, Any]:
    """The plan document of ``team``, in a fixed order (roles by catalog order, the rest by name)."""
    roles = Role.objects.prefetch_related("responsibilities").order_by("position", "name")
    members = team.members.prefetch_related(
        models.Prefetch(
            "role_holdings", RoleHolding.objects.select_related("role").order_by("start_date", "role__slug")
        ),
        models.Prefetch("time_off", TimeOff.objects.order_by("start_date", "end_date")),
    ).order_by("email")
    tasks = (
        team.tasks.select_related("role")
        .prefetch_related(
            models.Prefetch("assignments", Assignment.objects.select_related("member").order_by("member__email"))
        )
        .order_by("title")
    )
    return {
        "team": {"name": team.name, "slug": team.slug},
        "roles": [
            {
                "name": role.name,
                "slug": role.slug,
                "focus": role.focus,
                "summary": role.summary,
                "responsibilities": [item.title for item in role.responsibilities.all()],
            }
            for role in roles
        ],
        "members": [
            {
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
                    {
                        "start_date": _date_text(off.start_date),
                        "end_date": _date_text(off.end_date),
                        "reason": off.reason,
                    }
                    for off in member.time_off.all()
                ],
            }
            for member in members
        ],
        "tasks": [
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
                "assignees": [
                    {"member": assignment.member.email, "share_percent": assignment.share_percent}
                    | ({"start_date": _date_text(assignment.start_date)} if assignment.start_date else {})
                    | ({"end_date": _date_text(assignment.end_date)} if assignment.end_date else {})
                    for assignment in task.assignments.all()
                ],
            }
            for task in tasks
        ],
    }


# --------------------------------------------------------------------------- validation


class PlanError(Exception):
    """The plan file has problems; ``errors`` lists each as ``path: message``."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


_MISSING = object()


class _Reader:
    """Reads typed values out of the JSON document, collecting errors with their paths.

    Values are checked by the model field they are stored in (``Field.clean``),
    so the file accepts exactly what the database holds, with Django's messages.
    """

    def __init__(self):
        self.errors: list[str] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def object(self, value: Any, path: str, keys: set[str]) -> dict | None:
        if not isinstance(value, dict):
            self.error(path, _("must be an object"))
            return None
        for key in sorted(set(value) - keys):
            self.error(f"{path}.{key}" if path else key, _("unknown key"))
        return value

    def list(self, obj: dict, key: str, path: str) -> list:
        value = obj.get(key, _MISSING)
        if value is _MISSING or value is None:
            return []
        if not isinstance(value, list):
            self.error(path, _("must be a list"))
            return []
        return value

    def value(
        self,
        obj: dict,
        key: str,
        path: str,
        model_field: models.Field,
        *,
        required: bool = True,
        default: Any = None,
    ) -> Any:
        raw = obj.get(key, _MISSING)
        if raw is _MISSING or (raw is None and not required):
            if required:
                self.error(path, _("is required"))
            return default
        if raw is None:
            self.error(path, _("must not be null"))
            return default
        if isinstance(model_field, (models.CharField, models.TextField, models.DateField)):
            ok = isinstance(raw, str)
            expected = _("a date (YYYY-MM-DD)") if isinstance(model_field, models.DateField) else _("text")
        elif isinstance(model_field, models.BooleanField):
            ok, expected = isinstance(raw, bool), _("true or false")
        elif isinstance(model_field, models.DecimalField):
            ok = isinstance(raw, (str, int, float, Decimal)) and not isinstance(raw, bool)
            expected = _("a number")
            if isinstance(raw, float):  # json.loads without parse_float=Decimal: keep the written digits
                raw = str(raw)
        elif isinstance(model_field, models.IntegerField):
            ok = isinstance(raw, int) and not isinstance(raw, bool)
            expected = _("a whole number")
        else:  # pragma: no cover - every field the plan reads is one of the above
            raise TypeError(model_field)
        if not ok:
            self.error(path, _("must be %(expected)s") % {"expected": expected})
            return default
        if isinstance(raw, str) and not isinstance(model_field, models.TextField):
            raw = raw.strip()
        try:
            value = model_field.clean(raw, None)
        except ValidationError as error:
            self.error(path, " ".join(error.messages))
            return default
        if isinstance(model_field, models.DecimalField) and value is not None and not value.is_finite():
            self.error(path, _("must be a number"))
            return default
        return value


def _field(model: type[models.Model], name: str) -> models.Field:
    return model._meta.get_field(name)


@dataclass
class _RolePlan:
    slug: str
    name: str
    focus: str
    summary: str
    responsibilities: list[str]


@dataclass
class _HoldingPlan:
    role_slug: str
    start_date: datetime.date
    end_date: datetime.date | None


@dataclass
class _TimeOffPlan:
    start_date: datetime.date
    end_date: datetime.date
    reason: str


@dataclass
class _MemberPlan:
    email: str
    full_name: str
    job_title: str
    weekly_capacity_hours: Decimal
    is_active: bool
    holdings: list[_HoldingPlan] = field(default_factory=list)
    time_off: list[_TimeOffPlan] = field(default_factory=list)


@dataclass
class _AssigneePlan:
    email: str
    share_percent: int
    start_date: datetime.date | None
    end_date: datetime.date | None


@dataclass
class _TaskPlan:
    title: str
    description: str
    role_slug: str
    channel: str
    cadence: str
    effort_hours: Decimal
    start_date: datetime.date
    end_date: datetime.date | None
    is_active: bool
    assignees: list[_AssigneePlan] = field(default_factory=list)


@dataclass
class _Plan:
    team_name: str
    team_slug: str
    roles: list[_RolePlan]
    members: list[_MemberPlan]
    tasks: list[_TaskPlan]


def _check_dates(reader: _Reader, path: str, start, end) -> None:
    if start and end and end < start:
        reader.error(f"{path}.end_date", _("must be on or after start_date"))


def _parse(document: Any) -> _Plan:
    """Validate the whole document against the file format and the database; raise PlanError."""
    reader = _Reader()
    root = reader.object(document, "", {"team", "roles", "members", "tasks"})
    if root is None:
        raise PlanError(reader.errors)

    team_name = team_slug = ""
    team = reader.object(root.get("team"), "team", {"name", "slug"}) if "team" in root else None
    if "team" not in root:
        reader.error("team", _("is required"))
    if team is not None:
        team_name = reader.value(team, "name", "team.name", _field(Team, "name"), default="")
        team_slug = reader.value(team, "slug", "team.slug", _field(Team, "slug"), default="")

    roles: list[_RolePlan] = []
    for index, raw in enumerate(reader.list(root, "roles", "roles")):
        path = f"roles[{index}]"
        obj = reader.object(raw, path, {"name", "slug", "focus", "summary", "responsibilities"})
        if obj is None:
            continue
        responsibilities = []
        for r_index, title in enumerate(reader.list(obj, "responsibilities", f"{path}.responsibilities")):
            r_path = f"{path}.responsibilities[{r_index}]"
            value = reader.value({"title": title}, "title", r_path, _field(Responsibility, "title"))
            if value:
                if value in responsibilities:
                    reader.error(r_path, _("is listed twice"))
                responsibilities.append(value)
        roles.append(
            _RolePlan(
                slug=reader.value(obj, "slug", f"{path}.slug", _field(Role, "slug"), default=""),
                name=reader.value(obj, "name", f"{path}.name", _field(Role, "name"), default=""),
                focus=reader.value(obj, "focus", f"{path}.focus", _field(Role, "focus"), default=""),
                summary=reader.value(
                    obj, "summary", f"{path}.summary", _field(Role, "summary"), required=False, default=""
                ),
                responsibilities=responsibilities,
            )
        )
    _report_repeats(reader, "roles", [r.slug for r in roles], _("slug %(value)s is used more than once"))
    _report_repeats(reader, "roles", [r.name for r in roles], _("name %(value)s is used more than once"))

    members: list[_MemberPlan] = []
    for index, raw in enumerate(reader.list(root, "members", "members")):
        path = f"members[{index}]"
        obj = reader.object(
            raw,
            path,
            {"full_name", "email", "job_title", "weekly_capacity_hours", "is_active", "roles", "time_off"},
        )
        if obj is None:
            continue
        email = reader.value(obj, "email", f"{path}.email", _field(TeamMember, "email"), default="")
        member = _MemberPlan(
            email=email.lower(),
            full_name=reader.value(obj, "full_name", f"{path}.full_name", _field(TeamMember, "full_name"), default=""),
            job_title=reader.value(
                obj, "job_title", f"{path}.job_title", _field(TeamMember, "job_title"), required=False, default=""
            ),
            weekly_capacity_hours=reader.value(
                obj,
                "weekly_capacity_hours",
                f"{path}.weekly_capacity_hours",
                _field(TeamMember, "weekly_capacity_hours"),
                required=False,
                default=Decimal("40"),
            ),
            is_active=reader.value(
                obj, "is_active", f"{path}.is_active", _field(TeamMember, "is_active"), required=False, default=True
            ),
        )
        capacity = member.weekly_capacity_hours
        if capacity is not None and not Decimal(0) <= capacity <= Decimal(168):
            reader.error(f"{path}.weekly_capacity_hours", _("must be between 0 and 168"))
        for h_index, raw_holding in enumerate(reader.list(obj, "roles", f"{path}.roles")):
            h_path = f"{path}.roles[{h_index}]"
            holding = reader.object(raw_holding, h_path, {"role", "start_date", "end_date"})
            if holding is None:
                continue
            plan = _HoldingPlan(
                role_slug=reader.value(holding, "role", f"{h_path}.role", _field(Role, "slug"), default=""),
                start_date=reader.value(
                    holding, "start_date", f"{h_path}.start_date", _field(RoleHolding, "start_date")
                ),
                end_date=reader.value(
                    holding, "end_date", f"{h_path}.end_date", _field(RoleHolding, "end_date"), required=False
                ),
            )
            _check_dates(reader, h_path, plan.start_date, plan.end_date)
            member.holdings.append(plan)
        _report_repeats(
            reader,
            f"{path}.roles",
            [f"{h.role_slug} ({h.start_date})" for h in member.holdings if h.role_slug and h.start_date],
            _("role %(value)s is listed twice"),
        )
        for t_index, raw_off in enumerate(reader.list(obj, "time_off", f"{path}.time_off")):
            t_path = f"{path}.time_off[{t_index}]"
            off = reader.object(raw_off, t_path, {"start_date", "end_date", "reason"})
            if off is None:
                continue
            plan = _TimeOffPlan(
                start_date=reader.value(off, "start_date", f"{t_path}.start_date", _field(TimeOff, "start_date")),
                end_date=reader.value(off, "end_date", f"{t_path}.end_date", _field(TimeOff, "end_date")),
                reason=reader.value(
                    off, "reason", f"{t_path}.reason", _field(TimeOff, "reason"), required=False, default=""
                ),
            )
            _check_dates(reader, t_path, plan.start_date, plan.end_date)
            member.time_off.append(plan)
        members.append(member)
    _report_repeats(reader, "members", [m.email for m in members], _("email %(value)s is used more than once"))

    tasks: list[_TaskPlan] = []
    for index, raw in enumerate(reader.list(root, "tasks", "tasks")):
        path = f"tasks[{index}]"
        obj = reader.object(
            raw,
            path,
            {
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
            },
        )
        if obj is None:
            continue
        task = _TaskPlan(
            title=reader.value(obj, "title", f"{path}.title", _field(Task, "title"), default=""),
            description=reader.value(
                obj, "description", f"{path}.description", _field(Task, "description"), required=False, default=""
            ),
            role_slug=reader.value(obj, "role", f"{path}.role", _field(Role, "slug"), default=""),
            channel=reader.value(
                obj, "channel", f"{path}.channel", _field(Task, "channel"), required=False, default=""
            ),
            cadence=reader.value(obj, "cadence", f"{path}.cadence", _field(Task, "cadence"), default=""),
            effort_hours=reader.value(obj, "effort_hours", f"{path}.effort_hours", _field(Task, "effort_hours")),
            start_date=reader.value(obj, "start_date", f"{path}.start_date", _field(Task, "start_date")),
            end_date=reader.value(obj, "end_date", f"{path}.end_date", _field(Task, "end_date"), required=False),
            is_active=reader.value(
                obj, "is_active", f"{path}.is_active", _field(Task, "is_active"), required=False, default=True
            ),
        )
        if task.effort_hours is not None and task.effort_hours <= 0:
            reader.error(f"{path}.effort_hours", _("must be more than 0"))
        if task.cadence == Task.Cadence.ONCE and obj.get("end_date") is None:
            reader.error(f"{path}.end_date", _("is required for a one-off task"))
        _check_dates(reader, path, task.start_date, task.end_date)
        for a_index, raw_assignee in enumerate(reader.list(obj, "assignees", f"{path}.assignees")):
            a_path = f"{path}.assignees[{a_index}]"
            assignee = reader.object(raw_assignee, a_path, {"member", "share_percent", "start_date", "end_date"})
            if assignee is None:
                continue
            plan = _AssigneePlan(
                email=reader.value(
                    assignee, "member", f"{a_path}.member", _field(TeamMember, "email"), default=""
                ).lower(),
                share_percent=reader.value(
                    assignee,
                    "share_percent",
                    f"{a_path}.share_percent",
                    _field(Assignment, "share_percent"),
                    required=False,
                    default=100,
                ),
                start_date=reader.value(
                    assignee, "start_date", f"{a_path}.start_date", _field(Assignment, "start_date"), required=False
                ),
                end_date=reader.value(
                    assignee, "end_date", f"{a_path}.end_date", _field(Assignment, "end_date"), required=False
                ),
            )
            if plan.share_percent is not None and not 1 <= plan.share_percent <= 100:
                reader.error(f"{a_path}.share_percent", _("must be between 1 and 100"))
            _check_dates(reader, a_path, plan.start_date, plan.end_date)
            task.assignees.append(plan)
        _report_repeats(
            reader, f"{path}.assignees", [a.email for a in task.assignees], _("%(value)s is assigned twice")
        )
        total = sum(a.share_percent or 0 for a in task.assignees)
        if total > 100:
            reader.error(
                f"{path}.assignees",
                _("shares add up to %(total)s %%, more than 100 %%") % {"total": total},
            )
        tasks.append(task)
    _report_repeats(reader, "tasks", [t.title for t in tasks], _("title %(value)s is used more than once"))

    plan = _Plan(team_name=team_name, team_slug=team_slug, roles=roles, members=members, tasks=tasks)
    if not reader.errors:
        _check_references(reader, plan)
    if reader.errors:
        raise PlanError(reader.errors)
    return plan


def _report_repeats(reader: _Reader, path: str, values: list[str], message: str) -> None:
    """One error for each value listed more than once; ``message`` has a ``%(value)s``."""
    for value, count in Counter(value for value in values if value).items():
        if count > 1:
            reader.error(path, message % {"value": value})


def _check_references(reader: _Reader, plan: _Plan) -> None:
    """Checks against the database: role slugs known, emails not in another team, names free."""
    file_roles = {role.slug for role in plan.roles}
    db_roles = dict(Role.objects.values_list("slug", "name"))
    db_role_names = {name: slug for slug, name in db_roles.items()}
    for index, role in enumerate(plan.roles):
        holder = db_role_names.get(role.name)
        if holder and holder != role.slug:
            reader.error(
                f"roles[{index}].name",
                _("is already the name of role %(slug)s") % {"slug": holder},
            )
    known_roles = file_roles | set(db_roles)

    team = Team.objects.filter(slug=plan.team_slug).first()
    emails = [member.email for member in plan.members]
    existing = dict(
        TeamMember.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .values_list("email_lower", "team__slug")
    )
    for index, member in enumerate(plan.members):
        other_team = existing.get(member.email)
        if other_team and other_team != plan.team_slug:
            reader.error(
                f"members[{index}].email",
                _("already belongs to a member of team %(team)s") % {"team": other_team},
            )
        for h_index, holding in enumerate(member.holdings):
            if holding.role_slug not in known_roles:
                reader.error(
                    f"members[{index}].roles[{h_index}].role", _("unknown role %(slug)s") % {"slug": holding.role_slug}
                )

    team_emails = set(emails)
    if team is not None:
        team_emails |= {email.lower() for email in team.members.values_list("email", flat=True)}
    for index, task in enumerate(plan.tasks):
        if task.role_slug not in known_roles:
            reader.error(f"tasks[{index}].role", _("unknown role %(slug)s") % {"slug": task.role_slug})
        for a_index, assignee in enumerate(task.assignees):
            if assignee.email not in team_emails:
                reader.error(
                    f"tasks[{index}].assignees[{a_index}].member",
                    _("%(email)s is not a member of this team") % {"email": assignee.email},
                )


# --------------------------------------------------------------------------- import


@dataclass
class ImportResult:
    """What an import changed, counted per kind of row (``created``, ``updated``, ``deleted``)."""

    team: str
    changes: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return any(self.changes.values())

    def summary(self) -> str:
        """ "2 member created, 1 task updated", in a fixed order (the counts' names stay technical)."""
        return ", ".join(f"{count} {what}" for what, count in sorted(self.changes.items()))


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


def _delete_rest(result: ImportResult, kind: str, queryset) -> None:
    deleted = queryset.delete()[1].get(queryset.model._meta.label, 0)
    if deleted:
        result.changes[f"{kind} deleted"] += deleted


def plan_import(*, document: Any) -> ImportResult:
    """Validate ``document`` (parsed JSON) and write it all, or raise PlanError and write nothing."""
    plan = _parse(document)
    try:
        with transaction.atomic():
            return _write(plan)
    except IntegrityError as error:  # a concurrent writer got there first
        raise PlanError([_("the database refused the plan: %(error)s") % {"error": error}]) from error


def _write(plan: _Plan) -> ImportResult:
    result = ImportResult(team=plan.team_slug)
    team = _upsert(
        result,
        "team",
        Team,
        {"slug": plan.team_slug},
        {"name": plan.team_name},
        existing=Team.objects.filter(slug=plan.team_slug).first(),
    )

    roles: dict[str, Role] = {role.slug: role for role in Role.objects.all()}
    for position, role_plan in enumerate(plan.roles):
        role = _upsert(
            result,
            "role",
            Role,
            {"slug": role_plan.slug},
            {"name": role_plan.name, "focus": role_plan.focus, "summary": role_plan.summary, "position": position},
            existing=roles.get(role_plan.slug),
        )
        roles[role.slug] = role
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

    members: dict[str, TeamMember] = {member.email.lower(): member for member in TeamMember.objects.filter(team=team)}
    for member_plan in plan.members:
        existing = members.get(member_plan.email)
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
                "is_active": member_plan.is_active,
            },
            existing=existing,
        )
        members[member_plan.email] = member
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

    tasks = {task.title: task for task in team.tasks.all()}
    for task_plan in plan.tasks:
        task = _upsert(
            result,
            "task",
            Task,
            {"team": team, "title": task_plan.title},
            {
                "description": task_plan.description,
                "role": roles[task_plan.role_slug],
                "channel": task_plan.channel,
                "cadence": task_plan.cadence,
                "effort_hours": task_plan.effort_hours,
                "start_date": task_plan.start_date,
                "end_date": task_plan.end_date,
                "is_active": task_plan.is_active,
            },
            existing=tasks.get(task_plan.title),
        )
        # Same lock as every other assignment writer: shares are replaced as a whole.
        task_lock(task_id=task.pk)
        current = {a.member_id: a for a in task.assignments.all()}
        keep = []
        for assignee in task_plan.assignees:
            member = members[assignee.email]
            assignment = _upsert(
                result,
                "assignment",
                Assignment,
                {"task": task, "member": member},
                {
                    "share_percent": assignee.share_percent,
                    "start_date": assignee.start_date,
                    "end_date": assignee.end_date,
                },
                existing=current.get(member.pk),
            )
            keep.append(assignment.pk)
        _delete_rest(result, "assignment", task.assignments.exclude(pk__in=keep))
    return result
