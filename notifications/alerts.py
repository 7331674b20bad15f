"""Which flag alerts are due to managers, and about which flags (docs/rules.md, "Notifications").

A manager of a team (their login's email; none, no alert) hears of the flags the overview raises over this
week and the next three that were not current when their last alert about the team was sent (the first
run: all of them). An acknowledged dual role is answered already: it is not news. One engine run per team
(``team_report``, the overview's), whatever the number of managers.

The sent-log key of an alert (its ``period``) is the team, the number of alerts the manager had about it,
and a digest of the new flags' identities: two runs at the same moment compute the same key and send it
once; a failed one is computed again, the same, by the next run (``AlertedFlags`` moves only when an alert
is marked sent).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch

from assignments.flags import Flag, FlagKind
from assignments.report import team_report
from roles.models import Team

from .models import AlertedFlags

ALERT_WEEKS = 4  # this week and the next three


@dataclass(frozen=True)
class Alert:
    """One manager's new flags about one team, ready to be written in their language (``notifications.mail``)."""

    manager: object  # their login
    team: Team
    start: datetime.date  # the Monday of the window
    language: str
    new_flags: list[Flag]  # in the engine's order
    current: list[str]  # the identities of every current flag: what the manager will have been told about
    period: str

    @property
    def recipient(self) -> str:
        return self.manager.email


def flag_identity(flag: Flag) -> str:
    """What makes a flag the same flag from one run to the next: its kind, whom or what it is about, and
    its week or day ("over_allocated member=4 week=2026-11-30"); never its figures."""
    parts = [flag.kind]
    for name in ("member", "role", "task"):
        about = getattr(flag, name, None)
        if about is not None:
            parts.append(f"{name}={about.id}")
    if flag.kind == FlagKind.OVER_ALLOCATED:
        parts.append(f"week={flag.week.week.isoformat()}")
    elif flag.kind == FlagKind.DUTY_UNCOVERED:
        parts.append(f"date={flag.date.isoformat()}")
    return " ".join(parts)


def alert_period(team: Team, alerts_sent: int, new_identities: list[str]) -> str:
    """The alert's key in the sent log: "team 3 #2 " and 32 hex digits of the sorted new flags' digest."""
    digest = hashlib.sha256("\n".join(sorted(new_identities)).encode()).hexdigest()[:32]
    return f"team {team.pk} #{alerts_sent} {digest}"


def manager_language(user) -> str:
    try:
        saved = user.preferences.language
    except ObjectDoesNotExist:
        saved = ""
    return saved or settings.LANGUAGE_CODE


def teams_with_managers() -> Iterator[tuple[Team, list]]:
    """The teams with at least one active manager who has an email, with those managers (two queries)."""
    managers = get_user_model().objects.filter(is_active=True).exclude(email="").select_related("preferences")
    teams = (
        Team.objects.filter(managers__in=managers)
        .distinct()
        .order_by("pk")
        .prefetch_related(Prefetch("managers", queryset=managers.order_by("pk"), to_attr="mailed_managers"))
    )
    for team in teams:
        if team.mailed_managers:
            yield team, team.mailed_managers


def alerted_states() -> dict[tuple[int, int], AlertedFlags]:
    """What every manager was last alerted about, by (manager id, team id): one query."""
    return {(state.manager_id, state.team_id): state for state in AlertedFlags.objects.all()}


def team_alerts(
    *, team: Team, managers: list, monday: datetime.date, states: dict[tuple[int, int], AlertedFlags]
) -> list[Alert]:
    """The alerts due to ``managers`` of ``team`` for the window from ``monday``: one engine run."""
    report = team_report(team=team, start=monday, weeks=ALERT_WEEKS)
    flags = [flag for flag in report.flags if not (flag.kind == FlagKind.DUAL_ROLE and flag.acknowledged)]
    identities = [flag_identity(flag) for flag in flags]
    current = sorted(set(identities))
    alerts = []
    for manager in managers:
        state = states.get((manager.pk, team.pk))
        known = set(state.flags) if state else set()
        new = [flag for flag, identity in zip(flags, identities, strict=True) if identity not in known]
        if not new:
            continue
        sent_before = state.alerts_sent if state else 0
        new_identities = [identity for identity in identities if identity not in known]
        alerts.append(
            Alert(
                manager=manager,
                team=team,
                start=monday,
                language=manager_language(manager),
                new_flags=new,
                current=current,
                period=alert_period(team, sent_before, new_identities),
            )
        )
    return alerts
