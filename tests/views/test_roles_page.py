"""The role catalog: roles side by side by focus, and who holds each in the viewer's teams."""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import make_holding, make_member, make_team, make_user

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.date(2020, 1, 1)


@pytest.fixture
def sari_client(client, team, specialist, strategist):
    """Sari holds the specialist role; someone on another team holds the strategist role."""
    user = make_user()
    make_holding(make_member(team, user=user, full_name="Sari"), specialist, start_date=LONG_AGO)
    make_holding(make_member(make_team(), full_name="Outsider"), strategist, start_date=LONG_AGO)
    client.force_login(user)
    return client


def test_role_catalog_shows_operational_roles_before_strategic_ones(sari_client):
    page = sari_client.get(reverse("roles:catalog")).content.decode()
    assert page.index("Social Media Specialist") < page.index("Social Media Strategist")


def test_role_catalog_shows_who_holds_a_role_in_the_members_team(sari_client):
    assertContains(sari_client.get(reverse("roles:catalog")), "Sari")


def test_role_catalog_hides_another_teams_holders(sari_client):
    assertNotContains(sari_client.get(reverse("roles:catalog")), "Outsider")
