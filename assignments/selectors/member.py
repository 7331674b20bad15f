"""A member's page and My duties: roles, tasks, time off, load and flags of one person.

Both run the engine over the one member (``members_report``: their figures and flags exactly as the
team's ``team_report`` gives them, without computing the whole team) (docs/rules.md, "Pages"). An inactive
member is not in the engine's list and gets an empty load. What they read of the plan is kept under the
team's plan revision (``plan_cache``), so a second look runs no engine and is never stale.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.utils.dates import MONTHS_3
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assignments.calendars import monday_of
from assignments.flag_lines import FlagLine, flag_lines
from assignments.flags import Flag, FlagKind
from assignments.loads import MemberWorkload, Occurrence, WeekLoad
from assignments.member_report import members_report
from assignments.models import Cover
from assignments.plan_cache import cached
from roles.models import Responsibility, RoleHolding, TeamMember, TimeOff

from .chart import Chart, workload_chart
from .covers import covers_of
from .member_raci import MemberRaci, member_raci
from .overview import OVERVIEW_WEEKS
from .task_words import cadence_in, dates_in, short_date

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
    """One of the member's tasks that has not ended, with the dates it is theirs (task and assignment narrowed).

    Plain values, no model instances: the rows are kept in the plan's cache, and a long list of instances
    costs more to read back than to query."""

    title: str
    focus: str
    role: str
    cadence: str
    effort_hours: Decimal
    share_percent: int
    start_date: datetime.date
    end_date: datetime.date | None  # None: open-ended
    upcoming: bool  # starts after today

    @property
    def line(self) -> TaskLine:
        """The row's words, in the active language (the rows are cached; their words are not)."""
        language = get_language()
        return TaskLine(
            focus=self.focus,
            title=self.title,
            role=self.role,
            cadence=cadence_in(language, self.cadence, self.effort_hours),
            dates=dates_in(language, self.start_date, self.end_date),
            upcoming=self.upcoming,
            share=self.share_percent,
        )


@dataclass(frozen=True)
class TaskLine:
    """One row of a member's task table, its words ready: "Daily, 2.00 h", "7 Dec 2026 – 29 Jan 2027"."""

    focus: str
    title: str
    role: str
    cadence: str
    dates: str
    upcoming: bool
    share: int

    def row_html(self) -> SafeString:
        """Its row of the table, written here: a template's tags would cost most of a long table."""
        upcoming = format_html(' <span class="tag">{}</span>', _("upcoming")) if self.upcoming else ""
        return format_html(
            '<tr><th scope="row"><span class="focus-dot focus-dot--{}" aria-hidden="true"></span>{}</th>'
            '<td>{}</td><td>{}</td><td class="task-dates">{}{}</td><td class="number">{} %</td></tr>',
            self.focus,
            self.title,
            self.role,
            self.cadence,
            self.dates,
            upcoming,
            self.share,
        )


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
    raci: MemberRaci  # the tasks they are Accountable for, Consulted on, Informed of

    @property
    def chart_shapes(self) -> str:
        """The chart's grid lines and bars as SVG elements: the template writes the rest of the chart and its
        table. Written here, unlocalized (SVG coordinates), because a template's tags cost most of the page."""
        chart = self.chart
        parts = [
            f'<line class="grid" x1="{chart.left}" x2="{chart.width}" y1="{line.y}" y2="{line.y}"></line>'
            f'<text class="axis-label" x="{chart.left - 6:.1f}" y="{line.y}" text-anchor="end"'
            f' dominant-baseline="middle">{escape(line.label)}</text>'
            for line in chart.gridlines
        ]
        for bar in chart.bars:
            parts.append(
                f'<rect class="bar-operational" x="{bar.x}" y="{bar.operational_y}" width="{bar.width}"'
                f' height="{bar.operational_height}"></rect>'
                f'<rect class="bar-strategic" x="{bar.x}" y="{bar.strategic_y}" width="{bar.width}"'
                f' height="{bar.strategic_height}"></rect>'
                f'<line class="capacity" x1="{bar.x}" x2="{bar.x + bar.width:.1f}" y1="{bar.capacity_y}"'
                f' y2="{bar.capacity_y}"></line>'
                f'<text class="axis-label" x="{bar.x + bar.half_width:.1f}" y="{chart.height - 6}"'
                f' text-anchor="middle">{escape(f"{bar.load.week.day} {MONTHS_3[bar.load.week.month].title()}")}</text>'
            )
        return mark_safe("\n".join(parts))  # numbers, and the labels escaped

    @property
    def cover_lines(self) -> list[str]:
        return cover_lines(self.covers_given, self.covers_received)


def cover_lines(given: list[Cover], received: list[Cover]) -> list[str]:
    """The covers given, then those received, each as a sentence in the active language (the member page,
    My duties and the weekly digest)."""
    lines = []
    for cover, is_received in [(c, False) for c in given] + [(c, True) for c in received]:
        values = {
            "task": cover.assignment.task.title,
            "name": (cover.member if is_received else cover.assignment.member).full_name,
            "day": short_date(cover.start_date),
            "first": f"{cover.start_date.day} {MONTHS_3[cover.start_date.month].title()}",
            "last": short_date(cover.end_date),
        }
        one_day = cover.start_date == cover.end_date
        lines.append(_COVER_SENTENCES[is_received, one_day]() % values)
    return lines


_COVER_SENTENCES = {
    (False, True): lambda: _("%(task)s for %(name)s, on %(day)s"),
    (False, False): lambda: _("%(task)s for %(name)s, from %(first)s to %(last)s"),
    (True, True): lambda: _("%(name)s covers %(task)s, on %(day)s"),
    (True, False): lambda: _("%(name)s covers %(task)s, from %(first)s to %(last)s"),
}


@dataclass
class MyDuties:
    page: MemberPage
    # Their duties: their own counted occurrences, those they cover for someone away (``occurrence.member`` is
    # that person), and their own on days away (not counted; ``covered_by`` says who does them, if anyone).
    today: list[Occurrence]  # today's, by task title
    this_week: list[Occurrence]  # this week's (Monday to Sunday), by date then task title
    next_week: list[Occurrence]  # next week's, the same way


@dataclass
class _MemberRows:
    """What the pages read of the plan, kept under the team's plan revision (``plan_cache``): everything
    but the roles' responsibilities (not part of the plan) and what is written in the reader's language."""

    holdings: list[RoleHolding]  # role selected, responsibilities not
    tasks: list[AssignedTask]
    time_off: list[TimeOff]
    workload: MemberWorkload
    flags: list[Flag]
    covers_given: list[Cover]
    covers_received: list[Cover]
    duties: list[Occurrence]  # My duties: their own, and those they cover (by date, then task title)
    raci: MemberRaci


def member_page(*, member: TeamMember, today: datetime.date, weeks: int = MEMBER_WEEKS) -> MemberPage:
    """One member's roles, tasks, time off, workload, chart and flags, from the week of ``today``."""
    return _member_page(member, _rows(member, today, weeks, None), today)


def my_duties(*, member: TeamMember, today: datetime.date, weeks: int = DUTIES_WEEKS) -> MyDuties:
    """The member page's data plus today's, this week's and next week's duties, covers given and received."""
    rows = _rows(member, today, weeks, member.pk)
    monday = monday_of(today)

    def week_of(first_day: datetime.date) -> list[Occurrence]:
        return [duty for duty in rows.duties if first_day <= duty.date <= first_day + datetime.timedelta(days=6)]

    return MyDuties(
        page=_member_page(member, rows, today),
        today=[duty for duty in rows.duties if duty.date == today],
        this_week=week_of(monday),
        next_week=week_of(monday + datetime.timedelta(days=7)),
    )


def _rows(member: TeamMember, today: datetime.date, weeks: int, occurrences_of: int | None) -> _MemberRows:
    # "3": the rows' shape (tasks as plain values); a shared cache (Redis) never hands a new process an older one
    parts = ("member_rows", 3, today, weeks, member.pk, occurrences_of)
    return cached(member.team, parts, lambda: _computed_rows(member, today, weeks, occurrences_of))


def _computed_rows(member: TeamMember, today: datetime.date, weeks: int, occurrences_of: int | None) -> _MemberRows:
    report = members_report(
        team=member.team, member_ids={member.pk}, start=today, weeks=weeks, occurrences_of=occurrences_of
    )
    workload = next((w for w in report.workload.members if w.member.id == member.pk), None)
    if workload is None:  # an inactive member is not in the engine's list: an empty load
        workload = MemberWorkload(
            member=None,
            weeks=[WeekLoad(week, Fraction(0), Fraction(0), Fraction(0)) for week in report.workload.weeks],
            operational_hours=Fraction(0),
            strategic_hours=Fraction(0),
        )
    duties = []
    if occurrences_of is not None:
        duties = sorted(
            (
                o
                for o in report.workload.occurrences
                if o.member.id == member.pk or (o.covered_by is not None and o.covered_by.id == member.pk)
            ),
            key=lambda occurrence: (occurrence.date, occurrence.task.title),
        )
    given, received = covers_of(member=member, today=today)
    return _MemberRows(
        holdings=list(member.role_holdings.select_related("role").order_by("-start_date")),
        tasks=_assigned_tasks(member, today),
        time_off=list(member.time_off.order_by("-start_date")),
        workload=workload,
        flags=report.flags_of(member.pk),
        covers_given=given,
        covers_received=received,
        duties=duties,
        raci=member_raci(member=member, today=today),
    )


def _member_page(member: TeamMember, rows: _MemberRows, today: datetime.date) -> MemberPage:
    """The cached rows with the roles' responsibilities read now, and the chart and flag lines to write."""
    _with_responsibilities(rows.holdings)
    flags = rows.flags
    return MemberPage(
        member=member,
        holdings=[HeldRole(holding, can_end=_can_end(holding, today)) for holding in rows.holdings],
        tasks=rows.tasks,
        time_off=rows.time_off,
        workload=rows.workload,
        chart=workload_chart(rows.workload.weeks),
        flags=flags,
        flag_lines=flag_lines(flags),
        dual_role=next((flag for flag in flags if flag.kind == FlagKind.DUAL_ROLE), None),
        covers_given=rows.covers_given,
        covers_received=rows.covers_received,
        raci=rows.raci,
    )


def _with_responsibilities(holdings: list[RoleHolding]) -> None:
    """Each holding's role with its responsibilities (in order), in one query whatever their number."""
    ordered = Prefetch("responsibilities", Responsibility.objects.order_by("position"))
    prefetch_related_objects([holding.role for holding in holdings], ordered)


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
        role = task.role
        rows.append(
            AssignedTask(
                task.title,
                role.focus,
                role.name,
                task.cadence,
                task.effort_hours,
                assignment.share_percent,
                start,
                end,
                upcoming=start > today,
            )
        )
    # Current ones by title, then upcoming ones by the day they start.
    return sorted(rows, key=lambda row: (row.upcoming, row.start_date if row.upcoming else today, row.title))


def _can_end(holding: RoleHolding, today: datetime.date) -> bool:
    """A holding still running (or ending later) can be ended; one that has ended stays as it is."""
    return holding.end_date is None or holding.end_date >= today
