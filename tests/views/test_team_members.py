"""A team's members page: who is on the team with capacity and active state; a manager adds a member there."""

from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from roles.models import TeamMember
from tests.factories import make_member, make_team, make_user
from tests.views.helpers import HTMX

pytestmark = pytest.mark.django_db

MEMBERS = reverse("assignments:team_members", args=["marketing"])
ADD = reverse("assignments:member_add", args=["marketing"])


def new_member(**overrides) -> dict:
    data = {"full_name": "Dewi Lestari", "email": "dewi@example.com", "job_title": "", "weekly_capacity_hours": "24"}
    data.update(overrides)
    data.setdefault("is_active", "on")
    return {f"new-{name}": value for name, value in data.items() if value is not None}


def test_team_members_lists_everyone_with_capacity_and_active_state(manager_client, team):
    make_member(team, full_name="Rina", weekly_capacity_hours=32)
    make_member(team, full_name="Joko", is_active=False)
    response = manager_client.get(MEMBERS)
    assertContains(response, "Rina")
    assertContains(response, '<td class="number">32.00 h</td>', html=True)
    assertContains(response, '<span class="tag">inactive</span>', html=True)


def test_team_members_lists_active_members_before_inactive_ones(manager_client, team):
    make_member(team, full_name="Ani", is_active=False)
    make_member(team, full_name="Bayu")
    names = [member.full_name for member in manager_client.get(MEMBERS).context["members"]]
    assert names == ["Bayu", "Ani"]


def test_team_members_leaves_out_other_teams(manager_client, team):
    make_member(make_team(), full_name="Outsider")
    assertNotContains(manager_client.get(MEMBERS), "Outsider")


def test_add_member_creates_them_in_the_team(manager_client, team):
    manager_client.post(ADD, new_member())
    member = TeamMember.objects.get(email="dewi@example.com")
    assert (member.team, member.full_name, member.weekly_capacity_hours, member.is_active) == (
        team,
        "Dewi Lestari",
        Decimal("24.00"),
        True,
    )


def test_add_member_without_javascript_goes_to_their_page(manager_client, team):
    response = manager_client.post(ADD, new_member())
    member = TeamMember.objects.get(email="dewi@example.com")
    assert (response.status_code, response["Location"]) == (302, reverse("assignments:member", args=[member.pk]))


def test_add_member_with_htmx_sends_the_browser_to_their_page(manager_client, team):
    response = manager_client.post(ADD, new_member(), **HTMX)
    member = TeamMember.objects.get(email="dewi@example.com")
    assert response["HX-Redirect"] == reverse("assignments:member", args=[member.pk])


def test_add_member_with_a_taken_email_shows_the_error_beside_the_email(manager_client, team):
    make_member(make_team(), email="dewi@example.com")
    response = manager_client.post(ADD, new_member(email="Dewi@Example.com"))
    assert response.status_code == 400
    assert response.context["member_form"].errors == {"email": ["A member with this email already exists."]}
    assert TeamMember.objects.filter(team=team).count() == 0


def test_add_member_with_htmx_and_errors_returns_the_form_with_them(manager_client, team):
    response = manager_client.post(ADD, new_member(full_name="", weekly_capacity_hours="169"), **HTMX)
    assert response.status_code == 200
    assert set(response.context["member_form"].errors) == {"full_name", "weekly_capacity_hours"}
    assert response.content.decode().lstrip().startswith('<section class="panel" id="add-member"')


def test_team_members_page_is_not_found_for_a_member_of_the_team(client, team):
    user = make_user()
    make_member(team, user=user)
    client.force_login(user)
    assert client.get(MEMBERS).status_code == 404
    assert client.post(ADD, new_member()).status_code == 404
    assert not TeamMember.objects.filter(email="dewi@example.com").exists()


def test_another_teams_manager_cannot_add_a_member(client, team):
    other_manager = make_user()
    make_team().managers.add(other_manager)
    client.force_login(other_manager)
    assert client.post(ADD, new_member()).status_code == 404
    assert not TeamMember.objects.filter(email="dewi@example.com").exists()
