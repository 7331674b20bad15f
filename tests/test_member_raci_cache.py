"""The member page's and My duties' RACI lists are kept with their cached rows: a letter given or taken, or a
task archived, is seen at once (the writes renew the plan revision). These tests commit: the cache is only
used outside a transaction."""

import datetime

import pytest
from django.core.cache import cache

from assignments import plan_cache, selectors, services
from assignments.raci import raci_set
from tests.factories import make_member, make_task, make_team

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY = datetime.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def fresh_cache():
    plan_cache._cache_down_until = 0.0
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("selector", ["member_page", "my_duties"])
def test_a_letter_or_an_archived_task_is_seen_at_once(selector):
    team = make_team(slug="marketing")
    ayu = make_member(team, full_name="Ayu")
    task = make_task(team, title="Plan the quarter", start_date=MONDAY)

    def lists():
        result = getattr(selectors, selector)(member=ayu, today=MONDAY)
        raci = result.raci if selector == "member_page" else result.page.raci
        return [[named.task.title for named in tasks] for tasks in raci.all_lists]

    assert lists() == [[], [], []]
    raci_set(task=task, member=ayu, letter="A")
    assert lists() == [["Plan the quarter"], [], []]
    raci_set(task=task, member=ayu, letter="C")
    assert lists() == [[], ["Plan the quarter"], []]
    services.task_archive(task=task)
    assert lists() == [[], [], []]
