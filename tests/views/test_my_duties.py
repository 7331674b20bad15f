"""My duties: today's and this week's duties, roles, and the dual role flag (today frozen: tests/views/conftest.py)."""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

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


# ------------------------------------------------------------------ next week, and the person's tasks

THURSDAY = WEDNESDAY + datetime.timedelta(days=1)


def test_my_duties_lists_next_weeks_duties_by_day(rina_client, today, this_monday):
    """On a Thursday a daily task that started Monday was only in "this week"; next week's days were nowhere."""
    today.date = THURSDAY
    response = rina_client.get(MY_DUTIES)
    next_monday = this_monday + datetime.timedelta(days=7)
    assert [(duty.date, duty.task.title) for duty in response.context["duties"].next_week] == [
        (next_monday + datetime.timedelta(days=offset), "Reply to DMs") for offset in range(5)
    ]
    assertContains(response, "Next week")


def test_my_duties_lists_the_members_current_and_upcoming_tasks(rina_client, team, specialist, this_monday):
    rina = team.members.get(full_name="Rina")
    upcoming = make_task(
        team, specialist, title="Plan January", cadence="weekly", start_date=this_monday + datetime.timedelta(days=21)
    )
    make_assignment(upcoming, rina, share_percent=40)
    tasks = rina_client.get(MY_DUTIES).context["duties"].page.tasks
    assert [(row.title, row.upcoming) for row in tasks] == [
        ("Reply to DMs", False),
        ("Plan January", True),
    ]


def test_my_duties_shows_each_tasks_role_cadence_share_and_dates(rina_client, team, specialist, this_monday):
    rina = team.members.get(full_name="Rina")
    task = make_task(
        team,
        specialist,
        title="Holiday campaign posts",
        cadence="weekly",
        start_date=this_monday,
        end_date=datetime.date(2026, 12, 31),
    )
    make_assignment(task, rina, share_percent=40)
    response = rina_client.get(MY_DUTIES)
    assertContains(response, "<td>Social Media Specialist</td>", html=True)
    assertContains(response, "40 %")
    assertContains(response, "30 Nov 2026 – 31 Dec 2026")


def test_my_duties_leaves_out_tasks_that_have_ended(rina_client, team, specialist):
    rina = team.members.get(full_name="Rina")
    ended = make_task(
        team,
        specialist,
        title="Autumn launch",
        cadence="weekly",
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2026, 11, 1),
    )
    make_assignment(ended, rina)
    assertNotContains(rina_client.get(MY_DUTIES), "Autumn launch")
