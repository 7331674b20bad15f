"""One run of ``send_notifications``: everything due at a moment, each message once.

Per team: compute its due digests (``digests.team_digests``: one engine run), claim the ones nobody sent
(``services.messages_claim``), send each over one mail connection and mark it at once. Then per team with
managers its alerts (``alerts.team_alerts``: one engine run), and once per run the assignment notices of
the plan's history since the previous run (``notices``), claimed as the notices' mark moves on. Reading
costs a fixed number of queries per team; each message sent adds the one write that marks it (an alert
two: it also records the flags it told). A message to an address that opted out of its kind
(``optouts``, read once per run) is counted and never claimed.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.mail import get_connection
from django.utils import timezone

from .alerts import Alert, alerted_states, team_alerts, teams_with_managers
from .digests import digest_week, members_by_team, team_digests, week_period
from .mail import digest_message
from .messages import alert_message, notice_message
from .models import SentMessage
from .notices import last_change_set, notice_period, notices_between, period_range
from .optouts import normalized, opted_out
from .services import (
    alert_mark_sent,
    already_handled,
    message_mark_failed,
    message_mark_sent,
    messages_claim,
    messages_give_up_opted_out,
    notice_mark_advance,
    notice_mark_read,
    retryable,
)

logger = logging.getLogger(__name__)
KINDS = (SentMessage.Kind.DIGEST, SentMessage.Kind.ALERT, SentMessage.Kind.NOTICE)


@dataclass
class RunResult:
    due: Counter = field(default_factory=Counter)  # by kind: due and not yet sent (what --dry-run reports)
    sent: Counter = field(default_factory=Counter)
    failed: Counter = field(default_factory=Counter)  # to be retried by the next run
    given_up: Counter = field(default_factory=Counter)  # failed for the last time: a human must look
    skipped: Counter = field(default_factory=Counter)  # due, but to an address that opted out of the kind

    @property
    def ok(self) -> bool:
        return not self.given_up


@dataclass
class Run:
    """What the steps of one run share: its moment, whether it sends, its mail connection and its counts."""

    now: datetime.datetime
    dry_run: bool
    connection: object
    opted_out: dict[str, set[str]] = field(default_factory=dict)  # kind → addresses (``optouts.opted_out``)
    result: RunResult = field(default_factory=RunResult)

    def wanted(self, kind: str, items: list) -> list:
        """The ``items`` (each with a ``recipient``) whose address did not opt out of ``kind``; the others
        are counted as skipped, and never claimed: an opt-out made later does not undo a message sent."""
        refused = self.opted_out.get(kind, set())
        kept = [item for item in items if normalized(item.recipient) not in refused]
        if len(kept) < len(items):
            self.result.skipped[kind] += len(items) - len(kept)
            if not self.dry_run:  # one that failed before the opt-out is given up, not retried on every run
                skipped = {item.recipient for item in items} - {item.recipient for item in kept}
                messages_give_up_opted_out(kind=kind, recipients=skipped)
        return kept

    def claim_and_send(self, *, kind: str, period: str, items: list, build: Callable, mark: Callable | None = None):
        """Claim the messages of ``kind`` and ``period`` for ``items`` (each with a ``recipient`` and a
        ``language``), then send the ones this run claimed. ``mark(row, subject)`` marks one sent."""
        by_recipient = {item.recipient: item for item in items}
        languages = {item.recipient: item.language for item in items}
        claimed = messages_claim(
            kind=kind, period=period, recipients=by_recipient, token=uuid.uuid4(), languages=languages
        )
        self.send(kind=kind, claimed=claimed, items=by_recipient, build=build, mark=mark)

    def send(self, *, kind: str, claimed: dict[str, SentMessage], items: dict, build: Callable, mark=None) -> None:
        for recipient, row in sorted(claimed.items()):
            try:
                message = build(items[recipient], connection=self.connection)
                message.send()
            except Exception as error:  # a refused connection, a timeout, a bad address: retried next run
                logger.warning("Could not send the %s %s to %s: %s", kind, row.period, recipient, error)
                if message_mark_failed(message=row, error=f"{type(error).__name__}: {error}"):
                    self.result.failed[kind] += 1
                else:
                    self.result.given_up[kind] += 1
                _reset(self.connection)
                continue
            if mark is None:
                message_mark_sent(message=row, subject=message.subject)
            else:
                mark(row, message.subject)
            self.result.sent[kind] += 1


def notifications_send(*, now: datetime.datetime, dry_run: bool = False) -> RunResult:
    """Send every message due at ``now`` that nobody sent yet (``dry_run``: count them, send and claim nothing)."""
    run = Run(now=now, dry_run=dry_run, connection=None if dry_run else get_connection(), opted_out=opted_out())
    try:
        _digests(run)
        _alerts(run)
        _notices(run)
    finally:
        if run.connection is not None:
            run.connection.close()
    return run.result


def _digests(run: Run) -> None:
    kind = SentMessage.Kind.DIGEST
    monday = digest_week(run.now)
    period = week_period(monday)
    for of_team in members_by_team(excluding=already_handled(kind=kind, period=period)):
        digests = run.wanted(kind, team_digests(team=of_team[0].team, members=of_team, monday=monday))
        run.result.due[kind] += len(digests)
        if digests and not run.dry_run:
            run.claim_and_send(kind=kind, period=period, items=digests, build=digest_message)


def _alerts(run: Run) -> None:
    """Per team with managers: one engine run over this week and the next three, one alert per manager
    with new flags."""
    kind = SentMessage.Kind.ALERT
    monday = digest_week(run.now)
    states = alerted_states()
    for team, managers in teams_with_managers():
        for alert in team_alerts(team=team, managers=managers, monday=monday, states=states):
            if alert.recipient in already_handled(kind=kind, period=alert.period) or not run.wanted(kind, [alert]):
                continue
            run.result.due[kind] += 1
            if run.dry_run:
                continue
            run.claim_and_send(kind=kind, period=alert.period, items=[alert], build=alert_message, mark=_marker(alert))


def _marker(alert: Alert) -> Callable:
    """Marks the alert's row sent and records the flags it was sent over, in one transaction."""

    def mark(row: SentMessage, subject: str) -> None:
        alert_mark_sent(
            message=row, subject=subject, manager_id=alert.manager.pk, team_id=alert.team.pk, flags=alert.current
        )

    return mark


def _notices(run: Run) -> None:
    """The notices of failed or abandoned runs first (each from its own range of change sets), then those
    of the change sets since the mark, claimed as the mark moves on."""
    kind = SentMessage.Kind.NOTICE
    last = last_change_set(run.now)
    for period, recipients in _notices_to_retry().items():
        after, until = period_range(period)
        notices = run.wanted(kind, notices_between(after=after, last=until, recipients=recipients))
        run.result.due[kind] += len(notices)
        if notices and not run.dry_run:
            run.claim_and_send(kind=kind, period=period, items=notices, build=notice_message)
    if run.dry_run:
        after = notice_mark_read()
        if after is not None and last > after:
            run.result.due[kind] += len(run.wanted(kind, notices_between(after=after, last=last)))
        return
    batch: dict = {}

    def claim(after: int) -> None:  # an opted-out member's changes are passed over with the mark, never told
        notices = run.wanted(kind, notices_between(after=after, last=last))
        if notices:
            period = notice_period(after, last)
            batch["items"] = {notice.recipient: notice for notice in notices}
            languages = {notice.recipient: notice.language for notice in notices}
            batch["claimed"] = messages_claim(
                kind=kind, period=period, recipients=batch["items"], token=uuid.uuid4(), languages=languages
            )

    notice_mark_advance(last=last, claim=claim)
    if batch:
        run.result.due[kind] += len(batch["items"])
        run.send(kind=kind, claimed=batch["claimed"], items=batch["items"], build=notice_message)


def _notices_to_retry() -> dict[str, set[str]]:
    """The notices a run may take back (failed, or claimed by a run that died): {period: recipients}."""
    rows = SentMessage.objects.filter(retryable(timezone.now()), kind=SentMessage.Kind.NOTICE)
    found: dict[str, set[str]] = defaultdict(set)
    for recipient, period in rows.values_list("recipient", "period"):
        if period_range(period) is not None:
            found[period].add(recipient)
    return found


def _reset(connection) -> None:
    """After a failure the SMTP session may be half-open: close it, the next send opens a new one."""
    try:
        connection.close()
    except Exception:  # closing a broken connection may fail too; the next send starts afresh
        logger.debug("Closing the mail connection failed", exc_info=True)
