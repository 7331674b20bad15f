"""The "Arrange cover" page: a member's duties on the days they are away, and who could do each.

docs/rules.md, "Covers" and "Pages". The days concerned are one stretch of the member's time off (the one
holding the flag's day, or the one chosen on the member's page). For each of the member's duties that falls
on those days: the days, who covers each already, and the team's members ranked for the remaining days as
the task's suggestions rank them (``TeamSuggester.candidates`` over those days: holds the role, not away,
not over capacity, not becoming dual-role, least busy), each with the hours the cover would move to them.

Query contract (pinned in tests/views/test_query_counts.py): the engine's six queries once, over the weeks
of the days concerned, plus the member's assignments and the covers, whatever the team's size.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Q

from assignments.calendars import monday_of
from assignments.loads import Occurrence, WeekLoad
from assignments.models import Assignment, Cover
from assignments.suggestions import Candidate
from assignments.takeover import TeamSuggester
from assignments.workload import MAX_WEEKS
from roles.models import Team, TeamMember, TimeOff


@dataclass(frozen=True)
class Stretch:
    """The days concerned: one stretch of time off (or one day, when the member is not away then)."""

    first: datetime.date
    last: datetime.date
    time_off: TimeOff | None

    @property
    def weeks(self) -> int:
        """The whole weeks holding it, at most the engine's limit (a longer leave shows its first months)."""
        return min((monday_of(self.last) - monday_of(self.first)).days // 7 + 1, MAX_WEEKS)


@dataclass(frozen=True)
class CoverCandidate:
    """A possible substitute, and the weeks the cover would change for them (their load before → after)."""

    candidate: Candidate
    weeks: list[tuple[WeekLoad, WeekLoad]]


@dataclass(frozen=True)
class CoverDuty:
    """One of the member's duties on their days away, with its covers and who could take the rest."""

    assignment: Assignment
    days: list[Occurrence]  # each occurrence on a day away; ``covered_by`` says who does it
    covers: list[Cover]  # the covers of this assignment that meet the stretch
    candidates: list[CoverCandidate]  # for ``uncovered_first``..``uncovered_last``; empty when all is covered

    @property
    def uncovered(self) -> list[Occurrence]:
        return [day for day in self.days if day.covered_by is None]

    @property
    def uncovered_first(self) -> datetime.date | None:
        return self.uncovered[0].date if self.uncovered else None

    @property
    def uncovered_last(self) -> datetime.date | None:
        return self.uncovered[-1].date if self.uncovered else None

    @property
    def uncovered_hours(self) -> Fraction:
        return sum((day.hours for day in self.uncovered), Fraction(0))


@dataclass(frozen=True)
class CoverPlan:
    member: TeamMember
    stretch: Stretch
    duties: list[CoverDuty]

    @property
    def all_covered(self) -> bool:
        return all(not duty.uncovered for duty in self.duties)


def stretch_of(*, member: TeamMember, day: datetime.date, time_off: TimeOff | None = None) -> Stretch:
    """The member's time off holding ``day`` (or ``time_off`` itself), else just that day."""
    if time_off is None:
        time_off = member.time_off.filter(start_date__lte=day, end_date__gte=day).first()
    if time_off is None:
        return Stretch(day, day, None)
    return Stretch(time_off.start_date, time_off.end_date, time_off)


def cover_plan(*, team: Team, member: TeamMember, stretch: Stretch) -> CoverPlan:
    """The member's duties on the stretch's days away, each with its covers and ranked substitutes."""
    suggester = TeamSuggester.read(team=team, start=stretch.first, weeks=stretch.weeks)
    away = [
        occurrence
        for occurrence in suggester.workload.occurrences
        if occurrence.member.id == member.pk and stretch.first <= occurrence.date <= stretch.last
    ]
    assignments = {
        assignment.task_id: assignment
        for assignment in Assignment.objects.filter(member=member, task__team=team, task__is_active=True)
        .select_related("task__role", "member")
        .order_by("task__title", "task_id")
    }
    covers = list(
        Cover.objects.filter(assignment__member=member, start_date__lte=stretch.last, end_date__gte=stretch.first)
        .select_related("member")
        .order_by("start_date")
    )
    duties = []
    for task_id, assignment in assignments.items():
        days = sorted((day for day in away if day.task.id == task_id), key=lambda day: day.date)
        if not days:
            continue
        duty = CoverDuty(assignment, days, [cover for cover in covers if cover.assignment_id == assignment.pk], [])
        if duty.uncovered:
            ranked = suggester.candidates(
                task_id=task_id,
                share_percent=assignment.share_percent,
                dates=(duty.uncovered_first, duty.uncovered_last),
                excluding={member.pk},
            )
            duty = CoverDuty(duty.assignment, duty.days, duty.covers, [_moved(suggester, each) for each in ranked])
        duties.append(duty)
    return CoverPlan(member, stretch, duties)


def _moved(suggester: TeamSuggester, candidate: Candidate) -> CoverCandidate:
    before = suggester.member_load(candidate.member.id)
    changed = [
        (week, after)
        for week, after in zip(before.weeks, candidate.weeks_after, strict=True)
        if after.total_hours != week.total_hours
    ]
    return CoverCandidate(candidate, changed)


def covers_of(*, member: TeamMember, today: datetime.date) -> tuple[list[Cover], list[Cover]]:
    """The covers a member gives (they substitute) and receives (someone does their duty) that have not
    ended before ``today``, soonest first, in one query: for the member page and My duties. The member's
    assignments are a subquery, not a join, so each side of the OR reads its own index (no scan)."""
    given, received = [], []
    theirs = Assignment.objects.filter(member=member).values("pk")
    found = (
        Cover.objects.filter(Q(member=member) | Q(assignment_id__in=theirs), end_date__gte=today)
        .select_related("member", "assignment__member", "assignment__task")
        .only(*_COVER_LINE_FIELDS)
        .order_by("start_date", "pk")
    )
    for cover in found:
        (given if cover.member_id == member.pk else received).append(cover)
    return given, received


# What a cover's line on those pages says (who, for whom, which task, which days): the pages keep them.
_COVER_LINE_FIELDS = (
    "assignment_id",
    "member_id",
    "start_date",
    "end_date",
    "member__full_name",
    "assignment__member_id",
    "assignment__task_id",
    "assignment__member__full_name",
    "assignment__task__title",
)
