"""Home sends each person where their work is; logging in and out."""

import pytest
from django.urls import reverse

from tests.factories import make_member, make_team, make_user

pytestmark = pytest.mark.django_db


def test_home_sends_the_manager_of_one_team_to_its_overview(client, team, manager):
    client.force_login(manager)
    assert client.get("/")["Location"] == reverse("assignments:team_overview", args=["marketing"])


def test_home_sends_the_manager_of_several_teams_to_the_teams_index(client, team, manager):
    make_team(slug="sales").managers.add(manager)
    client.force_login(manager)
    assert client.get("/")["Location"] == reverse("assignments:teams")


def test_home_sends_a_member_to_their_duties(client, team):
    user = make_user()
    make_member(team, user=user)
    client.force_login(user)
    assert client.get("/")["Location"] == reverse("assignments:my_duties")


def test_home_sends_staff_to_the_teams_index(client):
    client.force_login(make_user(is_staff=True))
    assert client.get("/")["Location"] == reverse("assignments:teams")


def test_home_sends_staff_who_manage_one_team_to_its_overview(client, team):
    staff = make_user(is_staff=True)
    team.managers.add(staff)
    make_team(slug="sales")
    client.force_login(staff)
    assert client.get("/")["Location"] == reverse("assignments:team_overview", args=["marketing"])


def test_home_tells_someone_on_no_team_so(client):
    client.force_login(make_user())
    response = client.get("/")
    assert response.status_code == 200
    assert b"not on a team yet" in response.content


def test_login_page_is_ours(client):
    assert b"Log in to Teamplanner" in client.get(reverse("login")).content


def test_login_with_the_right_password_redirects(client, manager):
    manager.set_password("a-good-password")
    manager.save()
    response = client.post(reverse("login"), {"username": "boss", "password": "a-good-password"})
    assert response.status_code == 302


def test_after_logout_home_sends_to_the_login_page(client, manager):
    client.force_login(manager)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/")["Location"].startswith(reverse("login"))
