"""Exactly once: a message is claimed in the sent log before it is sent (docs/rules.md, "Notifications").

A run claims a batch of messages in one transaction: it inserts a row for each (``ON CONFLICT DO
NOTHING``: a row already there, from this run's rival or an earlier run, wins) and takes back, with
``SELECT … FOR UPDATE SKIP LOCKED``, the rows it may retry. Every row it claimed carries its token; it sends
those only, marking each sent (or failed) right after its send. Two runs at the same moment therefore split
the messages between them: the second one's insert waits for the first one's transaction and then finds
the rows there, claimed.

A row may be taken back when:

- it **failed**, fewer than ``MAX_ATTEMPTS`` times: the next run retries it (the row is reused, so the
  message is never duplicated);
- it is **claimed** since more than ``STALE_CLAIM`` (10 minutes): the run that claimed it died between
  claiming and marking (a send takes seconds; ``EMAIL_TIMEOUT`` is 30 s), so it counts as failed. A run
  that died *after* the mail server accepted the message and before marking it sends it a second time
  ten minutes later: the one window where "once" becomes "at least once", and the smallest one, since the
  mark follows the send at once.

Timestamps are the real clock's (``timezone.now()``), whatever ``--now`` says: ``--now`` picks what is
due, the clock decides what is stale.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Collection

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import AlertedFlags, NoticeMark, SentMessage

STALE_CLAIM = datetime.timedelta(minutes=10)
MAX_ATTEMPTS = 10  # with cron every 5 minutes: 50 minutes of a mail server refusing, then a human looks


def retryable(now: datetime.datetime) -> Q:
    """The rows a run may take back at ``now``: failed (attempts left) or claimed by a run that died."""
    return Q(status=SentMessage.Status.FAILED, attempts__lt=MAX_ATTEMPTS) | Q(
        status=SentMessage.Status.CLAIMED, claimed_at__lt=now - STALE_CLAIM
    )


@transaction.atomic
def messages_claim(
    *, kind: str, period: str, recipients: Collection[str], token: uuid.UUID, languages: dict[str, str]
) -> dict[str, SentMessage]:
    """Claim for the run ``token`` the messages of ``kind`` and ``period`` to ``recipients`` that nobody
    sent or is sending: {recipient: its row}. Four queries, whatever the number of recipients."""
    now = timezone.now()
    recipients = sorted(recipients)  # one order for every run: concurrent inserts never deadlock
    SentMessage.objects.bulk_create(
        [
            SentMessage(
                recipient=recipient,
                kind=kind,
                period=period,
                language=languages.get(recipient, ""),
                status=SentMessage.Status.CLAIMED,
                attempts=1,
                claimed_at=now,
                claim_token=token,
            )
            for recipient in recipients
        ],
        ignore_conflicts=True,
    )
    retaken = list(
        SentMessage.objects.select_for_update(skip_locked=True)
        .filter(retryable(now), kind=kind, period=period, recipient__in=recipients)
        .values_list("pk", flat=True)
    )
    if retaken:
        SentMessage.objects.filter(pk__in=retaken).update(
            status=SentMessage.Status.CLAIMED, claimed_at=now, claim_token=token, attempts=F("attempts") + 1
        )
    claimed = SentMessage.objects.filter(kind=kind, period=period, claim_token=token, recipient__in=recipients)
    return {row.recipient: row for row in claimed}


def message_mark_sent(*, message: SentMessage, subject: str) -> None:
    """The mail server took it: never again. Guarded by the token, so a run whose claim went stale and was
    taken over cannot overwrite the newer run's row."""
    SentMessage.objects.filter(pk=message.pk, claim_token=message.claim_token).update(
        status=SentMessage.Status.SENT, sent_at=timezone.now(), subject=subject[:255], last_error=""
    )


def message_mark_failed(*, message: SentMessage, error: str) -> bool:
    """The send failed: the next run retries it, until ``MAX_ATTEMPTS``. Returns whether it will be retried."""
    SentMessage.objects.filter(pk=message.pk, claim_token=message.claim_token).update(
        status=SentMessage.Status.FAILED, last_error=error[:2000]
    )
    return message.attempts < MAX_ATTEMPTS


def messages_give_up_opted_out(*, kind: str, recipients: Collection[str]) -> None:
    """Messages of ``kind`` to ``recipients`` that failed before they opted out are given up, not retried."""
    SentMessage.objects.filter(retryable(timezone.now()), kind=kind, recipient__in=recipients).update(
        status=SentMessage.Status.FAILED,
        attempts=MAX_ATTEMPTS,
        last_error="Not retried: the recipient opted out of this kind of message.",
    )


def already_handled(*, kind: str, period: str) -> set[str]:
    """The recipients of ``kind`` and ``period`` a run must leave alone (sent, being sent, or given up): for
    ``--dry-run``, and so that a run renders only what it may send."""
    rows = SentMessage.objects.filter(kind=kind, period=period).exclude(retryable(timezone.now()))
    return set(rows.values_list("recipient", flat=True))


@transaction.atomic
def alert_mark_sent(*, message: SentMessage, subject: str, manager_id: int, team_id: int, flags: list[str]) -> None:
    """The alert went out: mark it, and remember the flags it was sent over (the next alert tells only
    flags not among them), in one transaction: a crash between the two cannot send the same flags again."""
    message_mark_sent(message=message, subject=subject)
    state, _created = AlertedFlags.objects.select_for_update().get_or_create(manager_id=manager_id, team_id=team_id)
    state.flags = flags
    state.alerts_sent += 1
    state.save(update_fields=["flags", "alerts_sent", "updated_at"])


NOTICES = "notices"


def notice_mark_read() -> int | None:
    """The last change set the notices covered (None: no run yet): for ``--dry-run``."""
    return NoticeMark.objects.filter(name=NOTICES).values_list("change_set_id", flat=True).first()


@transaction.atomic
def notice_mark_advance(*, last: int, claim: Callable[[int], object]) -> int | None:
    """Move the notices' mark to the change set ``last``, calling ``claim(after)`` in the same transaction
    (it claims the notices of the change sets after ``after`` up to ``last``) under the mark row's lock, so
    two runs at the same moment never both claim one range. Returns ``after``; None when this is the first
    run (the mark is set, nothing is claimed: the plan as it stands is the starting point, not news) or
    there is nothing new."""
    NoticeMark.objects.bulk_create([NoticeMark(name=NOTICES, change_set_id=None)], ignore_conflicts=True)
    mark = NoticeMark.objects.select_for_update().get(name=NOTICES)
    after = mark.change_set_id
    if after is not None and last <= after:
        return None
    mark.change_set_id = last
    mark.save(update_fields=["change_set_id", "updated_at"])
    if after is not None:
        claim(after)
    return after
