"""The role catalog: roles side by side by focus, and who holds each in the viewer's teams."""

import datetime

import pytest
from django.db import connection
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


def test_role_catalog_heads_each_roles_responsibilities(sari_client, specialist):
    specialist.responsibilities.create(title="Publish and schedule posts")
    response = sari_client.get(reverse("roles:catalog"))
    assertContains(response, '<h4 class="catalog-role__heading">Responsibilities</h4>', html=True)


@pytest.fixture
def overlapping_holdings_allowed(db):
    """Data from before the overlap rule: on PostgreSQL drop its exclusion constraint for this test only
    (the test's transaction rolls the drop back)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE roles_roleholding DROP CONSTRAINT roleholding_no_overlap")


def test_role_catalog_lists_a_person_holding_a_role_twice_once(client, team, specialist, overlapping_holdings_allowed):
    user = make_user()
    budi = make_member(team, user=user, full_name="Budi Santoso")
    make_holding(budi, specialist, start_date=LONG_AGO)
    make_holding(budi, specialist, start_date=datetime.date(2026, 6, 1))  # overlapping: entered before the rule
    client.force_login(user)
    catalog = client.get(reverse("roles:catalog")).context["catalog"]
    specialist_entry = next(entry for entry in catalog.operational if entry.role == specialist)
    assert [holding.member.full_name for holding in specialist_entry.holders] == ["Budi Santoso"]
