"""The overview from the plan's cache: a second read runs no engine, a write is seen at once, and what is
cached holds nothing of the reader (language) or of the day (assignments/selectors/overview.py).

These tests commit (``transaction=True``): the cache is only used outside a transaction.
"""

import datetime
import pickle

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments import plan_cache, services
from assignments.flag_lines import flag_lines
from assignments.flags import team_flags
from assignments.workload import team_workload
from tests.factories import make_assignment, make_holding, make_member, make_task
from tests.views.helpers import HTMX

pytestmark = pytest.mark.django_db(transaction=True)

OVERVIEW = reverse("assignments:team_overview", args=["marketing"])


@pytest.fixture(autouse=True)
def fresh_cache():
    plan_cache._cache_down_until = 0.0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rina(team, specialist, strategist, this_monday):
    """45 h of weekly work against 40 h: over capacity in every week of the window."""
    rina = make_member(team, full_name="Rina", weekly_capacity_hours=40)
    make_holding(rina, specialist, start_date=this_monday)
    make_holding(rina, strategist, start_date=this_monday)
    task = make_task(team, specialist, cadence="weekly", effort_hours=45, start_date=this_monday)
    return rina, make_assignment(task, rina)


def get(client, url, **headers) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_second_read_runs_no_engine_and_a_write_is_seen_at_once(manager_client, rina):
    _member, assignment = rina
    first, first_queries = get(manager_client, OVERVIEW)
    again, again_queries = get(manager_client, OVERVIEW)
    assert again_queries < first_queries  # the engine's queries are gone: the plan's revision says it is the same
    assert again.count('<li class="flag ') == first.count('<li class="flag ') > 0
    assert "45.00 / 40.00 h" in again
    services.assignment_update(assignment=assignment, share_percent=20)
    after, _queries = get(manager_client, OVERVIEW)
    assert "9.00 / 40.00 h" in after and "45.00 / 40.00 h" not in after


def test_the_heatmap_pages_and_filters_read_the_same_entry(manager_client, rina, specialist):
    get(manager_client, OVERVIEW)
    _html, plain = get(manager_client, OVERVIEW)
    _html, filtered = get(manager_client, f"{OVERVIEW}?band=over&role={specialist.pk}&page=2")
    assert filtered == plain


def test_the_cached_overview_is_written_in_each_readers_language(manager_client, rina):
    english, _queries = get(manager_client, OVERVIEW)
    assert "Over capacity" in english and "Week of 30 Nov" in english
    indonesian, _queries = get(manager_client, OVERVIEW, HTTP_ACCEPT_LANGUAGE="id")
    assert "Melebihi kapasitas" in indonesian and "Minggu mulai" in indonesian
    assert "Over capacity" not in indonesian and "Week of" not in indonesian


def test_this_week_is_the_days_not_the_caches(manager_client, rina, today):
    assert 'class="week-current"' in get(manager_client, OVERVIEW)[0]
    today.date += datetime.timedelta(days=7)  # the window shown stays the one asked for: next week is current
    html, _queries = get(manager_client, f"{OVERVIEW}?start=2026-11-30")
    assert html.count('class="week-current"') == 1
    assert html.index('class="week-current"') > html.index("Week of 30 Nov")


def test_a_line_is_cached_without_its_sentence(team, rina, this_monday):
    [line, *_rest] = flag_lines(team_flags(team_workload(team=team, start=this_monday, weeks=6)))
    assert line.sentence
    assert "sentence" not in pickle.loads(pickle.dumps(line)).__dict__


def test_a_folded_kind_is_fetched_from_the_cache_and_sees_a_write(manager_client, team, specialist, this_monday):
    people = [make_member(team, full_name=f"Person {number:02}", weekly_capacity_hours=1) for number in range(13)]
    for person in people:
        make_assignment(make_task(team, specialist, cadence="weekly", effort_hours=2, start_date=this_monday), person)
    url = reverse("assignments:flag_group", args=["marketing", "over_allocated"]) + "?start=2026-11-30"
    first, first_queries = get(manager_client, url, **HTMX)
    again, again_queries = get(manager_client, url, **HTMX)
    assert (again, again_queries < first_queries) == (first, True)
    assert first.count('<li class="flag flag--over_allocated') == 13
    person = people[0]
    person.weekly_capacity_hours = 40
    person.save()  # through the model: the revision is renewed by the database (plan_cache)
    assert get(manager_client, url, **HTMX)[0].count('<li class="flag flag--over_allocated') == 12
