"""The one place where the engine's numbers and its flags meet.

``team_report`` runs the workload engine and computes the flags from its
result; the pages, the API and the ``workload`` command all read a team
through it, so they show the same figures and the same flags.

It keeps each report in Django's cache under the team's plan revision, which
the database renews in the same transaction as every write to the team's
plan (``revisions``): a cached report is the one the engine would compute
now, never a stale one. What else goes into the key: the window, whose
duties are listed, the settings the rules read and ``ENGINE_VERSION``
(raise it when a change to the code changes a report). Inside a transaction
the cache is not used at all, neither read nor written: the transaction may
hold writes that are not committed, or roll back. When the cache fails (a
stopped Redis), the report is computed, and the cache is left alone for a
while so that every request does not wait on it again.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import time
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from roles.models import Team

from .flags import Flag, team_flags
from .loads import TeamWorkload
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
    if connection.in_atomic_block:
        return _computed(team, start, weeks, occurrences_of)
    revision = Team.objects.filter(pk=team.pk).values_list("plan_revision", flat=True).first()
    key = _key(team.pk, revision, start, weeks, occurrences_of)
    found = _cache_call(cache.get, key)
    if isinstance(found, TeamReport):
        # The cached team may carry an old name: the report carries the caller's.
        return replace(found, workload=replace(found.workload, team=team))
    report = _computed(team, start, weeks, occurrences_of)
    _cache_call(cache.set, key, report)
    return report


def _computed(team: Team, start: datetime.date, weeks: int, occurrences_of: int | None) -> TeamReport:
    with cyclic_gc_paused():  # the flags allocate as many small objects as the engine
        workload = team_workload(team=team, start=start, weeks=weeks, occurrences_of=occurrences_of)
        return TeamReport(workload=workload, flags=team_flags(workload))


ENGINE_VERSION = 1
OUTAGE_PAUSE_SECONDS = 30
logger = logging.getLogger(__name__)
_cache_down_until = 0.0


def _key(team_id: int, revision: int | None, start: datetime.date, weeks: int, occurrences_of: int | None) -> str:
    rules = repr([(name, getattr(settings, name)) for name in dir(settings) if name.startswith("TEAMPLANNER_")])
    fingerprint = hashlib.blake2b(rules.encode(), digest_size=8).hexdigest()
    monday = start - datetime.timedelta(days=start.weekday())
    return f"report:{ENGINE_VERSION}:{fingerprint}:{team_id}:{revision}:{monday.isoformat()}:{weeks}:{occurrences_of}"


def _cache_call(method, *arguments):
    """The cache's answer, or None when it fails (logged; the cache then rests for ``OUTAGE_PAUSE_SECONDS``)."""
    global _cache_down_until
    if time.monotonic() < _cache_down_until:
        return None
    try:
        return method(*arguments)
    except Exception:  # any backend's failure (connection refused, timeout, a value it cannot read)
        logger.warning("The cache failed; computing instead for %s s.", OUTAGE_PAUSE_SECONDS, exc_info=True)
        _cache_down_until = time.monotonic() + OUTAGE_PAUSE_SECONDS
        return None
