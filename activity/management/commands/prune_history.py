"""``manage.py prune_history [--days N] [--dry-run]``: the plan's history older than N days goes.

N is ``--days``, else ``settings.TEAMPLANNER_HISTORY_DAYS``; with neither, the history is kept for ever and
the command says so and does nothing. "Older than N days" is "made before midnight (local time) N days
ago": every run of a day prunes up to the same instant, so a second run finds nothing. Made for cron:
exit status 0 whenever there is nothing wrong, nothing to do included; ``-v 0`` keeps it quiet.

A change set takes its historical rows with it (their ``change_set`` is ``on_delete=CASCADE``). The
historical models have no delete signals, so Django deletes their rows with one DELETE per table and
never loads them; the change sets go ``BATCH_SIZE`` ids at a time, each batch its own transaction, so a
large backlog neither fills memory nor holds a long lock. A historical team's managers
(``HistoricalTeam_managers``) point at their row with no database constraint and ``DO_NOTHING``: Django
would leave them behind, so they are deleted first. Historical rows with no change set (a bulk write that
sends no signal, such as simple-history's ``populate_history``) go by their own ``history_date``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activity.models import TRACKED, ChangeSet

BATCH_SIZE = 1000


def history_cutoff(days: int) -> datetime.datetime:
    """Midnight (local time) ``days`` days before today: the history made before it goes."""
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def historical_models() -> list[type[models.Model]]:
    return [model.history.model for model, _excluded in TRACKED.values()]


def _left_behind(history: type[models.Model]) -> list:
    """The relations to ``history``'s rows that a delete does not follow (``DO_NOTHING``: the m2m rows)."""
    return [
        relation
        for relation in history._meta.get_fields(include_hidden=True)
        if relation.auto_created
        and not relation.concrete
        and relation.one_to_many
        and relation.on_delete is models.DO_NOTHING
    ]


def _delete_left_behind(history: type[models.Model], lookup: str, ids: list[int]) -> None:
    """Delete the rows that point at the historical rows ``history.objects.filter(<lookup>__in=ids)``."""
    for relation in _left_behind(history):
        relation.related_model.objects.filter(**{f"{relation.field.name}__{lookup}__in": ids}).delete()


def _entries(deleted: dict[str, int]) -> int:
    """The historical rows among the counts of a ``delete()``."""
    return sum(deleted.get(history._meta.label, 0) for history in historical_models())


def _without_change_set(history: type[models.Model], cutoff: datetime.datetime) -> models.QuerySet:
    return history.objects.filter(change_set__isnull=True, history_date__lt=cutoff).order_by()


def count_entries(cutoff: datetime.datetime) -> int:
    """The historical rows older than ``cutoff``: those of the change sets made before it, and those without."""
    return sum(
        history.objects.filter(change_set__at__lt=cutoff).count() + _without_change_set(history, cutoff).count()
        for history in historical_models()
    )


@transaction.atomic
def _delete_change_sets(ids: list[int]) -> dict[str, int]:
    """One batch, in a transaction of its own: its historical teams' managers, then the change sets (their
    historical rows go with them, one DELETE per table); the counts of ``delete()``."""
    for history in historical_models():
        _delete_left_behind(history, "change_set_id", ids)
    return ChangeSet.objects.filter(pk__in=ids).delete()[1]


@transaction.atomic
def _delete_entries(history: type[models.Model], ids: list[int]) -> int:
    """One batch of historical rows without a change set, in a transaction of its own: how many went."""
    _delete_left_behind(history, "pk", ids)
    return _entries(history.objects.filter(pk__in=ids).delete()[1])


def _counted(change_sets: int, entries: int) -> dict[str, str]:
    """ "12 change sets", "340 entries": each count in its own plural."""
    return {
        "change_sets": ngettext("%(count)s change set", "%(count)s change sets", change_sets) % {"count": change_sets},
        "entries": ngettext("%(count)s entry", "%(count)s entries", entries) % {"count": entries},
    }


class Command(BaseCommand):
    help = (
        "Delete the plan's history older than --days days (default: the TEAMPLANNER_HISTORY_DAYS setting; "
        "unset: the history is kept and nothing is deleted). Safe to run from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            help="Keep this many days of history (overrides TEAMPLANNER_HISTORY_DAYS); older change sets go.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted, without deleting anything."
        )
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help=f"Change sets per transaction (default {BATCH_SIZE})."
        )

    def handle(self, *args, days: int | None, dry_run: bool, batch_size: int, verbosity: int, **options):
        self.verbosity = verbosity
        days = settings.TEAMPLANNER_HISTORY_DAYS if days is None else days
        if days is None:
            self._say(
                _("TEAMPLANNER_HISTORY_DAYS is not set and no --days given: the history is kept, nothing to prune.")
            )
            return
        if days < 0:
            raise CommandError(_("The days of history to keep must be 0 or more, not %(days)s.") % {"days": days})
        if batch_size < 1:
            raise CommandError(_("The batch size must be 1 or more, not %(size)s.") % {"size": batch_size})
        cutoff = history_cutoff(days)
        change_sets, entries = ChangeSet.objects.filter(at__lt=cutoff).count(), count_entries(cutoff)
        words = {"date": timezone.localdate(cutoff).isoformat()}
        if not change_sets and not entries:
            self._say(_("Nothing to prune: no history is older than %(date)s.") % words)
        elif dry_run:
            message = _("Dry run, nothing was deleted: %(change_sets)s (%(entries)s) older than %(date)s.")
            self._say(message % (words | _counted(change_sets, entries)))
        else:
            pruned_change_sets, pruned_entries = self._prune_change_sets(cutoff, change_sets, batch_size)
            pruned_entries += self._prune_without_change_set(cutoff, batch_size)
            message = _("Pruned %(change_sets)s (%(entries)s) older than %(date)s.")
            self._say(self.style.SUCCESS(message % (words | _counted(pruned_change_sets, pruned_entries))))

    def _prune_change_sets(self, cutoff: datetime.datetime, total: int, batch_size: int) -> tuple[int, int]:
        """Delete the change sets made before ``cutoff`` by batches of ids: how many, and how many rows went."""
        change_sets = entries = last_id = 0
        old = ChangeSet.objects.filter(at__lt=cutoff).order_by("pk")
        while ids := list(old.filter(pk__gt=last_id).values_list("pk", flat=True)[:batch_size]):
            deleted = _delete_change_sets(ids)
            change_sets += deleted.get(ChangeSet._meta.label, 0)
            entries += _entries(deleted)
            last_id = ids[-1]
            if total > batch_size:
                self._say(_("%(done)s of %(total)s change sets pruned…") % {"done": change_sets, "total": total})
        return change_sets, entries

    def _prune_without_change_set(self, cutoff: datetime.datetime, batch_size: int) -> int:
        """Delete the historical rows without a change set made before ``cutoff``, by batches: how many."""
        entries = 0
        for history in historical_models():
            while ids := list(_without_change_set(history, cutoff).values_list("pk", flat=True)[:batch_size]):
                entries += _delete_entries(history, ids)
        return entries

    def _say(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(message)
