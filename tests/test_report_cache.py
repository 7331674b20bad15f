"""The cached team report: never stale after any write, shared by instances through Redis, and a cache
outage only means computing (docs/rules.md, "Decisions the project made"; assignments/report.py).

These tests commit (``transaction=True``): the cache is only used outside a transaction.
"""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from assignments import cover_services, plan_cache, services
from assignments.document import workload_document
from assignments.report import team_report
from roles import services as role_services
from tests.factories import make_assignment, make_holding, make_member, make_role, make_task, make_team

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent
MONDAY = datetime.date(2026, 11, 30)
REDIS_URL = os.environ.get("TEAMPLANNER_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.5},
    }
}


def redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.2).ping())
    except redis.RedisError:
        return False


@pytest.fixture(autouse=True)
def fresh_cache():
    plan_cache._cache_down_until = 0.0
    cache.clear()
    yield
    plan_cache._cache_down_until = 0.0


@pytest.fixture
def plan():
    team = make_team(slug="marketing")
    role = make_role()
    ayu, citra = make_member(team, full_name="Ayu"), make_member(team, full_name="Citra")
    make_holding(ayu, role, start_date=MONDAY)
    task = make_task(team, role, title="Posting", cadence="daily", effort_hours=2, start_date=MONDAY)
    return team, role, ayu, citra, task, make_assignment(task, ayu, share_percent=50)


def hours(report_, member) -> str:
    document = workload_document(report_)
    return next(m for m in document["members"] if m["email"] == member.email)["weeks"][0]["total_hours"]


def test_a_second_read_comes_from_the_cache_and_a_write_is_seen_at_once(plan):
    team, _role, ayu, _citra, _task, assignment = plan
    assert hours(team_report(team=team, start=MONDAY, weeks=2), ayu) == "5.00"
    with CaptureQueriesContext(connection) as queries:
        again = team_report(team=team, start=MONDAY, weeks=2)
    assert len(queries) == 1  # the team's revision, nothing of the engine
    assert hours(again, ayu) == "5.00"
    services.assignment_update(assignment=assignment, share_percent=20)
    assert hours(team_report(team=team, start=MONDAY, weeks=2), ayu) == "2.00"


def test_inside_a_transaction_the_cache_is_neither_read_nor_written(plan):
    from django.db import transaction

    team, *_rest = plan
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        team_report(team=team, start=MONDAY, weeks=2)
    assert len(queries) > 1
    assert cache.get(plan_cache.cache_key(team.pk, team.plan_revision, ("team_report", MONDAY, 2, None))) is None


@override_settings(CACHES={"default": {**REDIS["default"], "LOCATION": "redis://127.0.0.1:1/0"}})
def test_a_cache_outage_degrades_to_computing(plan, caplog):
    team, _role, ayu, *_rest = plan
    assert hours(team_report(team=team, start=MONDAY, weeks=2), ayu) == "5.00"
    assert "The cache failed" in caplog.text
    caplog.clear()
    assert hours(team_report(team=team, start=MONDAY, weeks=2), ayu) == "5.00"
    assert "The cache failed" not in caplog.text  # it rests instead of failing on every request


def test_a_renamed_team_is_shown_with_its_new_name(plan):
    team, *_rest = plan
    team_report(team=team, start=MONDAY, weeks=2)
    team.name = "Renamed"
    team.save()
    assert team_report(team=team, start=MONDAY, weeks=2).workload.team.name == "Renamed"


@pytest.fixture
def other_instance(settings):
    """A second process of the app sharing PostgreSQL and Redis with this one."""
    if connection.vendor != "postgresql" or not redis_up():
        if os.environ.get("TEAMPLANNER_REQUIRE_REDIS") == "1":
            pytest.fail("this run must test the shared cache, but PostgreSQL or Redis is missing")
        pytest.skip("needs PostgreSQL (DATABASE_URL) and Redis on 127.0.0.1:6379")
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    environment = {**os.environ, "DATABASE_URL": url, "REDIS_URL": REDIS_URL}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "scripts" / "report_reader.py")],
        cwd=ROOT,
        env=environment,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )

    def read() -> dict:
        process.stdin.write(f"marketing {MONDAY.isoformat()} 2\n")
        process.stdin.flush()
        return json.loads(process.stdout.readline())

    with override_settings(CACHES=REDIS):
        cache.clear()
        yield read
    process.stdin.write("quit\n")
    process.stdin.close()
    process.wait(timeout=10)


def test_every_kind_of_write_is_seen_at_once_by_another_instance(plan, other_instance):
    team, role, ayu, citra, task, assignment = plan
    writes = [
        lambda: services.assignment_update(assignment=assignment, share_percent=20),
        lambda: services.assignment_create(task=task, member=citra, share_percent=30),
        lambda: services.task_update(task=task, effort_hours=3),
        lambda: role_services.time_off_create(member=ayu, start_date=MONDAY, end_date=MONDAY),
        lambda: cover_services.cover_create(assignment=assignment, member=citra, start_date=MONDAY, end_date=MONDAY),
        lambda: role_services.role_holding_create(member=citra, role=role, start_date=MONDAY),
        lambda: role_services.member_update(member=citra, weekly_capacity_hours=20),
        lambda: services.task_archive(task=task),
    ]
    first = other_instance()
    assert first == other_instance()  # the second read comes from the shared cache
    for write in writes:
        before = other_instance()
        write()
        after = other_instance()
        assert after != before, write
        assert after == workload_document(team_report(team=team, start=MONDAY, weeks=2))
