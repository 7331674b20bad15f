"""The member page's and My duties' cached rows: a second look runs no engine, and any write to the plan
(or to a role's responsibilities, which are not part of it) is seen at once (assignments/selectors/member.py).

These tests commit (``transaction=True``): the cache is only used outside a transaction.
"""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assignments import plan_cache, selectors, services
from roles import services as role_services
from tests.factories import make_assignment, make_holding, make_member, make_role, make_task, make_team

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY = datetime.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def fresh_cache():
    plan_cache._cache_down_until = 0.0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ayu():
    team = make_team(slug="marketing")
    role = make_role()
    role.responsibilities.create(title="Publish posts", position=1)
    ayu = make_member(team, full_name="Ayu")
    make_holding(ayu, role, start_date=MONDAY)
    task = make_task(team, role, title="Posting", cadence="daily", effort_hours=2, start_date=MONDAY)
    make_assignment(task, ayu, share_percent=50)
    return ayu


def counted(read):
    with CaptureQueriesContext(connection) as queries:
        value = read()
    return value, len(queries)


@pytest.mark.parametrize("selector", ["member_page", "my_duties"])
def test_a_second_look_comes_from_the_cache_and_a_write_is_seen_at_once(ayu, selector):
    def read():
        result = getattr(selectors, selector)(member=ayu, today=MONDAY)
        return result if selector == "member_page" else result.page

    first, cold = counted(read)
    again, warm = counted(read)
    assert warm < cold
    assert warm <= 2  # the team's revision and the roles' responsibilities
    assert again.workload.weeks[0].total_hours == first.workload.weeks[0].total_hours == 5
    assert [(row.title, row.share_percent) for row in again.tasks] == [("Posting", 50)]
    services.assignment_update(assignment=ayu.assignments.get(), share_percent=20)
    changed = read()
    assert changed.workload.weeks[0].total_hours == 2
    assert [(row.title, row.share_percent) for row in changed.tasks] == [("Posting", 20)]
    role_services.time_off_create(member=ayu, start_date=MONDAY, end_date=MONDAY)
    assert [off.start_date for off in read().time_off] == [MONDAY]


def test_a_roles_responsibilities_are_read_fresh(ayu):
    selectors.member_page(member=ayu, today=MONDAY)
    role = ayu.role_holdings.get().role
    role.responsibilities.create(title="Answer comments", position=2)
    page = selectors.member_page(member=ayu, today=MONDAY)
    titles = [r.title for r in page.holdings[0].holding.role.responsibilities.all()]
    assert titles == ["Publish posts", "Answer comments"]


def test_my_duties_are_cached_apart_from_the_member_page(ayu):
    selectors.member_page(member=ayu, today=MONDAY)
    duties = selectors.my_duties(member=ayu, today=MONDAY)
    assert [duty.task.title for duty in duties.today] == ["Posting"]
