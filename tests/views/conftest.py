"""Fixtures of the page tests: "today" frozen on a known Wednesday, a team with its manager, two roles."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from assignments.calendars import monday_of
from roles.models import Role
from tests.factories import make_role, make_team, make_user
from tests.views.helpers import WEDNESDAY


@dataclass
class Today:
    date: datetime.date


@pytest.fixture(autouse=True)
def today(monkeypatch) -> Today:
    """Freeze "today" (``timezone.localdate()``, which every view reads) on a Wednesday.

    A test moves it with ``today.date = SATURDAY``.
    """
    real_localdate = timezone.localdate
    clock = Today(WEDNESDAY)

    def localdate(value=None, timezone=None):
        return clock.date if value is None else real_localdate(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return clock


@pytest.fixture
def this_monday(today):
    return monday_of(today.date)


@pytest.fixture
def team():
    return make_team(slug="marketing", name="Marketing")


@pytest.fixture
def manager(team):
    user = make_user(username="boss")
    team.managers.add(user)
    return user


@pytest.fixture
def specialist():
    return make_role(Role.Focus.OPERATIONAL, name="Social Media Specialist", slug="specialist")


@pytest.fixture
def strategist():
    return make_role(Role.Focus.STRATEGIC, name="Social Media Strategist", slug="strategist")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client
