"""Which assignment notices are due, and what each lists (docs/rules.md, "Notifications").

A notice tells a member what changed for them in the plan's history since the previous run: an assignment
given to them or taken away, their share of one changed, or a cover naming them as the substitute. The
changes are the historical rows (``Assignment.history``, ``Cover.history``) of the change sets after the
mark (``NoticeMark``) up to the last one recorded at ``--now``: one message per member per run, listing
them all. The sent-log key of a notice is that range of change sets ("changes 41-57"), so a failed notice
is computed again from the same range by the next run and sent on the same row.

Query contract: per range, two queries per tracked model (the rows and the versions before the changes),
one for the tasks, one for the covered assignments and one for the members, whatever the number of changes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from activity.entries import with_previous
from activity.models import ChangeSet
from assignments.models import Assignment, Cover, Task
from roles.models import TeamMember

from .digests import language_of


class ChangeKind:
    ASSIGNED = "assigned"
    UNASSIGNED = "unassigned"
    SHARE = "share"
    COVER = "cover"


@dataclass(frozen=True)
class Change:
    """One change for one member, said in their language when written (``notifications.mail``)."""

    kind: str
    at: object  # when it was recorded: the notice lists its changes in that order
    history_id: int
    task: str  # the task's title
    share: int | None = None  # the new share (assigned, share)
    old_share: int | None = None  # share
    covered: str = ""  # cover: whom they stand in for
    start: object = None  # cover: its dates
    end: object = None


@dataclass
class Notice:
    member: TeamMember
    language: str
    period: str
    changes: list[Change] = field(default_factory=list)

    @property
    def recipient(self) -> str:
        return self.member.email


PERIOD = re.compile(r"^changes (\d+)-(\d+)$")


def notice_period(after: int, last: int) -> str:
    """The change sets a notice covers, its key in the sent log: "changes 41-57" (both ends included)."""
    return f"changes {after + 1}-{last}"


def period_range(period: str) -> tuple[int, int] | None:
    """(after, last) of a notice's period, None for anything else."""
    match = PERIOD.match(period)
    return (int(match[1]) - 1, int(match[2])) if match else None


def last_change_set(now) -> int:
    """The newest change set recorded at ``now`` (0: none)."""
    return ChangeSet.objects.filter(at__lte=now).order_by("-pk").values_list("pk", flat=True).first() or 0


def notices_between(*, after: int, last: int, recipients: Collection[str] | None = None) -> list[Notice]:
    """The notices for the change sets after ``after`` up to ``last`` (only to ``recipients`` when given)."""
    changes = _assignment_changes(after, last)
    for member_id, change in _cover_changes(after, last):
        changes[member_id].append(change)
    if not changes:
        return []
    members = TeamMember.objects.filter(pk__in=changes, is_active=True).exclude(email="")
    if recipients is not None:
        members = members.filter(email__in=recipients)
    period = notice_period(after, last)
    notices = [
        Notice(member, language_of(member), period, sorted(changes[member.pk], key=_in_order))
        for member in members.select_related("user__preferences").order_by("email", "pk")
    ]
    by_email = {}  # one message per address, should two member rows share one
    for notice in notices:
        if notice.recipient in by_email:
            by_email[notice.recipient].changes.extend(notice.changes)
        else:
            by_email[notice.recipient] = notice
    return list(by_email.values())


def _in_order(change: Change) -> tuple:
    return (change.at, change.history_id)


def _records(model, after: int, last: int) -> tuple[list, dict]:
    """The model's historical rows in the range, oldest first, and the versions before its changes."""
    history = model.history.model
    records = list(
        with_previous(history.objects.filter(change_set_id__gt=after, change_set_id__lte=last)).order_by("history_id")
    )
    wanted = [record.previous_id for record in records if record.history_type == "~" and record.previous_id]
    previous = {row.history_id: row for row in history.objects.filter(history_id__in=wanted)} if wanted else {}
    return records, previous


def _task_titles(task_ids: Collection[int]) -> dict[int, str]:
    return dict(Task.objects.filter(pk__in=task_ids).values_list("pk", "title")) if task_ids else {}


def _assignment_changes(after: int, last: int) -> dict[int, list[Change]]:
    records, previous = _records(Assignment, after, last)
    titles = _task_titles({record.task_id for record in records} | {row.task_id for row in previous.values()})
    changes: dict[int, list[Change]] = defaultdict(list)
    for record in records:
        before = previous.get(record.previous_id) if record.history_type == "~" else None
        said = {"at": record.history_date, "history_id": record.history_id, "task": titles.get(record.task_id, "—")}
        assigned = Change(ChangeKind.ASSIGNED, share=record.share_percent, **said)
        if record.history_type == "+":
            changes[record.member_id].append(assigned)
        elif record.history_type == "-":
            changes[record.member_id].append(Change(ChangeKind.UNASSIGNED, **said))
        elif before is not None and before.member_id != record.member_id:  # handed from one to another
            said_before = said | {"task": titles.get(before.task_id, "—")}
            changes[before.member_id].append(Change(ChangeKind.UNASSIGNED, **said_before))
            changes[record.member_id].append(assigned)
        elif before is not None and before.share_percent != record.share_percent:
            share = Change(ChangeKind.SHARE, share=record.share_percent, old_share=before.share_percent, **said)
            changes[record.member_id].append(share)
    return changes


def _cover_changes(after: int, last: int) -> list[tuple[int, Change]]:
    """A cover created, or handed to another substitute: the substitute is named."""
    records, previous = _records(Cover, after, last)

    def names_someone(record) -> bool:
        before = previous.get(record.previous_id)
        handed = record.history_type == "~" and getattr(before, "member_id", None) != record.member_id
        return record.history_type == "+" or handed

    named = [record for record in records if names_someone(record)]
    if not named:
        return []
    assignments = Assignment.objects.filter(pk__in={record.assignment_id for record in named}).select_related(
        "task", "member"
    )
    covered = {assignment.pk: assignment for assignment in assignments}
    found = []
    for record in named:
        assignment = covered.get(record.assignment_id)
        if assignment is None:  # removed since: nothing left to cover
            continue
        change = Change(
            ChangeKind.COVER,
            record.history_date,
            record.history_id,
            assignment.task.title,
            covered=assignment.member.full_name,
            start=record.start_date,
            end=record.end_date,
        )
        found.append((record.member_id, change))
    return found
