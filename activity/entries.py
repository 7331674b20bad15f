"""History read back as entries: one created, changed or deleted row, with each changed field's old and
new value and the names it speaks of.

``build_entries`` turns historical rows (of any tracked model) into ``Entry`` values in a fixed number
of queries, whatever their number: the previous version of every changed row in one query per model
(``with_previous`` annotates its id onto the rows' own query), a team's managers before and after in one
more, and the names of the members, tasks, roles, teams and assignments they mention in one query per
kind (current rows first, the last historical version for a row deleted since).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Model, OuterRef, QuerySet, Subquery

from assignments.models import Assignment, Task
from roles.models import Role, Team, TeamMember

from .models import BOOKKEEPING, MACHINE_FIELDS, TRACKED, ChangeSet
from .reverts import revertible

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
# Rows written at the same instant are ordered by kind, then id: one total order, for the API's pages.
RANK = {object_type: rank for rank, object_type in enumerate(TRACKED)}
# Fields whose value is another row, by attribute name -> the kind of row (shown by its name).
REFERENCES = {
    "member_id": "member",
    "accountable_id": "member",  # a task's Accountable (RACI)
    "task_id": "task",
    "role_id": "role",
    "team_id": "team",
}


@dataclass
class Entry:
    key: str  # "assignment-12": the object type and the historical row's id
    object_type: str
    history_id: int
    object_id: int
    change_set: ChangeSet
    actor: str  # as the pages say it: the login's full name, else its username, or the command
    at: datetime.datetime
    action: str  # created, changed or deleted
    values: dict[str, Any]  # the row's fields after the change (before it, for a deletion)
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field -> (old, new), raw values
    revertible: bool = False

    @property
    def said_changes(self) -> dict[str, tuple[Any, Any]]:
        """The changes a sentence tells: not the bookkeeping (who assigned it, a login link)."""
        return {name: change for name, change in self.changes.items() if _field_name(name) not in BOOKKEEPING}


def _field_name(attname: str) -> str:
    return attname.removesuffix("_id")


def order(entry: Entry) -> tuple:
    return entry.at, RANK[entry.object_type], entry.history_id


def history_model(object_type: str) -> type[Model]:
    return TRACKED[object_type][0].history.model


def actor_name(change_set: ChangeSet) -> str:
    """The login's full name when it has one (its username otherwise), or the command as recorded."""
    user = change_set.user
    if user is not None and user.get_username() == change_set.actor:
        return user.get_full_name() or change_set.actor
    return change_set.actor


def with_previous(records: QuerySet) -> QuerySet:
    """Annotate each historical row with the id of the same object's version before it (None: the first)."""
    earlier = records.model.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
    return records.annotate(previous_id=Subquery(earlier.order_by("-history_id").values("history_id")[:1]))


def build_entries(records_by_type: dict[str, list]) -> list[Entry]:
    """Entries for historical rows fetched ``with_previous`` and with their change set, newest first."""
    entries = []
    for object_type, records in records_by_type.items():
        model = history_model(object_type)
        wanted = [record.previous_id for record in records if record.history_type == "~" and record.previous_id]
        previous = {row.history_id: row for row in model.objects.filter(history_id__in=wanted)} if wanted else {}
        managers = _managers(records, previous) if object_type == "team" else {}
        fields = [f.attname for f in model.tracked_fields if f.attname not in MACHINE_FIELDS]
        for record in records:
            entry = _entry(object_type, record, fields)
            before = previous.get(record.previous_id)
            if record.history_type == "~" and before is not None:
                entry.changes = {
                    name: (getattr(before, name), value)
                    for name, value in entry.values.items()
                    if getattr(before, name) != value
                }
                if object_type == "team" and managers[before.history_id] != managers[record.history_id]:
                    entry.changes["managers"] = (managers[before.history_id], managers[record.history_id])
            # a change can be undone only with its earlier values kept, and when it changed something
            entry.revertible = revertible(object_type) and (record.history_type != "~" or bool(entry.said_changes))
            entries.append(entry)
    entries.sort(key=order, reverse=True)
    return entries


def _entry(object_type: str, record, fields: list[str]) -> Entry:
    return Entry(
        key=f"{object_type}-{record.history_id}",
        object_type=object_type,
        history_id=record.history_id,
        object_id=record.id,
        change_set=record.change_set,
        actor=actor_name(record.change_set),
        at=record.history_date,
        action=ACTIONS[record.history_type],
        values={name: getattr(record, name) for name in fields},
    )


def _managers(records: list, previous: dict) -> dict[int, list[str]]:
    """Each team version's managers, by historical row id (their usernames, sorted)."""
    through = history_model("team").managers.model
    versions = [record.history_id for record in records] + list(previous)
    found: dict[int, list[str]] = {version: [] for version in versions}
    for version, username in through.objects.filter(history_id__in=versions).values_list(
        "history_id", "user__username"
    ):
        found[version].append(username or "?")
    return {version: sorted(usernames) for version, usernames in found.items()}


class Names:
    """The names the entries speak of (before and after each change), each kind read in one query."""

    def __init__(self, entries: list[Entry]):
        ids: dict[str, set[int]] = defaultdict(set)
        for entry in entries:
            if entry.object_type in ("team", "member", "task", "role"):
                ids[entry.object_type].add(entry.object_id)
            mentioned = [entry.values, *({name: old} for name, (old, _new) in entry.changes.items())]
            for values in mentioned:
                for name, kind in (*REFERENCES.items(), ("assignment_id", "assignment")):
                    if values.get(name) is not None:
                        ids[kind].add(values[name])
        self.assignments = _assignment_parts(ids.pop("assignment", set()))
        for task_id, member_id in self.assignments.values():
            ids["task"].add(task_id)
            ids["member"].add(member_id)
        self.members = _names(TeamMember, "full_name", ids["member"])
        self.tasks = _names(Task, "title", ids["task"])
        self.roles = _names(Role, "name", ids["role"])
        self.teams = _names(Team, "name", ids["team"])

    def member(self, pk) -> str:
        return self.members.get(pk, "?")

    def task(self, pk) -> str:
        return self.tasks.get(pk, "?")

    def of(self, kind: str, pk) -> str:
        return getattr(self, f"{kind}s").get(pk, "?")


def _last_versions(model: type[Model], ids: set[int]) -> QuerySet:
    """The last historical version of each of ``ids`` (rows deleted since): one query, one row each."""
    last = model.history.filter(id__in=ids).values("id").annotate(last=Max("history_id")).values("last")
    return model.history.filter(history_id__in=Subquery(last))


def _names(model: type[Model], attribute: str, ids: set[int]) -> dict[int, str]:
    """Current names, and for a row deleted since, the name its last historical version had."""
    if not ids:
        return {}
    found = dict(model.objects.filter(pk__in=ids).values_list("pk", attribute))
    missing = ids - found.keys()
    if missing:
        found.update(_last_versions(model, missing).values_list("id", attribute))
    return found


def _assignment_parts(ids: set[int]) -> dict[int, tuple[int, int]]:
    """Each assignment's (task id, member id), for the covers of an assignment deleted since too."""
    if not ids:
        return {}
    rows = Assignment.objects.filter(pk__in=ids).values_list("pk", "task_id", "member_id")
    found = {pk: (task, member) for pk, task, member in rows}
    missing = ids - found.keys()
    if missing:
        deleted = _last_versions(Assignment, missing).values_list("id", "task_id", "member_id")
        found.update({pk: (task, member) for pk, task, member in deleted})
    return found
