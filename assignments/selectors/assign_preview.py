"""Before an assignment is saved: who should take a task, and what one change would do.

docs/rules.md, "Suggestions" and "Preview". The figures come from ``assignments.suggestions`` and
``assignments.preview`` (no second implementation of the arithmetic); this module picks the board's
window (the weeks of its load panel) for the suggestions, and is the one home of the preview for
people (``preview_panel``), on the board and behind the flags (``views/fix.py``): each changed
person's weeks before and after, and the flags raised and cleared as lines, the dual role said plainly.
``assignment_preview`` and ``move_preview`` build the change list in the window they are given.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from assignments.flag_lines import flag_lines
from assignments.flags import DualRoleFlag, Flag
from assignments.loads import TeamWorkload, WeekLoad
from assignments.models import Assignment, Task
from assignments.preview import Change, Preview, identity, preview
from assignments.suggestions import Suggestions, task_suggestions
from assignments.workload_rows import MemberInfo
from roles.models import Team, TeamMember

from .board import BOARD_LOAD_WEEKS

SUGGESTIONS_SHOWN = 8  # the best this many; "Show everyone" lists the rest (a team may have hundreds)


@dataclass(frozen=True)
class WeekChange:
    """One week of one person, before and after."""

    before: WeekLoad
    after: WeekLoad

    @property
    def week(self) -> datetime.date:
        return self.after.week

    @property
    def changed(self) -> bool:
        return figures(self.before) != figures(self.after)


@dataclass(frozen=True)
class MemberChange:
    member: MemberInfo
    weeks: list[WeekChange]


@dataclass(frozen=True)
class PreviewPanel:
    """What a change list would do, as the board says it."""

    members: list[MemberChange]  # the people whose figures change, by name
    dual_roles: list[str]  # the dual roles it would raise, each said plainly
    raised: list[str]  # the other flags it would raise, one line each (as flag_lines folds them)
    cleared: list[str]  # the flags it would clear, as they were

    @property
    def changes_flags(self) -> bool:
        return bool(self.dual_roles or self.raised or self.cleared)


@dataclass(frozen=True)
class ShownSuggestions:
    """The ranked candidates of a task, the first ``SUGGESTIONS_SHOWN`` of them unless all are asked for."""

    suggestions: Suggestions
    show_all: bool

    @property
    def candidates(self):
        found = self.suggestions.candidates
        return found if self.show_all else found[:SUGGESTIONS_SHOWN]

    @property
    def hidden(self) -> int:
        return len(self.suggestions.candidates) - len(self.candidates)


def figures(week: WeekLoad) -> tuple:
    return (week.operational_hours, week.strategic_hours, week.capacity_hours)


def board_suggestions(
    *,
    task: Task,
    today: datetime.date,
    share_percent: int | None = None,
    show_all: bool = False,
    chosen_member_id: int | None = None,
) -> ShownSuggestions:
    """The people ranked for taking ``share_percent`` of ``task`` (default: what is left), in the load panel's
    weeks. All of them when asked, or when the chosen person is not among the first ``SUGGESTIONS_SHOWN``."""
    found = task_suggestions(task=task, start=today, weeks=BOARD_LOAD_WEEKS, share_percent=share_percent)
    first = {candidate.member.id for candidate in found.candidates[:SUGGESTIONS_SHOWN]}
    return ShownSuggestions(found, show_all or (chosen_member_id is not None and chosen_member_id not in first))


def assignment_preview(
    *, team: Team, task: Task, member: TeamMember, share_percent: int, start: datetime.date, weeks: int
) -> PreviewPanel:
    """What assigning ``member`` to ``task`` at ``share_percent`` would change in the ``weeks`` from ``start``.

    Raises ``PreviewError`` when the assignment breaks a rule (each error names its field). Writes nothing.
    """
    change = Change("assign", task.pk, member.email.lower(), share_percent)
    return preview_panel(preview(team=team, start=start, weeks=weeks, changes=[change]))


def move_preview(
    *, team: Team, assignment: Assignment, to_member: TeamMember, start: datetime.date, weeks: int
) -> PreviewPanel:
    """What handing ``assignment`` to ``to_member`` at the same share would change; PreviewError if refused."""
    changes = [
        Change("unassign", assignment.task_id, assignment.member.email.lower()),
        Change(
            "assign",
            assignment.task_id,
            to_member.email.lower(),
            assignment.share_percent,
            assignment.start_date,
            assignment.end_date,
        ),
    ]
    return preview_panel(preview(team=team, start=start, weeks=weeks, changes=changes))


def _changed_members(before: TeamWorkload, after: TeamWorkload) -> list[MemberChange]:
    weeks_before = {load.member.id: load.weeks for load in before.members}
    changed = []
    for load in sorted(after.members, key=lambda load: (load.member.name, load.member.email)):
        weeks = [WeekChange(old, new) for old, new in zip(weeks_before[load.member.id], load.weeks, strict=True)]
        if any(week.changed for week in weeks):
            changed.append(MemberChange(load.member, weeks))
    return changed


def _dual_role_line(flag: DualRoleFlag) -> str:
    text = _("%(name)s would then cover both operational and strategic roles.") % {"name": flag.member.name}
    return f"{text} {_('Acknowledged by a manager.')}" if flag.acknowledged else text


def preview_panel(result: Preview) -> PreviewPanel:
    """The preview for people: a flag's identity (its kind and what it is about) says whether it is new or gone."""
    before_ids = {identity(flag.as_json()) for flag in result.flags_before}
    after_ids = {identity(flag.as_json()) for flag in result.flags_after}
    raised: list[Flag] = [flag for flag in result.flags_after if identity(flag.as_json()) not in before_ids]
    cleared: list[Flag] = [flag for flag in result.flags_before if identity(flag.as_json()) not in after_ids]
    return PreviewPanel(
        members=_changed_members(result.before, result.after),
        dual_roles=[_dual_role_line(flag) for flag in raised if isinstance(flag, DualRoleFlag)],
        raised=[line.sentence for line in flag_lines(flag for flag in raised if not isinstance(flag, DualRoleFlag))],
        cleared=[line.sentence for line in flag_lines(cleared)],
    )
