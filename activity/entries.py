"""History read back as entries: one created, changed or deleted row, with each changed field's old and
new value and the names it speaks of.

``build_entries`` turns historical rows (of any tracked model) into ``Entry`` values in a fixed number
of queries, whatever their number: the previous version of every changed row in one query per model
(``with_previous`` annotates its id onto the rows' own query), and the names of the members, tasks,
roles, teams and assignments they mention in one query per kind (current rows first, the last
historical version for a row deleted since).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, OuterRef, QuerySet, Subquery

from assignments.models import Assignment, Task
from roles.models import Role, Team, TeamMember

from .models import TRACKED, ChangeSet
from .reverts import revertible

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
# Written by the machine on every save: never a change anyone made.
NOT_CHANGES = {"created_at", "updated_at"}
# Rows written at the same instant are ordered by kind, then id: one total order, for the API's pages.
RANK = {object_type: rank for rank, object_type in enumerate(TRACKED)}


@dataclass
class Entry:
    key: str  # "assignment-12": the object type and the historical row's id
    object_type: str
    history_id: int
    object_id: int
    change_set: ChangeSet
    at: datetime.datetime
    action: str  # created, changed or deleted
    values: dict[str, Any]  # the row's fields after the change (before it, for a deletion)
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field -> (old, new), raw values
    revertible: bool = False


def order(entry: Entry) -> tuple:
    return entry.at, RANK[entry.object_type], entry.history_id


def history_model(object_type: str) -> type[Model]:
    return TRACKED[object_type][0].history.model


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
        fields = [f.attname for f in model.tracked_fields if f.attname not in NOT_CHANGES]
        for record in records:
            values = {name: getattr(record, name) for name in fields}
            entry = Entry(
                key=f"{object_type}-{record.history_id}",
                object_type=object_type,
                history_id=record.history_id,
                object_id=record.id,
                change_set=record.change_set,
                at=record.history_date,
                action=ACTIONS[record.history_type],
                values=values,
                revertible=revertible(object_type, record),
            )
            before = previous.get(record.previous_id)
            if record.history_type == "~" and before is not None:
                entry.changes = {
                    name: (getattr(before, name), value)
                    for name, value in values.items()
                    if getattr(before, name) != value
                }
            elif record.history_type == "~":
                entry.revertible = False  # its earlier values are pruned: nothing to go back to
            entries.append(entry)
    entries.sort(key=order, reverse=True)
    return entries


class Names:
    """The names the entries speak of, each kind read in one query."""

    def __init__(self, entries: list[Entry]):
        ids: dict[str, set[int]] = defaultdict(set)
        for entry in entries:
            values, own = entry.values, {"team": "team", "member": "member", "task": "task", "role": "role"}
            if entry.object_type in own:
                ids[own[entry.object_type]].add(entry.object_id)
            for name, kind in (("member_id", "member"), ("task_id", "task"), ("role_id", "role"), ("team_id", "team")):
                if values.get(name) is not None:
                    ids[kind].add(values[name])
            if values.get("assignment_id") is not None:
                ids["assignment"].add(values["assignment_id"])
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


def _names(model: type[Model], attribute: str, ids: set[int]) -> dict[int, str]:
    """Current names, and for a row deleted since, the name its last historical version had."""
    if not ids:
        return {}
    found = dict(model.objects.filter(pk__in=ids).values_list("pk", attribute))
    missing = ids - found.keys()
    if missing:
        latest = model.history.filter(id__in=missing).order_by("id", "-history_id").values_list("id", attribute)
        for pk, name in latest:
            found.setdefault(pk, name)
    return found


def _assignment_parts(ids: set[int]) -> dict[int, tuple[int, int]]:
    """Each assignment's (task id, member id), for the covers of an assignment deleted since too."""
    if not ids:
        return {}
    found = {
        pk: (task, member)
        for pk, task, member in Assignment.objects.filter(pk__in=ids).values_list("pk", "task_id", "member_id")
    }
    missing = ids - found.keys()
    if missing:
        rows = Assignment.history.filter(id__in=missing).order_by("id", "-history_id")
        for pk, task, member in rows.values_list("id", "task_id", "member_id"):
            found.setdefault(pk, (task, member))
    return found
