"""The teams index: every team a person manages (staff: every team) at a glance, linking to its overview.

Each team is read with one run of the engine (``team_report``) over the overview's own window (this
week and the next ``OVERVIEW_WEEKS`` - 1), so the index's figures are the ones its link opens: the
active members (the engine lists every active member), this week's team load, and the flags counted
by kind as the overview lists them (in lines: a person's weeks over capacity are one).

Query contract (pinned in tests/views/test_query_counts.py): one query for the teams, then the
engine's six per team, whatever each team's size: ``1 + 6 × teams``. The engine reads one team at a
time by design (docs/benchmarks.md); a person manages a handful of teams, not hundreds.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from assignments.calendars import monday_of
from assignments.loads import WeekLoad
from assignments.report import team_report
from roles.models import Team
from roles.permissions import managed_teams

from .overview import OVERVIEW_WEEKS, group_flags


@dataclass(frozen=True)
class FlagCount:
    kind: str
    title: str
    count: int  # lines, as the overview counts them


@dataclass(frozen=True)
class TeamSummary:
    team: Team
    active_members: int
    this_week: WeekLoad  # the team's total: hours, capacity, utilization, band
    flag_counts: list[FlagCount]  # in the overview's reading order; kinds without a flag left out


@dataclass(frozen=True)
class TeamsIndex:
    teams: list[TeamSummary]
    this_week: datetime.date
    weeks: int  # the window the flags are counted over (the overview's)


def team_summary(*, team: Team, start: datetime.date) -> TeamSummary:
    """One team's line of the index: one engine run (six queries)."""
    report = team_report(team=team, start=start, weeks=OVERVIEW_WEEKS)
    return TeamSummary(
        team=team,
        active_members=len(report.workload.members),
        this_week=report.workload.totals[0],
        flag_counts=[FlagCount(group.kind, group.title, group.total) for group in group_flags(report.flags)],
    )


def teams_index(*, user: AbstractBaseUser, today: datetime.date) -> TeamsIndex:
    """The teams ``user`` manages (staff: all), by name, each summed up from this week on."""
    start = monday_of(today)
    teams = managed_teams(user=user).order_by("name", "slug")
    return TeamsIndex(
        teams=[team_summary(team=team, start=start) for team in teams],
        this_week=start,
        weeks=OVERVIEW_WEEKS,
    )
