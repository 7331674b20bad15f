"""Which weekly digests are due, and what each says (docs/rules.md, "Notifications").

A digest is due from Monday 00:00 (``DJANGO_TIME_ZONE``) of each ISO week, for that week, to every active
member with at least one duty or flag in it. Its figures are the engine's, never computed a second way:
``members_report`` runs once per team over the week, with every active member's duties listed (their own,
the ones they cover for someone away, and their own on days away), exactly as My duties reads one member's.

Query contract: one query for the active members (their logins' language preference joined), then per team
the engine's seven plus three (the tasks' channels, the week's time off, the week's covers), whatever the
team's size.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from assignments.calendars import monday_of
from assignments.flags import Flag
from assignments.loads import Occurrence, WeekLoad
from assignments.member_report import members_report
from assignments.models import Cover, Task
from roles.models import Team, TeamMember, TimeOff

WEEK = datetime.timedelta(days=7)


@dataclass(frozen=True)
class Digest:
    """One member's week, ready to be written in their language (``notifications.mail``)."""

    member: TeamMember
    week: datetime.date  # its Monday
    language: str
    duties: list[Occurrence]  # by date, then task title
    load: WeekLoad
    flags: list[Flag]
    time_off: list[TimeOff]  # meeting the week, by start
    covers_given: list[Cover]  # meeting the week, by start
    covers_received: list[Cover]
    channels: dict[int, str]  # task id → channel code ("" when none)

    @property
    def period(self) -> str:
        return week_period(self.week)

    @property
    def recipient(self) -> str:
        return self.member.email


def week_period(monday: datetime.date) -> str:
    """The ISO week a digest is about, its key in the sent log: "2026-W49"."""
    year, week, _weekday = monday.isocalendar()
    return f"{year}-W{week:02d}"


def digest_week(now: datetime.datetime) -> datetime.date:
    """The Monday of the week whose digests are due at ``now`` (its date in ``DJANGO_TIME_ZONE``)."""
    return monday_of(timezone.localtime(now).date())


def language_of(member: TeamMember) -> str:
    """The saved language of the member's login; without a login or a choice, the site's default."""
    try:
        saved = member.user.preferences.language if member.user else ""
    except ObjectDoesNotExist:
        saved = ""
    return saved or settings.LANGUAGE_CODE


def members_by_team(*, excluding: Collection[str] = ()) -> Iterator[list[TeamMember]]:
    """The active members (but those whose email is in ``excluding``), one list per team, in one query."""
    members = (
        TeamMember.objects.filter(is_active=True)
        .exclude(email__in=excluding)
        .select_related("team", "user__preferences")
        .order_by("team_id", "full_name", "email")
    )
    for _team_id, of_team in groupby(members, key=lambda member: member.team_id):
        yield list(of_team)


def team_digests(*, team: Team, members: list[TeamMember], monday: datetime.date) -> list[Digest]:
    """The digests of one team's active ``members`` for the week of ``monday``: one engine run for them all."""
    ids = [member.pk for member in members]
    report = members_report(team=team, member_ids=ids, start=monday, weeks=1, occurrences_of=ids)
    loads = {workload.member.id: workload.weeks[0] for workload in report.workload.members}
    duties = defaultdict(list)
    for occurrence in sorted(report.workload.occurrences, key=lambda o: (o.date, o.task.title, o.task.id)):
        duties[occurrence.member.id].append(occurrence)
        if occurrence.covered_by is not None:
            duties[occurrence.covered_by.id].append(occurrence)
    sunday = monday + WEEK - datetime.timedelta(days=1)
    time_off, given, received = _time_off_and_covers(ids, monday, sunday)
    channels = dict(Task.objects.filter(team=team).values_list("pk", "channel"))
    digests = []
    for member in members:
        flags = report.flags_of(member.pk)
        if member.pk not in loads or not (duties[member.pk] or flags):
            continue  # nothing planned: no digest
        digests.append(
            Digest(
                member=member,
                week=monday,
                language=language_of(member),
                duties=duties[member.pk],
                load=loads[member.pk],
                flags=flags,
                time_off=time_off[member.pk],
                covers_given=given[member.pk],
                covers_received=received[member.pk],
                channels=channels,
            )
        )
    return digests


def _time_off_and_covers(ids: list[int], monday: datetime.date, sunday: datetime.date):
    """The members' time off meeting the week, and the covers of active tasks they give and receive in it."""
    time_off = defaultdict(list)
    for row in TimeOff.objects.filter(member_id__in=ids, start_date__lte=sunday, end_date__gte=monday).order_by(
        "start_date"
    ):
        time_off[row.member_id].append(row)
    given, received = defaultdict(list), defaultdict(list)
    covers = (
        Cover.objects.filter(start_date__lte=sunday, end_date__gte=monday, assignment__task__is_active=True)
        .filter(assignment__member_id__in=ids)
        .select_related("member", "assignment__member", "assignment__task")
        .order_by("start_date", "pk")
    )
    for cover in covers:
        received[cover.assignment.member_id].append(cover)
        given[cover.member_id].append(cover)
    return time_off, given, received
