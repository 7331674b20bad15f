"""A member's page: what it shows, to whom, and the manager's writes there (holdings, time off)."""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from roles.models import RoleHolding, TimeOff
from tests.factories import make_assignment, make_holding, make_member, make_task, make_time_off, make_user
from tests.views.helpers import HTMX

pytestmark = pytest.mark.django_db


def member_url(member) -> str:
    return reverse("assignments:member", args=[member.pk])


@pytest.fixture
def rina(team, specialist, strategist, this_monday):
    rina = make_member(team, full_name="Rina", job_title="Lead")
    make_holding(rina, specialist, start_date=this_monday)
    make_holding(rina, strategist, start_date=this_monday)
    specialist.responsibilities.create(title="Publish and schedule posts")
    task = make_task(team, specialist, title="Weekly post", cadence="weekly", effort_hours=3, start_date=this_monday)
    make_assignment(task, rina)
    make_time_off(rina, this_monday + datetime.timedelta(days=14), this_monday + datetime.timedelta(days=15), "Leave")
    return rina


def test_member_page_shows_the_person(manager_client, rina):
    response = manager_client.get(member_url(rina))
    assertContains(response, "Rina")
    assertContains(response, "Lead")


def test_member_page_shows_roles_and_their_responsibilities(manager_client, rina):
    response = manager_client.get(member_url(rina))
    assertContains(response, "Social Media Specialist")
    assertContains(response, "Publish and schedule posts")


def test_member_page_shows_tasks_and_time_off(manager_client, rina):
    response = manager_client.get(member_url(rina))
    assertContains(response, "Weekly post")
    assertContains(response, "Leave")


def test_member_page_shows_the_load_as_a_chart(manager_client, rina):
    response = manager_client.get(member_url(rina))
    assertContains(response, "<svg")
    assertContains(response, 'class="bar-operational"')


def test_member_page_shows_the_flags_that_name_the_person(manager_client, rina):
    assertContains(manager_client.get(member_url(rina)), "Rina covers both operational and strategic roles")


def test_member_page_gives_the_manager_the_forms(manager_client, rina):
    response = manager_client.get(member_url(rina))
    assertContains(response, "Add a role")
    assertContains(response, "Record time off")


def test_member_page_offers_to_end_only_holdings_still_running(manager_client, team, specialist, strategist):
    member = make_member(team)
    ended = make_holding(member, specialist, start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 6, 30))
    running = make_holding(member, strategist, start_date=datetime.date(2026, 1, 1))
    ends_later = make_holding(
        member, specialist, start_date=datetime.date(2026, 7, 1), end_date=datetime.date(2027, 1, 1)
    )
    rows = {row.holding.pk: row.end_form for row in manager_client.get(member_url(member)).context["holdings"]}
    assert (rows[ended.pk], rows[running.pk] is not None, rows[ends_later.pk] is not None) == (None, True, True)


def test_member_sees_their_own_page(client, team):
    user = make_user()
    member = make_member(team, user=user)
    client.force_login(user)
    assertContains(client.get(member_url(member)), member.full_name)


def test_member_sees_their_own_page_without_the_manager_forms(client, team):
    user = make_user()
    member = make_member(team, user=user)
    client.force_login(user)
    assertNotContains(client.get(member_url(member)), "Record time off")


def test_member_cannot_record_their_own_time_off(client, team):
    user = make_user()
    member = make_member(team, user=user)
    client.force_login(user)
    assert client.post(reverse("assignments:time_off_add", args=[member.pk])).status_code == 404


# ------------------------------------------------------------------ the manager's writes


def add_holding(client, member, data, **headers):
    return client.post(reverse("assignments:holding_add", args=[member.pk]), data, **headers)


def test_add_holding_ending_before_it_starts_shows_the_error_beside_the_end(manager_client, team, strategist):
    member = make_member(team)
    data = {"holding-role": strategist.pk, "holding-start_date": "2026-12-01", "holding-end_date": "2026-11-01"}
    response = add_holding(manager_client, member, data, **HTMX)
    message = "The end date must be on or after the start date."
    assert response.context["holding_form"].errors == {"end_date": [message]}
    assertContains(response, message)


def test_add_holding_ending_before_it_starts_adds_nothing(manager_client, team, strategist):
    member = make_member(team)
    data = {"holding-role": strategist.pk, "holding-start_date": "2026-12-01", "holding-end_date": "2026-11-01"}
    add_holding(manager_client, member, data, **HTMX)
    assert not RoleHolding.objects.exists()


def test_add_holding_saves_it(manager_client, team, strategist):
    member = make_member(team)
    add_holding(manager_client, member, {"holding-role": strategist.pk, "holding-start_date": "2026-12-01"}, **HTMX)
    holding = RoleHolding.objects.get()
    assert (holding.member, holding.role, holding.start_date) == (member, strategist, datetime.date(2026, 12, 1))


@pytest.fixture
def holding(team, strategist):
    return make_holding(make_member(team), strategist, start_date=datetime.date(2026, 12, 1))


def test_end_holding_without_javascript_redirects_back(manager_client, holding):
    url = reverse("assignments:holding_end", args=[holding.member.pk, holding.pk])
    assert manager_client.post(url, {f"end-{holding.pk}-end_date": "2026-12-31"}).status_code == 302


def test_end_holding_saves_the_last_day(manager_client, holding):
    url = reverse("assignments:holding_end", args=[holding.member.pk, holding.pk])
    manager_client.post(url, {f"end-{holding.pk}-end_date": "2026-12-31"})
    holding.refresh_from_db()
    assert holding.end_date == datetime.date(2026, 12, 31)


def test_record_time_off_with_htmx_shows_it_on_the_page(manager_client, team):
    member = make_member(team)
    data = {"off-start_date": "2026-12-24", "off-end_date": "2026-12-26", "off-reason": "Holiday"}
    response = manager_client.post(reverse("assignments:time_off_add", args=[member.pk]), data, **HTMX)
    assert response.status_code == 200
    assertContains(response, "Holiday")


def test_record_time_off_saves_it(manager_client, team):
    member = make_member(team)
    data = {"off-start_date": "2026-12-24", "off-end_date": "2026-12-26", "off-reason": "Holiday"}
    manager_client.post(reverse("assignments:time_off_add", args=[member.pk]), data, **HTMX)
    assert TimeOff.objects.get().reason == "Holiday"
