"""RACI in the plan file (docs/rules.md, "Plan file"): a task's ``accountable``, ``consulted`` and ``informed``.

The Responsible are the task's ``assignees``; the other three letters name members by email, matched ignoring
case as assignees are. Like assignees, the file is the truth for the tasks it lists: a task without these keys
has no Accountable, Consulted or Informed after the import.

The file's own checks are read here (types, emails, a member listed twice in one list, a member both consulted
and informed); that each email is a member of the team is a reference check (``references``); the services'
rules (``assignments.raci``: an active member of the team, one letter per member and task, no new letter on an
archived task) are checked here on the state the import leaves behind, as the assignment rules are
(``assignees``). A letter listed exactly as stored is kept without the services' member check: a member who
left keeps their letter until someone takes it away, and the export writes it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from roles.models import TeamMember

from ..models import Task, TaskInvolvement
from ..raci import involvement_error, raci_member_error
from .assignees import members_after_import
from .covers import with_stand_in_ids
from .reader import Reader
from .rows import PersonPlan, Plan, TaskPlan
from .stored import StoredTeam

RACI_KEYS = {"accountable", "consulted", "informed"}
_EMAIL = TeamMember._meta.get_field("email")
CONSULTED, INFORMED = TaskInvolvement.Kind.CONSULTED, TaskInvolvement.Kind.INFORMED


def parse_raci(reader: Reader, obj: dict, path: str, task: TaskPlan) -> None:
    """Read the task's Accountable, Consulted and Informed into ``task`` (absent or null: none)."""
    if obj.get("accountable") is not None:
        task.accountable = _person(reader, obj["accountable"], f"{path}.accountable")
    task.consulted = _people(reader, obj, path, "consulted")
    task.informed = _people(reader, obj, path, "informed")
    consulted = {person.email for person in task.consulted if person.email}
    for person in task.informed:
        if person.email in consulted and not reader.failed(person.path):
            reader.error(
                person.path,
                _("%(email)s is already consulted on this task; a person is consulted or informed, not both.")
                % {"email": person.email},
            )


def _person(reader: Reader, raw: Any, path: str) -> PersonPlan:
    email = reader.value({"email": raw}, "email", path, _EMAIL)
    return PersonPlan(path=path, email=email.lower() if email else None)


def _people(reader: Reader, obj: dict, path: str, key: str) -> list[PersonPlan]:
    """The list ``obj[key]`` of emails (absent or null: empty); one listed twice is an error at the later one."""
    raw = obj.get(key)
    if raw is None:
        return []
    if not isinstance(raw, list):
        reader.error(f"{path}.{key}", _("must be a list of emails"))
        return []
    people = [_person(reader, item, f"{path}.{key}[{index}]") for index, item in enumerate(raw)]
    reader.repeats((person.path, person.email, person.email) for person in people)
    return people


def check_raci(reader: Reader, plan: Plan, stored: StoredTeam) -> None:
    """Report what the services refuse in the file's letters (a letter stored alike is kept as it is).

    A member who is not in the team, or whose ``is_active`` is bad in the file, is skipped here: their own
    error is reported already (``references``, ``parse``).
    """
    members = with_stand_in_ids(members_after_import(plan, stored))
    for task in plan.tasks:
        stored_task = stored.task(task.title)
        accountable = members.get(task.accountable.email) if task.accountable else None
        # The task as the import leaves it, for the services' checks: its team and its Accountable.
        after = Task(team_id=stored.team_id, accountable_id=accountable.pk if accountable else None)
        if accountable is not None and not stored.keeps_letter(stored_task, accountable, None):
            _report(reader, task, task.accountable.path, raci_member_error(task=after, member=accountable))
        for kind, people in ((CONSULTED, task.consulted), (INFORMED, task.informed)):
            for person in people:
                member = members.get(person.email)
                if member is None or reader.failed(person.path):
                    continue
                if not stored.keeps_letter(stored_task, member, kind):
                    _report(reader, task, person.path, involvement_error(task=after, member=member))
                elif member.pk == after.accountable_id:  # kept as stored, but the file makes them Accountable
                    reader.error(person.path, involvement_error(task=after, member=member))


def _report(reader: Reader, task: TaskPlan, path: str, error: str | None) -> None:
    """The services' refusal of a new letter at its path; on a task the file archives, that refusal."""
    if error is None and task.is_active is False:
        error = _("This task is archived.")
    if error:
        reader.error(path, error)
