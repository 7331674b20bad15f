"""The one place where the engine's numbers and its flags meet.

``team_report`` runs the workload engine and computes the flags from its
result; the pages, the API and the ``workload`` command all read a team
through it, so they show the same figures and the same flags. It keeps each
report in the cache under the team's plan revision (``plan_cache``), so a
report read from the cache is the one the engine would compute now.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from roles.models import Team

from .calendars import monday_of
from .flags import Flag, team_flags
from .loads import TeamWorkload
from .plan_cache import cached
from .workload import cyclic_gc_paused, team_workload


@dataclass(frozen=True)
class TeamReport:
    workload: TeamWorkload
    flags: list[Flag]

    def flags_of(self, member_id: int) -> list[Flag]:
        """The flags about one member (dual role, squeezed, over capacity, single holder, duties)."""
        return [flag for flag in self.flags if getattr(getattr(flag, "member", None), "id", None) == member_id]


def team_report(*, team: Team, start: datetime.date, weeks: int, occurrences_of: int | None = None) -> TeamReport:
    """Workload and flags of ``team`` for ``weeks`` ISO weeks from the week holding ``start``."""
    monday = monday_of(start)
    report = cached(
        team, ("team_report", monday, weeks, occurrences_of), lambda: _computed(team, monday, weeks, occurrences_of)
    )
    # A cached report may carry the team as it was named then: it carries the caller's.
    return report if report.workload.team is team else replace(report, workload=replace(report.workload, team=team))


def _computed(team: Team, start: datetime.date, weeks: int, occurrences_of: int | None) -> TeamReport:
    with cyclic_gc_paused():  # the flags allocate as many small objects as the engine
        workload = team_workload(team=team, start=start, weeks=weeks, occurrences_of=occurrences_of)
        return TeamReport(workload=workload, flags=team_flags(workload))
