"""Benchmark of the workload engine against the cost of merely fetching its rows.

For a synthetic team it measures, over 8 weeks and several runs (median):
(a) fetching the rows the engine needs with a raw database cursor (the same
five SQL statements, no ORM), (b) the engine end to end (``team_report``:
the workload and its flags), (c) the engine's number of queries; and prints b/a. Then (d) the suggestions for one
task and (e) the preview of one change, each as a multiple of one engine run (b). The
ratio is what to compare across machines: both sides run in the same process
against the same database within seconds of each other.

The synthetic team and its six "Bench" roles are written inside a transaction
that is rolled back at the end, so a benchmark never leaves its roles in the
shared role catalog (where every team's pickers would list them). ``--keep``
commits them, for a database of their own (the load tests use one).
"""

import datetime
import gc
import random
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from assignments.member_report import members_report
from assignments.models import Assignment, Cover, Task
from assignments.preview import Change, preview
from assignments.report import team_report
from assignments.suggestions import task_suggestions
from assignments.workload_rows import window_querysets
from roles.models import Role, RoleHolding, Team, TeamMember, TimeOff


@dataclass(frozen=True)
class Size:
    members: int
    tasks: int
    assignments: int


SIZES = {
    "S": Size(members=20, tasks=200, assignments=600),
    "L": Size(members=500, tasks=5_000, assignments=50_000),
    "XL": Size(members=2_000, tasks=20_000, assignments=200_000),
}
START = datetime.date(2026, 11, 30)  # a Monday; the data set is dated around it
WEEKS = 8
BATCH = 5_000


class Command(BaseCommand):
    help = "Build a synthetic team (size S, L or XL) and time the workload engine against a raw fetch of its rows."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="S")
        parser.add_argument("--runs", type=int, default=5, help="Timed runs of each measurement (median reported).")
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Keep the synthetic team and its roles (use a database of its own: the roles join the shared "
            "catalog). Without it nothing is written.",
        )
        parser.add_argument("--rebuild", action="store_true", help="With --keep: delete and rebuild the kept team.")

    def handle(self, *args, size: str, runs: int, keep: bool, rebuild: bool, **options):
        if runs < 1:
            raise CommandError("--runs must be at least 1.")
        with transaction.atomic():
            self._measure(size, runs, rebuild)
            if not keep:
                transaction.set_rollback(True)
                self.stdout.write("Rolled back the synthetic team (--keep keeps it).")

    def _measure(self, size: str, runs: int, rebuild: bool) -> None:
        spec = SIZES[size]
        team = self._team(size, spec, rebuild)
        end = START + datetime.timedelta(days=WEEKS * 7 - 1)
        vendor = connection.vendor

        def raw_fetch():
            rows = 0
            with connection.cursor() as cursor:
                for queryset in window_querysets(team=team, start=START, end=end):
                    sql, params = queryset.query.sql_with_params()
                    cursor.execute(sql, params)
                    rows += len(cursor.fetchall())
            return rows

        def engine():
            return team_report(team=team, start=START, weeks=WEEKS)

        rows = raw_fetch()  # warm caches on both sides before timing
        with CaptureQueriesContext(connection) as queries:
            flag_count = len(engine().flags)
        raw_times = self._time(raw_fetch, runs)
        engine_times = self._time(engine, runs)
        suggest, change = self._what_if(team)
        suggest_times = self._time(suggest, runs)
        change_times = self._time(change, runs)
        busiest = team.members.annotate(work=Count("assignments")).order_by("-work", "pk").first()
        one_times = self._time(
            lambda: members_report(team=team, member_ids={busiest.pk}, start=START, weeks=WEEKS), runs
        )
        raw, total = statistics.median(raw_times), statistics.median(engine_times)
        self.stdout.write(
            f"bench_workload size={size} database={vendor} weeks={WEEKS} runs={runs}\n"
            f"  data: {spec.members} members, {spec.tasks} tasks, {spec.assignments} assignments; "
            f"{rows} rows fetched; {flag_count} flags\n"
            f"  (a) raw cursor fetch   median {raw * 1000:9.1f} ms  (min {min(raw_times) * 1000:.1f})\n"
            f"  (b) engine end to end  median {total * 1000:9.1f} ms  (min {min(engine_times) * 1000:.1f})\n"
            f"  (c) engine queries     {len(queries)}\n"
            f"  ratio b/a              {total / raw:.2f}\n"
            f"  (d) suggestions, 1 task  median {statistics.median(suggest_times) * 1000:7.1f} ms  "
            f"d/b {statistics.median(suggest_times) / total:.2f}\n"
            f"  (e) preview, 1 change    median {statistics.median(change_times) * 1000:7.1f} ms  "
            f"e/b {statistics.median(change_times) / total:.2f}\n"
            f"  (f) one member's report  median {statistics.median(one_times) * 1000:7.1f} ms  "
            f"f/b {statistics.median(one_times) / total:.2f} (the busiest member, as the member page computes it)"
        )

    @staticmethod
    def _what_if(team: Team):
        """Suggestions for the team's first task, and the preview of taking its first assignee off it."""
        task = team.tasks.filter(is_active=True, assignments__isnull=False).order_by("title").distinct().first()
        first = task.assignments.select_related("member").order_by("member__email").first()
        change = Change("unassign", task.pk, first.member.email.lower())

        def suggest():
            return task_suggestions(task=task, start=START, weeks=WEEKS)

        def what_if():
            return preview(team=team, start=START, weeks=WEEKS, changes=[change])

        return suggest, what_if

    @staticmethod
    def _time(function, runs: int) -> list[float]:
        times = []
        for _ in range(runs):
            gc.collect()  # each run starts from the same heap, not from the last run's garbage
            began = time.perf_counter()
            function()
            times.append(time.perf_counter() - began)
        return times

    def _team(self, size: str, spec: Size, rebuild: bool) -> Team:
        slug = f"bench-{size.lower()}"
        team = Team.objects.filter(slug=slug).first()
        if team is not None and not rebuild and Assignment.objects.filter(task__team=team).count() == spec.assignments:
            self.stdout.write(f"Reusing the synthetic team {slug} (--rebuild to make it anew).")
            return team
        began = time.perf_counter()
        if team is not None:
            self.stdout.write(f"Deleting the old synthetic team {slug}…")
            team.delete()
        team = self.build(slug, spec)
        with connection.cursor() as cursor:  # fresh planner statistics, as autovacuum would give them
            cursor.execute("ANALYZE")
        self.stdout.write(f"Built {slug} in {time.perf_counter() - began:.1f} s.")
        return team

    def build(self, slug: str, spec: Size) -> Team:
        """The synthetic team (also built by activity's ``bench_history``)."""
        rng = random.Random(slug)  # the same data set on every machine
        team = Team.objects.create(name=f"Benchmark {slug}", slug=slug)
        roles = [
            Role.objects.get_or_create(
                slug=f"bench-{focus}-{n}", defaults={"name": f"Bench {focus} {n}", "focus": focus}
            )[0]
            for focus in ("operational", "strategic")
            for n in (1, 2, 3)
        ]
        members = self._build_members(team, roles, spec, rng)
        tasks = self._build_tasks(team, roles, spec, rng)
        self._build_assignments(tasks, members, spec, rng)
        self._build_covers(team, members, rng)
        return team

    def _build_members(self, team: Team, roles: list[Role], spec: Size, rng: random.Random) -> list[TeamMember]:
        self.stdout.write(f"Creating {spec.members} members with holdings and time off…")
        members = TeamMember.objects.bulk_create(
            [
                TeamMember(
                    team=team,
                    full_name=f"Member {n:05d}",
                    email=f"{team.slug}-{n}@bench.invalid",
                    weekly_capacity_hours=rng.choice([Decimal(40), Decimal(40), Decimal(32), Decimal(20)]),
                )
                for n in range(spec.members)
            ],
            batch_size=BATCH,
        )
        RoleHolding.objects.bulk_create(
            [
                RoleHolding(member=member, role=role, start_date=START - datetime.timedelta(days=rng.randint(0, 400)))
                for member in members
                for role in rng.sample(roles, rng.choice([1, 1, 2]))
            ],
            batch_size=BATCH,
        )
        time_off = []
        for member in rng.sample(members, len(members) // 5):
            first = START + datetime.timedelta(days=rng.randint(0, WEEKS * 7 - 5))
            time_off.append(
                TimeOff(member=member, start_date=first, end_date=first + datetime.timedelta(days=rng.randint(0, 4)))
            )
        TimeOff.objects.bulk_create(time_off, batch_size=BATCH)
        return members

    def _build_tasks(self, team: Team, roles: list[Role], spec: Size, rng: random.Random) -> list[Task]:
        self.stdout.write(f"Creating {spec.tasks} tasks…")
        cadences = ["daily"] * 4 + ["weekly"] * 3 + ["monthly"] * 1 + ["once"] * 2
        tasks = []
        for n in range(spec.tasks):
            cadence = rng.choice(cadences)
            first = START + datetime.timedelta(days=rng.randint(-60, WEEKS * 7 - 7))
            end = (
                first + datetime.timedelta(days=rng.randint(0, 30)) if cadence == "once" or rng.random() < 0.2 else None
            )
            tasks.append(
                Task(
                    team=team,
                    role=rng.choice(roles),
                    title=f"Task {n:06d}",
                    cadence=cadence,
                    channel=rng.choice(["instagram", "tiktok", "linkedin", "youtube", "x", "facebook", ""]),
                    effort_hours=Decimal(rng.choice([25, 50, 75, 100, 150, 200, 400, 800])) / 100,
                    start_date=first,
                    end_date=end,
                )
            )
        return Task.objects.bulk_create(tasks, batch_size=BATCH)

    def _build_assignments(self, tasks: list[Task], members: list[TeamMember], spec: Size, rng: random.Random) -> None:
        self.stdout.write(f"Creating {spec.assignments} assignments…")
        per_task = spec.assignments // spec.tasks
        share = 100 // per_task
        assignments = []
        for task in tasks:
            for member in rng.sample(members, per_task):
                narrowed = rng.random() < 0.1
                assignments.append(
                    Assignment(
                        task=task,
                        member=member,
                        share_percent=share,
                        start_date=task.start_date + datetime.timedelta(days=7) if narrowed else None,
                    )
                )
            if len(assignments) >= BATCH:
                Assignment.objects.bulk_create(assignments, batch_size=BATCH)
                assignments = []
        Assignment.objects.bulk_create(assignments, batch_size=BATCH)

    def _build_covers(self, team: Team, members: list[TeamMember], rng: random.Random) -> None:
        """Half of the duties of each stretch of time off covered by someone else, so covers cost what they do."""
        assignments = defaultdict(list)
        for assignment_id, member_id in Assignment.objects.filter(task__team=team).values_list("id", "member_id"):
            assignments[member_id].append(assignment_id)
        covers = []
        for member_id, first, last in TimeOff.objects.filter(member__team=team).values_list(
            "member_id", "start_date", "end_date"
        ):
            for assignment_id in assignments[member_id]:
                substitute = rng.choice(members)
                if rng.random() < 0.5 and substitute.pk != member_id:
                    covers.append(
                        Cover(assignment_id=assignment_id, member=substitute, start_date=first, end_date=last)
                    )
        self.stdout.write(f"Creating {len(covers)} covers…")
        Cover.objects.bulk_create(covers, batch_size=BATCH)
