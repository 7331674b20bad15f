"""One run of ``send_notifications``: everything due at a moment, each message once.

Per team: compute its due digests (``digests.team_digests``: one engine run), claim the ones nobody sent
(``services.messages_claim``), send each over one mail connection and mark it at once. Reading costs a
fixed number of queries per team; each message sent adds the one write that marks it.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.core.mail import get_connection

from .digests import Digest, digest_week, members_by_team, team_digests, week_period
from .mail import digest_message
from .models import SentMessage
from .services import already_handled, message_mark_failed, message_mark_sent, messages_claim

logger = logging.getLogger(__name__)


@dataclass
class RunResult:
    due: Counter = field(default_factory=Counter)  # by kind: due and not yet sent (what --dry-run reports)
    sent: Counter = field(default_factory=Counter)
    failed: Counter = field(default_factory=Counter)  # to be retried by the next run
    given_up: Counter = field(default_factory=Counter)  # failed for the last time: a human must look

    @property
    def ok(self) -> bool:
        return not self.given_up


def notifications_send(*, now: datetime.datetime, dry_run: bool = False) -> RunResult:
    """Send every message due at ``now`` that nobody sent yet (``dry_run``: count them, send and claim nothing)."""
    result = RunResult()
    kind = SentMessage.Kind.DIGEST
    monday = digest_week(now)
    period = week_period(monday)
    handled = already_handled(kind=kind, period=period)
    connection = None if dry_run else get_connection()
    try:
        for of_team in members_by_team(excluding=handled):
            digests = team_digests(team=of_team[0].team, members=of_team, monday=monday)
            result.due[kind] += len(digests)
            if digests and not dry_run:
                _send_claimed(digests, kind, period, connection, result)
    finally:
        if connection is not None:
            connection.close()
    return result


def _send_claimed(digests: list[Digest], kind: str, period: str, connection, result: RunResult) -> None:
    token = uuid.uuid4()
    by_recipient = {digest.recipient: digest for digest in digests}
    languages = {digest.recipient: digest.language for digest in digests}
    claimed = messages_claim(kind=kind, period=period, recipients=by_recipient, token=token, languages=languages)
    for recipient, row in sorted(claimed.items()):
        try:
            message = digest_message(by_recipient[recipient], connection=connection)
            message.send()
        except Exception as error:  # a refused connection, a timeout, a bad address: retried next run
            logger.warning("Could not send the %s %s to %s: %s", kind, period, recipient, error)
            if message_mark_failed(message=row, error=f"{type(error).__name__}: {error}"):
                result.failed[kind] += 1
            else:
                result.given_up[kind] += 1
            _reset(connection)
            continue
        message_mark_sent(message=row, subject=message.subject)
        result.sent[kind] += 1


def _reset(connection) -> None:
    """After a failure the SMTP session may be half-open: close it, the next send opens a new one."""
    try:
        connection.close()
    except Exception:  # closing a broken connection may fail too; the next send starts afresh
        logger.debug("Closing the mail connection failed", exc_info=True)
