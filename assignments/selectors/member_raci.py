"""What a member answers for (docs/rules.md, "RACI"): the tasks they are Accountable for, Consulted on and
Informed of, on their page and on My duties. (The tasks they are Responsible for are their tasks.)

The team's active tasks that have not ended by today, as the member's task table lists them: an archived
or ended task is not listed. One query for the three lists whatever their length; the member page keeps
them with its other rows under the team's plan revision, which every write to a task's letters renews.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import F, FilteredRelation, Q
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assignments.models import Task, TaskInvolvement
from roles.models import TeamMember

from .task_words import cadence_in, dates_in


@dataclass
class NamedTask:
    """A task the member has a letter on (role selected); ``upcoming``: it starts after today."""

    task: Task
    upcoming: bool

    @property
    def item_html(self) -> SafeString:
        """Its line of the list, in the active language (the rows are cached; their words are not): written
        here, as the task table's rows are, so a long list costs no template tags per task."""
        task, language = self.task, get_language()
        upcoming = format_html(' <span class="tag">{}</span>', _("upcoming")) if self.upcoming else ""
        return format_html(
            '<li class="role-item"><strong><span class="focus-dot focus-dot--{}" aria-hidden="true"></span>{}'
            '</strong>{}<br><span class="muted small">{} · {} · {}</span></li>',
            task.role.focus,
            task.title,
            upcoming,
            task.role.name,
            cadence_in(language, task.cadence, task.effort_hours),
            dates_in(language, task.start_date, task.end_date),
        )


@dataclass
class MemberRaci:
    """The three lists, each current tasks by title, then upcoming ones by the day they start."""

    accountable: list[NamedTask] = field(default_factory=list)
    consulted: list[NamedTask] = field(default_factory=list)
    informed: list[NamedTask] = field(default_factory=list)

    @property
    def lists(self) -> list[tuple[str, list[NamedTask]]]:
        """The lists that hold a task, each with its heading in the active language."""
        headings = (_("Accountable for"), _("Consulted on"), _("Informed of"))
        return [(heading, tasks) for heading, tasks in zip(headings, self.all_lists, strict=True) if tasks]

    @property
    def all_lists(self) -> tuple[list[NamedTask], ...]:
        return self.accountable, self.consulted, self.informed

    def __bool__(self) -> bool:
        return any(self.all_lists)


def member_raci(*, member: TeamMember, today: datetime.date) -> MemberRaci:
    """The team's active tasks not ended by today that name ``member`` Accountable, Consulted or Informed."""
    mine = FilteredRelation("involvements", condition=Q(involvements__member=member))
    tasks = (
        Task.objects.filter(team_id=member.team_id, is_active=True)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .annotate(mine=mine, my_kind=F("mine__kind"))  # a member's one involvement on a task: one row a task
        .filter(Q(accountable=member) | Q(my_kind__isnull=False))
        .select_related("role")
    )
    raci = MemberRaci()
    rows = sorted(tasks, key=lambda task: (task.start_date > today, max(task.start_date, today), task.title))
    for task in rows:
        named = NamedTask(task, upcoming=task.start_date > today)
        # each letter the task gives them (the services give one; the lists show what is stored)
        if task.accountable_id == member.pk:
            raci.accountable.append(named)
        if task.my_kind == TaskInvolvement.Kind.CONSULTED:
            raci.consulted.append(named)
        elif task.my_kind == TaskInvolvement.Kind.INFORMED:
            raci.informed.append(named)
    return raci
