"""Writing the file's covers: the covers of each assignment the file names are made to match it.

A cover is matched by its substitute and its two dates (it has no other value):
one stored alike is left untouched, so importing the same file again writes
nothing; the stored covers the file no longer lists are deleted, and the ones
it adds are created through ``cover_create``, so that every rule of the
services (the substitute, the archived task, the model's own rules, no overlap)
runs on what is written. The parse already checked the same rules on the file,
so the services refuse nothing there unless something slipped past them; then
every refusal is listed as a ``PlanError`` and the import writes nothing.

Deleting comes first and creating last (after the returning members are back):
a new cover may take the days of one the file drops, or be done by a member
the file brings back. The import's transaction holds the task locks already.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from roles.models import Team, TeamMember

from ..cover_services import cover_create
from ..models import Assignment, Cover
from .reader import PlanError, Reader
from .result import ImportResult
from .rows import AssigneePlan, CoverPlan


class CoverWriter:
    """Replaces the covers of each assignment it is given; ``create_pending`` then creates the new ones."""

    def __init__(self, team: Team, result: ImportResult):
        self.result = result
        self.stored: dict[int, list[Cover]] = {}
        for cover in Cover.objects.filter(assignment__task__team=team):
            self.stored.setdefault(cover.assignment_id, []).append(cover)
        self.pending: list[tuple[Assignment, TeamMember, CoverPlan]] = []

    def replace(self, assignment: Assignment, assignee: AssigneePlan, members: dict[str, TeamMember]) -> None:
        """Delete the stored covers of ``assignment`` the file does not list; keep the missing ones for later."""
        stored = {(c.member_id, c.start_date, c.end_date): c for c in self.stored.get(assignment.pk, [])}
        for cover_plan in assignee.covers:
            member = members[cover_plan.email]
            if stored.pop((member.pk, cover_plan.start_date, cover_plan.end_date), None) is None:
                self.pending.append((assignment, member, cover_plan))
        if stored:
            self.count_deleted(Cover.objects.filter(pk__in=[cover.pk for cover in stored.values()]).delete()[1])

    def count_deleted(self, deleted: dict[str, int]) -> None:
        """Count the covers in the counts of a ``delete()`` (an assignment's covers are deleted with it)."""
        if deleted.get(Cover._meta.label):
            self.result.changes["cover deleted"] += deleted[Cover._meta.label]

    def create_pending(self) -> None:
        """Create the new covers through the services, or raise PlanError listing what they refuse."""
        reader = Reader()
        for assignment, member, cover_plan in self.pending:
            try:
                cover_create(
                    assignment=assignment,
                    member=member,
                    start_date=cover_plan.start_date,
                    end_date=cover_plan.end_date,
                )
            except ValidationError as error:
                _report(reader, cover_plan.path, error)
            else:
                self.result.changes["cover created"] += 1
        if reader.errors:
            raise PlanError(reader.errors)


def _report(reader: Reader, path: str, error: ValidationError) -> None:
    """The services' refusal at the cover's keys; one about the cover as a whole (or its assignment) at its path."""
    items = error.message_dict.items() if hasattr(error, "error_dict") else [(NON_FIELD_ERRORS, error.messages)]
    for name, messages in items:
        target = path if name in (NON_FIELD_ERRORS, "assignment") else f"{path}.{name}"
        reader.error(target, " ".join(messages))
