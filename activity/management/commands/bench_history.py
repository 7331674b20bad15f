"""What the history costs a plan import: the same import timed with the history off and on.

It builds ``bench_workload``'s synthetic team (size S or L), exports its plan, deletes the team and
imports the file back as ``import_plan`` would, once with django-simple-history switched off and once
on, counting the rows each writes and timing each (the median of ``--runs``). Everything happens inside
one transaction that is rolled back: nothing is left behind. Compare the ratio, not the seconds.
"""

import gc
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import override_settings

from activity.recording import recording
from assignments.management.commands.bench_workload import SIZES
from assignments.management.commands.bench_workload import Command as BenchWorkload
from assignments.plan import plan_import
from assignments.plan.export import plan_export

WRITES = ("INSERT", "UPDATE", "DELETE")


class WriteCounter:
    """Counts the statements that write, and those that write the history (a database execute wrapper)."""

    def __init__(self):
        self.writes = self.history = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(WRITES):
            self.writes += 1
            self.history += '"activity_' in sql.split("(", 1)[0]
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = "Time a plan import of a synthetic team with the history off and on, and count the rows each writes."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=["S", "L"], default="S")
        parser.add_argument("--runs", type=int, default=3, help="Timed imports of each kind (median reported).")

    def handle(self, *args, size: str, runs: int, **options):
        with transaction.atomic():
            self.stdout.write(f"Building the synthetic team of size {size}…")
            team = BenchWorkload(stdout=self.stdout).build(f"bench-history-{size.lower()}", SIZES[size])
            document = plan_export(team=team)
            with recording("bench_history"):  # one change set for the whole cascade, as a page's delete
                team.delete()
            results = {enabled: self._measure(document, enabled, max(runs, 1)) for enabled in (False, True)}
            transaction.set_rollback(True)
        (off_seconds, off_writes, _), (on_seconds, on_writes, entries) = results[False], results[True]
        self.stdout.write(f"import without history: {off_seconds:8.2f} s, {off_writes:7} writing statements")
        self.stdout.write(
            f"import with history:    {on_seconds:8.2f} s, {on_writes:7} writing statements ({entries} of them history)"
        )
        self.stdout.write(
            f"with / without: time {on_seconds / off_seconds:.2f}x, writes {on_writes / off_writes:.2f}x "
            f"(the plan import writes row by row: one history row per row written, plus one change set per team)"
        )
        self.stdout.write("Rolled back: nothing was kept.")

    def _measure(self, document: dict, enabled: bool, runs: int) -> tuple[float, int, int]:
        times, writes, entries = [], 0, 0
        for _ in range(runs):
            gc.collect()
            counter = WriteCounter()
            with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=enabled):
                with connection.execute_wrapper(counter), recording("bench_history"):
                    began = time.perf_counter()
                    plan_import(document=document)
                    times.append(time.perf_counter() - began)
                writes, entries = counter.writes, counter.history
                transaction.set_rollback(True)
        return statistics.median(times), writes, entries
