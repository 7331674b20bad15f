"""A member's page and My duties: roles, tasks, time off, load and flags of one person.

Both run the engine over the one member (``members_report``: their figures and flags exactly as the
team's ``team_report`` gives them, without computing the whole team) (docs/rules.md, "Pages"). An inactive
member is not in the engine's list and gets an empty load.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Prefetch, Q

from assignments.calendars import monday_of
from assignments.flag_lines import FlagLine, flag_lines
from assignments.flags import Flag, FlagKind
from assignments.loads import MemberWorkload, Occurrence, WeekLoad
from assignments.member_report import members_report
from assignments.models import Assignment, Cover
from assignments.report import TeamReport
from roles.models import Responsibility, RoleHolding, TeamMember, TimeOff

from .chart import Chart, workload_chart
from .covers import covers_of
from .overview import OVERVIEW_WEEKS

# The overview's weeks: a flag (and whether its acknowledgement lasts the window) reads the same on the
# member page, the overview and the pages behind the flags, which the member page links to.
MEMBER_WEEKS = OVERVIEW_WEEKS
DUTIES_WEEKS = 4  # My duties: this week and the next three


@dataclass
class HeldRole:
    holding: RoleHolding
    can_end: bool  # still running, or ending after today: a manager may end it (earlier)


@dataclass
class AssignedTask:
    """One of the member's tasks that has not ended, with the dates it is theirs (task and assignment narrowed)."""

    assignment: Assignment  # task and its role selected
    start_date: datetime.date
    end_date: datetime.date | None  # None: open-ended
    upcoming: bool  # starts after today


@dataclass
class MemberPage:
    member: TeamMember
    holdings: list[HeldRole]  # newest first, responsibilities prefetched
    tasks: list[AssignedTask]  # active tasks not ended by today: current ones by title, then upcoming ones by start
    time_off: list[TimeOff]  # newest first
    workload: MemberWorkload
    chart: Chart
    flags: list[Flag]  # the flags that name the member
    flag_lines: list[FlagLine]  # the same, one line per kind (weeks over capacity, days of duties on leave folded)
    dual_role: Flag | None  # their dual_role flag, if raised
    covers_given: list[Cover]  # they do someone's duties (not ended by today), soonest first
    covers_received: list[Cover]  # someone does theirs


@dataclass
class MyDuties:
    page: MemberPage
    # Their duties: their own counted occurrences, those they cover for someone away (``occurrence.member`` is
    # that person), and their own on days away (not counted; ``covered_by`` says who does them, if anyone).
    today: list[Occurrence]  # today's, by task title
    this_week: list[Occurrence]  # this week's (Monday to Sunday), by date then task title
    next_week: list[Occurrence]  # next week's, the same way


def member_page(*, member: TeamMember, today: datetime.date, weeks: int = MEMBER_WEEKS) -> MemberPage:
    """One member's roles, tasks, time off, workload, chart and flags, from the week of ``today``."""
    report = members_report(team=member.team, member_ids={member.pk}, start=today, weeks=weeks)
    return _member_page(member, report, today)


def my_duties(*, member: TeamMember, today: datetime.date, weeks: int = DUTIES_WEEKS) -> MyDuties:
    """The member page's data plus today's, this week's and next week's duties, covers given and received."""
    report = members_report(
        team=member.team, member_ids={member.pk}, start=today, weeks=weeks, occurrences_of=member.pk
    )
    duties = sorted(
        (
            o
            for o in report.workload.occurrences
            if o.member.id == member.pk or (o.covered_by is not None and o.covered_by.id == member.pk)
        ),
        key=lambda occurrence: (occurrence.date, occurrence.task.title),
    )
    monday = monday_of(today)

    def week_of(first_day: datetime.date) -> list[Occurrence]:
        return [duty for duty in duties if first_day <= duty.date <= first_day + datetime.timedelta(days=6)]

    return MyDuties(
        page=_member_page(member, report, today),
        today=[duty for duty in duties if duty.date == today],
        this_week=week_of(monday),
        next_week=week_of(monday + datetime.timedelta(days=7)),
    )


def _member_page(member: TeamMember, report: TeamReport, today: datetime.date) -> MemberPage:
    workload = next((w for w in report.workload.members if w.member.id == member.pk), None)
    if workload is None:  # an inactive member is not in the engine's list: an empty load
        workload = MemberWorkload(
            member=None,
            weeks=[WeekLoad(week, Fraction(0), Fraction(0), Fraction(0)) for week in report.workload.weeks],
            operational_hours=Fraction(0),
            strategic_hours=Fraction(0),
        )
    flags = report.flags_of(member.pk)
    given, received = covers_of(member=member, today=today)
    return MemberPage(
        member=member,
        holdings=[HeldRole(holding, can_end=_can_end(holding, today)) for holding in _holdings(member)],
        tasks=_assigned_tasks(member, today),
        time_off=list(member.time_off.order_by("-start_date")),
        workload=workload,
        chart=workload_chart(workload.weeks),
        flags=flags,
        flag_lines=flag_lines(flags),
        dual_role=next((flag for flag in flags if flag.kind == FlagKind.DUAL_ROLE), None),
        covers_given=given,
        covers_received=received,
    )


def _holdings(member: TeamMember) -> list[RoleHolding]:
    return list(
        member.role_holdings.select_related("role")
        .prefetch_related(Prefetch("role__responsibilities", Responsibility.objects.order_by("position")))
        .order_by("-start_date")
    )


def _assigned_tasks(member: TeamMember, today: datetime.date) -> list[AssignedTask]:
    """The member's active tasks that have not ended by today, whether they end with the task or the assignment."""
    not_ended = (Q(task__end_date__isnull=True) | Q(task__end_date__gte=today)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    rows = []
    for assignment in member.assignments.filter(not_ended, task__is_active=True).select_related("task__role"):
        task = assignment.task
        start = max(task.start_date, assignment.start_date or task.start_date)
        end = min((day for day in (task.end_date, assignment.end_date) if day is not None), default=None)
        rows.append(AssignedTask(assignment, start, end, upcoming=start > today))
    # Current ones by title, then upcoming ones by the day they start.
    return sorted(
        rows, key=lambda row: (row.upcoming, row.start_date if row.upcoming else today, row.assignment.task.title)
    )


def _can_end(holding: RoleHolding, today: datetime.date) -> bool:
    """A holding still running (or ending later) can be ended; one that has ended stays as it is."""
    return holding.end_date is None or holding.end_date >= today
