"""Reading a team's history: the change sets of the activity page, their entries, the API's pages of
entries, the last few changes of one member or task. Every function runs a fixed number of queries,
however long the history: at most one or two per tracked model."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact

from roles.models import Team

from .entries import ACTIONS, RANK, Entry, build_entries, history_model, with_previous
from .models import TRACKED, ChangeSet

# The kinds a team's activity shows (the role catalog is shared by every team: its history is the admin's).
TEAM_KINDS = [kind for kind in TRACKED if kind not in ("role", "responsibility")]
HISTORY_TYPES = {"created": "+", "changed": "~", "deleted": "-"}
# A change set with more entries than this shows as one summed-up line that opens to list them.
FOLD_ABOVE = 4


@dataclass(frozen=True)
class Filters:
    member_id: int | None = None
    task_id: int | None = None
    kind: str | None = None  # one of TEAM_KINDS
    action: str | None = None  # created, changed or deleted
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None  # exclusive

    @property
    def about_rows(self) -> bool:
        return any((self.member_id, self.task_id, self.kind, self.action))


def _accountable_changed(member_id: int) -> Q:
    """The task rows whose Accountable became ``member_id`` or stopped being them: the row's Accountable
    and its version before (none, for a creation) differ in being that member. One condition, so the member
    filter stays one EXISTS / one UNION part per kind; a title changed while they stay accountable is not."""
    tasks = history_model("task").objects
    before = tasks.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by("-history_id")
    # 0 is no member's id: a first version, or one with nobody accountable, was not theirs
    accountable_before = Coalesce(Subquery(before.values("accountable_id")[:1]), 0, output_field=BigIntegerField())
    was_theirs = Q(Exact(accountable_before, member_id))
    return (Q(accountable_id=member_id) & ~was_theirs) | (~Q(accountable_id=member_id) & was_theirs)


def _condition(kind: str, filters: Filters) -> Q | None:
    """Which rows of ``kind`` match the member, task and action filters; None: no row of it can."""
    if filters.kind and kind != filters.kind:
        return None
    condition = Q(history_type=HISTORY_TYPES[filters.action]) if filters.action else Q()
    assignments = history_model("assignment").objects
    if filters.member_id:
        if kind == "member":
            condition &= Q(id=filters.member_id)
        elif kind == "cover":  # the substitute, or the person covered
            of_member = assignments.filter(member_id=filters.member_id).values("id")
            condition &= Q(member_id=filters.member_id) | Q(assignment_id__in=of_member)
        elif kind in ("holding", "time_off", "acknowledgement", "assignment", "involvement"):
            condition &= Q(member_id=filters.member_id)
        elif kind == "task":
            condition &= _accountable_changed(filters.member_id)
        else:
            return None
    if filters.task_id:
        if kind == "task":
            condition &= Q(id=filters.task_id)
        elif kind in ("assignment", "involvement"):
            condition &= Q(task_id=filters.task_id)
        elif kind == "cover":
            condition &= Q(assignment_id__in=assignments.filter(task_id=filters.task_id).values("id"))
        else:
            return None
    return condition


def _matching(filters: Filters) -> dict[str, Q]:
    return {kind: condition for kind in TEAM_KINDS if (condition := _condition(kind, filters)) is not None}


def _team_conditions(team: Team, filters: Filters) -> dict[str, Q]:
    """Each kind's matching rows of the team, written from ``since`` and before ``until``."""
    conditions = {}
    for kind, condition in _matching(filters).items():
        condition &= Q(change_set__team_id=team.pk)
        if filters.since:
            condition &= Q(history_date__gte=filters.since)
        if filters.until:
            condition &= Q(history_date__lt=filters.until)
        conditions[kind] = condition
    return conditions


def team_change_sets(team: Team, filters: Filters) -> QuerySet[ChangeSet]:
    """The team's change sets that hold a matching entry, newest first (for a Paginator)."""
    change_sets = ChangeSet.objects.filter(team_id=team.pk).select_related("user").order_by("-at", "-pk")
    if filters.since:
        change_sets = change_sets.filter(at__gte=filters.since)
    if filters.until:
        change_sets = change_sets.filter(at__lt=filters.until)
    if filters.about_rows:
        holds = Q(pk__in=[])
        for kind, condition in _matching(filters).items():
            holds |= Exists(history_model(kind).objects.filter(condition, change_set_id=OuterRef("pk")))
        change_sets = change_sets.filter(holds)
    return change_sets


@dataclass
class Group:
    """One change set on the activity page: its entries, or (when folded) only how many of each kind."""

    change_set: ChangeSet
    counts: Counter = field(default_factory=Counter)  # (kind, action) -> rows
    entries: list[Entry] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(self.counts.values())

    @property
    def folded(self) -> bool:
        return self.size > FOLD_ABOVE


def groups(change_sets: list[ChangeSet], filters: Filters) -> list[Group]:
    """The page's change sets with their matching entries: one query to count them all, then the
    entries of the unfolded ones (one or two queries per kind they hold)."""
    found = {change_set.pk: Group(change_set) for change_set in change_sets}
    matching = _matching(filters)
    if not found or not matching:
        return list(found.values())
    for row in _counted({kind: condition & Q(change_set_id__in=found) for kind, condition in matching.items()}):
        found[row["change_set_id"]].counts[row["kind"], ACTIONS[row["history_type"]]] += row["rows"]
    unfolded = {pk for pk, group in found.items() if not group.folded}
    present = {kind for pk in unfolded for (kind, _action) in found[pk].counts}
    by_pk = {pk: group.change_set for pk, group in found.items()}
    wanted = {kind: matching[kind] & Q(change_set_id__in=unfolded) for kind in present}
    for entry in entries_where(wanted, change_sets=by_pk):
        found[entry.change_set.pk].entries.append(entry)
    return list(found.values())


def entries_where(
    conditions: dict[str, Q], *, change_sets: dict[int, ChangeSet] | None = None, limit=None
) -> list[Entry]:
    """The rows of each kind that match its condition (the ``limit`` newest of each), as entries, newest
    first; their change sets are ``change_sets`` when the caller has them, read alongside otherwise."""
    records = {}
    for kind, condition in conditions.items():
        rows = with_previous(history_model(kind).objects.filter(condition)).order_by("-history_date", "-history_id")
        if change_sets is None:
            rows = rows.select_related("change_set__user")
        rows = list(rows[:limit] if limit else rows)
        for row in rows if change_sets is not None else ():
            row.change_set = change_sets[row.change_set_id]
        if rows:
            records[kind] = rows
    return build_entries(records)


def _counted(conditions: dict[str, Q]) -> list[dict]:
    """Rows per change set, kind and history type, for every kind at once (one query: a UNION ALL)."""
    counted = [
        history_model(kind)
        .objects.filter(condition)
        .values("change_set_id", "history_type")
        .annotate(rows=Count("history_id"), kind=Value(kind))
        .order_by()  # a historical model orders newest first; no part of a UNION may
        for kind, condition in conditions.items()
    ]
    return list(counted[0].union(*counted[1:], all=True)) if counted else []


class ChangeSetEntries:
    """One change set's matching entries as a sequence a Paginator can page: counted in one query, and a
    page read from the kinds it spans only (kind by kind, in the order of ``TRACKED``)."""

    def __init__(self, change_set: ChangeSet, filters: Filters):
        self.change_set = change_set
        self.conditions = {kind: c & Q(change_set_id=change_set.pk) for kind, c in _matching(filters).items()}
        self._counts: dict[str, int] | None = None

    def counts(self) -> dict[str, int]:
        if self._counts is None:
            self._counts = Counter()
            for row in _counted(self.conditions):
                self._counts[row["kind"]] += row["rows"]
        return self._counts

    def count(self) -> int:
        return sum(self.counts().values())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Entry]:
        records, offset = {}, 0
        for kind in self.conditions:
            rows = self.counts().get(kind, 0)
            low, high = max(window.start - offset, 0), min(window.stop - offset, rows)
            if low < high:
                found = with_previous(history_model(kind).objects.filter(self.conditions[kind]))
                records[kind] = list(found.order_by("history_id")[low:high])
                for record in records[kind]:
                    record.change_set = self.change_set
            offset += rows
        # in the order the pages are sliced: kind by kind, oldest first, as the change set was written
        return sorted(build_entries(records), key=lambda entry: (RANK[entry.object_type], entry.history_id))


def recent(team: Team, filters: Filters, limit: int = 5) -> list[Entry]:
    """The team's ``limit`` newest entries that match (a member's, a task's): the newest rows' ids over
    every kind in one query, then those rows read kind by kind."""
    conditions = _team_conditions(team, filters)
    newest = [
        history_model(kind)
        .objects.filter(condition)
        .values("history_id", "history_date")
        .annotate(kind=Value(kind))
        .order_by()
        for kind, condition in conditions.items()
    ]
    if not newest:
        return []
    ids: dict[str, list[int]] = {}
    for row in newest[0].union(*newest[1:], all=True).order_by("-history_date", "-history_id")[:limit]:
        ids.setdefault(row["kind"], []).append(row["history_id"])
    return entries_where({kind: Q(history_id__in=found) for kind, found in ids.items()})


Position = tuple[datetime.datetime, int, int]  # an entry's place in the newest-first order: (at, kind rank, id)


def entries_after(team: Team, filters: Filters, after: Position | None, limit: int) -> list[Entry]:
    """The API's page: the ``limit`` newest matching entries older than ``after`` (keyset paging: the
    same cost deep in a long history, and rows written meanwhile never shift a page)."""
    conditions = _team_conditions(team, filters)
    if after is not None:
        conditions = {kind: condition & _older_than(kind, after) for kind, condition in conditions.items()}
    return entries_where(conditions, limit=limit)[:limit]


def _older_than(kind: str, position: Position) -> Q:
    at, rank, history_id = position
    if RANK[kind] < rank:
        return Q(history_date__lte=at)
    if RANK[kind] == rank:
        return Q(history_date__lt=at) | Q(history_date=at, history_id__lt=history_id)
    return Q(history_date__lt=at)
