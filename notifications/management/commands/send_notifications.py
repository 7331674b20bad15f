"""Send everything due now (weekly digests, flag alerts, assignment notices), each message once; meant for cron
or a systemd timer."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.sending import KINDS, notifications_send


def parse_now(value: str) -> datetime.datetime:
    """An ISO date-time; without an offset, in ``DJANGO_TIME_ZONE``."""
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--now: not an ISO date-time: {value!r}") from error
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = (
        "Send the notifications due now (weekly digests, flag alerts, assignment notices), each once;"
        " exits 1 only on a failure it cannot retry."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", type=parse_now, help="the moment to send for (ISO date-time; default: now)")
        parser.add_argument("--dry-run", action="store_true", help="count what is due; send and claim nothing")

    def handle(self, *args, now=None, dry_run=False, **options):
        result = notifications_send(now=now or timezone.now(), dry_run=dry_run)
        for kind in KINDS:
            skipped = f", {result.skipped[kind]} skipped (opted out)"
            if dry_run:
                self.stdout.write(f"{kind}: {result.due[kind]} due (dry run: nothing sent){skipped}")
            else:
                self.stdout.write(
                    f"{kind}: {result.sent[kind]} sent, {result.failed[kind]} failed (retried next run),"
                    f" {result.given_up[kind]} given up{skipped}"
                )
        if not result.ok:
            raise CommandError("Some messages failed for the last time: see the sent log in the admin.")
