"""The board's page kept under the team's plan revision (assignments/views/board_loads.py, ``board_page``):
a second read runs fewer queries, and a write is seen at once.

These tests commit (``transaction=True``): the cache is only used outside a transaction.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments import plan_cache
from tests.factories import make_assignment, make_holding, make_member, make_task

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_cache():
    plan_cache._cache_down_until = 0.0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def assignment(team, specialist, this_monday):
    ayu = make_member(team, full_name="Ayu Lestari")
    make_holding(ayu, specialist, start_date=this_monday)
    task = make_task(team, specialist, title="Reply to DMs", cadence="daily", effort_hours=2, start_date=this_monday)
    return make_assignment(task, ayu, share_percent=40)


def board(client):
    return client.get(reverse("assignments:team_board", args=["marketing"]))


def test_a_second_read_runs_fewer_queries_and_a_write_is_seen_at_once(manager_client, assignment):
    with CaptureQueriesContext(connection) as first:
        assert board(manager_client).status_code == 200
    with CaptureQueriesContext(connection) as second:
        again = board(manager_client)
    assert len(second) < len(first)
    field = f'name="share-{assignment.pk}-share_percent" value='
    assert f'{field}"40"' in again.content.decode()
    url = reverse("assignments:assignment_share", args=["marketing", assignment.pk])
    manager_client.post(url, {f"share-{assignment.pk}-share_percent": 60})
    after = board(manager_client).content.decode()
    assert f'{field}"60"' in after and f'{field}"40"' not in after
    assert after.count("Ayu Lestari") >= 2  # on the card and on the load panel


def test_the_kept_rows_carry_the_requests_own_csrf_field(manager_client, assignment):
    board(manager_client)
    html = board(manager_client).content.decode()
    token = manager_client.cookies["csrftoken"].value if "csrftoken" in manager_client.cookies else None
    assert "\x00" not in html
    assert html.count('name="csrfmiddlewaretoken"') >= 2
    assert token is None or token not in html  # masked per response, never the kept placeholder


def test_a_failed_plain_post_shows_its_error_beside_the_share_even_with_the_page_kept(manager_client, assignment):
    board(manager_client)
    url = reverse("assignments:assignment_share", args=["marketing", assignment.pk])
    response = manager_client.post(url, {f"share-{assignment.pk}-share_percent": 0})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="errorlist assignee__errors"' in html and 'value="0"' in html


def test_a_filter_asked_for_is_kept_apart_from_the_plain_board(manager_client, assignment, strategist):
    board(manager_client)
    url = reverse("assignments:team_board", args=["marketing"])
    # an invalid filter is no filter, but its menus show what was asked for: not kept for the plain board
    asked = manager_client.get(url, {"focus": "strategic", "role": "bogus"}).content.decode()
    assert '<option value="strategic" selected>' in asked
    assert '<option value="strategic" selected>' not in board(manager_client).content.decode()
    filtered = manager_client.get(url, {"focus": "strategic"}).content.decode()
    assert "Reply to DMs" not in filtered and "Reply to DMs" in board(manager_client).content.decode()
