"""My duties: today's and this week's duties, roles, and the dual role flag (today frozen: tests/views/conftest.py)."""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.factories import make_assignment, make_holding, make_member, make_task, make_user
from tests.views.helpers import SATURDAY, WEDNESDAY

pytestmark = pytest.mark.django_db

MY_DUTIES = reverse("assignments:my_duties")


@pytest.fixture
def rina_client(client, team, specialist, strategist, this_monday):
    """Rina holds both roles and replies to DMs every working day from this Monday."""
    user = make_user()
    rina = make_member(team, user=user, full_name="Rina")
    make_holding(rina, specialist, start_date=this_monday)
    make_holding(rina, strategist, start_date=this_monday)
    task = make_task(team, specialist, title="Reply to DMs", cadence="daily", effort_hours=1, start_date=this_monday)
    make_assignment(task, rina)
    client.force_login(user)
    return client


def test_my_duties_greets_the_member(rina_client):
    assertContains(rina_client.get(MY_DUTIES), "Hello, Rina")


def test_my_duties_says_the_member_covers_both_kinds_of_role(rina_client):
    assertContains(rina_client.get(MY_DUTIES), "You cover both operational and strategic roles.")


def test_my_duties_lists_the_members_roles(rina_client):
    assertContains(rina_client.get(MY_DUTIES), "Social Media Strategist")


def test_my_duties_lists_todays_duties_on_a_working_day(rina_client):
    duties = rina_client.get(MY_DUTIES).context["duties"]
    assert [(duty.date, duty.task.title) for duty in duties.today] == [(WEDNESDAY, "Reply to DMs")]


def test_my_duties_lists_this_weeks_duties_by_day(rina_client, this_monday):
    duties = rina_client.get(MY_DUTIES).context["duties"]
    working_days = [this_monday + datetime.timedelta(days=offset) for offset in range(5)]
    assert [(duty.date, duty.task.title) for duty in duties.this_week] == [
        (day, "Reply to DMs") for day in working_days
    ]


def test_my_duties_shows_a_duty_under_today_and_this_week(rina_client):
    assert rina_client.get(MY_DUTIES).content.decode().count("Reply to DMs") >= 2


def test_my_duties_on_a_weekend_has_nothing_planned_for_today(rina_client, today):
    today.date = SATURDAY
    response = rina_client.get(MY_DUTIES)
    assert response.context["duties"].today == []
    assertContains(response, "Nothing planned for today.")


def test_my_duties_on_a_weekend_still_lists_this_weeks_duties(rina_client, today):
    today.date = SATURDAY
    assert len(rina_client.get(MY_DUTIES).context["duties"].this_week) == 5
