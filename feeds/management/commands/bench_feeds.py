"""What a calendar feed costs at size S, L or XL, against one run of the workload engine.

On ``bench_workload``'s synthetic team, kept in a database of its own (``bench_workload --size L --keep``:
the feeds are measured outside any transaction, as a request sees them, so the plan's cache is in play),
it times with the median of ``--runs``:

- (b) one engine run (``team_report`` over 8 weeks, flags included), as ``bench_workload`` does;
- the member feed of the busiest member, and the team feed, computed (what the first request after a
  change to the plan pays): the reads, the series, the iCalendar text; once cold (the process's memos of
  task days and encodings empty, as after a start) and then the median of the runs;
- a GET of each through the view with the plan's cache warm (what a polling calendar app pays between
  changes), and a conditional GET answered 304;

and prints each as a multiple of (b), with its queries, size, size in the cache and number of events.

It makes what a feed needs and removes it again: a temporary login that manages the team (a team's feed
opens only while its address's maker does) and is the busiest member's when they have none (a member's
feed opens only for an active login), the two feed addresses, and the two feeds' entries in the cache (no
other entry is touched). It refuses to run when the busiest member or the team already has an address:
it is not its to replace.
"""

import gc
import secrets
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.urls import reverse

from assignments.management.commands.bench_workload import START, WEEKS
from assignments.report import team_report
from feeds import duties, ical
from feeds.models import FeedToken
from feeds.selectors import feed_cache_key, feed_of_token, feed_text
from feeds.services import feed_address_replace
from roles.models import Team, TeamMember

HOST = "127.0.0.1"


class QueryCounter:
    """Counts the statements run (a database execute wrapper: unlike the debug log, a request does not reset it)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def counted() -> Iterator[QueryCounter]:
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        yield counter


class Command(BaseCommand):
    help = "Time a member's and a team's calendar feed on bench_workload's kept synthetic team, against the engine."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=["S", "L", "XL"], default="L")
        parser.add_argument("--runs", type=int, default=5, help="Timed runs of each measurement (median reported).")

    def handle(self, *args, size: str, runs: int, **options):
        team = Team.objects.filter(slug=f"bench-{size.lower()}").first()
        if team is None:
            raise CommandError(f"No synthetic team of size {size}: run `bench_workload --size {size} --keep` first.")
        runs = max(runs, 1)
        busiest = team.members.annotate(work=Count("assignments")).order_by("-work", "pk").first()
        if FeedToken.objects.filter(Q(member=busiest) | Q(team=team)).exists():
            raise CommandError(
                f"The team {team.slug} or its busiest member ({busiest}) already has a calendar feed address, "
                "which bench_feeds would replace: delete it in the admin first, or use a database of its own."
            )
        login = get_user_model().objects.create_user(username=f"bench-feeds-{secrets.token_hex(4)}")
        team.managers.add(login)
        if busiest.user_id is None:  # update(): no history entry; the plan's revision is renewed before measuring
            TeamMember.objects.filter(pk=busiest.pk).update(user=login)
        cache_keys = []
        try:
            tokens = [
                feed_address_replace(member=busiest, user=login, language="en")[0],
                feed_address_replace(team=team, user=login, language="en")[0],
            ]
            engine = statistics.median(self._time(lambda: team_report(team=team, start=START, weeks=WEEKS), runs))
            self.stdout.write(
                f"bench_feeds size={size} database={connection.vendor} runs={runs}; the busiest member has "
                f"{busiest.work} assignments\n  (b) engine, 8 weeks       median {engine * 1000:9.1f} ms"
            )
            for label, token in zip(["member feed", "team feed"], tokens, strict=True):
                self._measure(label, token.token, engine, runs, cache_keys)
        finally:
            cache.delete_many(cache_keys)
            FeedToken.objects.filter(created_by=login).delete()
            login.delete()  # and with it the busiest member's login, if it was this one (SET_NULL)

    def _measure(self, label: str, token: str, engine: float, runs: int, cache_keys: list[str]) -> None:
        feed = feed_of_token(token)
        key = feed_cache_key(feed, domain=HOST)
        cache_keys.append(key)
        duties.forget_memos()
        ical.forget_memos()
        with counted() as queries:
            began = time.perf_counter()
            body = feed_text(feed, domain=HOST)
            cold = time.perf_counter() - began
        computed = statistics.median(self._time(lambda: feed_text(feed, domain=HOST), runs))
        url = reverse("feeds:calendar", args=[token])
        client = Client()
        cache.delete(key)
        etag = client.get(url, HTTP_HOST=HOST)["ETag"]  # fills the cache
        kept = cache.get(key)
        with counted() as warm_queries:
            client.get(url, HTTP_HOST=HOST)
        warm = statistics.median(self._time(lambda: client.get(url, HTTP_HOST=HOST), runs))
        with counted() as not_modified_queries:
            answer = client.get(url, HTTP_HOST=HOST, HTTP_IF_NONE_MATCH=etag)
        if answer.status_code != 304:
            raise CommandError(f"{label}: a conditional GET answered {answer.status_code}, not 304.")
        not_modified = statistics.median(
            self._time(lambda: client.get(url, HTTP_HOST=HOST, HTTP_IF_NONE_MATCH=etag), runs)
        )
        in_cache = f"{len(kept) / 1024:,.1f} KB compressed in the cache" if kept else "not in the cache"
        self.stdout.write(
            f"  {label}: {body.count(b'BEGIN:VEVENT')} events, {len(body) / 1024:,.1f} KB ({in_cache})\n"
            f"    computed, cold        first  {cold * 1000:9.1f} ms  /b {cold / engine:6.2f}  "
            f"({queries.count} queries)\n"
            f"    computed              median {computed * 1000:9.1f} ms  /b {computed / engine:6.2f}\n"
            f"    GET, cache warm       median {warm * 1000:9.1f} ms  /b {warm / engine:6.3f}  "
            f"({warm_queries.count} queries)\n"
            f"    GET, 304              median {not_modified * 1000:9.1f} ms  /b {not_modified / engine:6.3f}  "
            f"({not_modified_queries.count} query)"
        )

    @staticmethod
    def _time(function: Callable, runs: int) -> list[float]:
        times = []
        for _ in range(runs):
            gc.collect()
            began = time.perf_counter()
            function()
            times.append(time.perf_counter() - began)
        return times
