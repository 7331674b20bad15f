"""What is cached under a team's plan revision, and why it can never be stale.

``cached(team, parts, compute)`` returns what ``compute()`` returns, kept in Django's cache under the
team's plan revision, which the database renews in the same transaction as every write to the team's
plan (``revisions``): an entry is only ever read for the plan it was computed from. What else goes into
the key: ``parts`` (what is computed, for which window and people), the settings the rules read
(``TEAMPLANNER_*``) and ``ENGINE_VERSION`` (raise it when a change to the code changes a result).

Inside a transaction the cache is not used at all, neither read nor written: the transaction may hold
writes that are not committed, or roll back. When the cache fails (a stopped Redis), the value is
computed, a warning is logged, and the cache is left alone for ``OUTAGE_PAUSE_SECONDS`` so that every
request does not wait on it again.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver

from roles.models import Team

ENGINE_VERSION = 2  # 2: tasks carry accountable_missing (RACI)
OUTAGE_PAUSE_SECONDS = 30
logger = logging.getLogger(__name__)
_cache_down_until = 0.0
Value = TypeVar("Value")


def cached(team: Team, parts: tuple, compute: Callable[[], Value]) -> Value:
    if connection.in_atomic_block:
        return compute()
    revision = Team.objects.filter(pk=team.pk).values_list("plan_revision", flat=True).first()
    key = cache_key(team.pk, revision, parts)
    found = _cache_call(cache.get, key)
    if found is not None:
        return found
    value = compute()
    _cache_call(cache.set, key, value)
    return value


def cache_key(team_id: int, revision: int | None, parts: tuple) -> str:
    described = ":".join(str(part) for part in parts)
    return f"plan:{ENGINE_VERSION}:{rules_fingerprint()}:{team_id}:{revision}:{described}"


@lru_cache(maxsize=1)
def rules_fingerprint() -> str:
    """A digest of the ``TEAMPLANNER_*`` settings: read once, not on every request (again when a test changes one)."""
    rules = repr([(name, getattr(settings, name)) for name in dir(settings) if name.startswith("TEAMPLANNER_")])
    return hashlib.blake2b(rules.encode(), digest_size=8).hexdigest()


@receiver(setting_changed)
def _rules_changed(*, setting: str, **kwargs) -> None:
    if setting.startswith("TEAMPLANNER_"):
        rules_fingerprint.cache_clear()


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
