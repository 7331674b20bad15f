"""The last few changes of one member or task, as the member page and a task card show them.

Kept in the cache under the team's plan revision (``assignments.plan_cache``): every change these entries
can show is a write to the plan, which renews the revision in the same transaction, so the kept entries
are never older than the plan. The sentences are written per request, in the reader's language.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode

from assignments.plan_cache import cached
from roles.models import Team

from .entries import Entry, Names
from .selectors import Filters, recent
from .sentences import said

RECENT_CHANGES = 5


def _read(team: Team, filters: Filters) -> tuple[list[Entry], Names]:
    entries = recent(team, filters, RECENT_CHANGES)
    for entry in entries:  # the entry says its actor already: no login row (password hash) goes to the cache
        entry.change_set.user = None
    return entries, Names(entries)


def recent_changes(team: Team, *, member_id: int | None = None, task_id: int | None = None) -> list[dict]:
    filters = Filters(member_id=member_id, task_id=task_id)
    entries, names = cached(team, ("recent-changes", member_id, task_id), lambda: _read(team, filters))
    return said(entries, names)


def activity_url(team: Team, **filters: int) -> str:
    """The team's activity, filtered to a member or a task: ``activity_url(team, member=3)``."""
    return f"{reverse('activity:team_activity', args=[team.slug])}?{urlencode(filters)}"
