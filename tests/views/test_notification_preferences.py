"""The Notifications page: a logged-in person chooses which emails reach them (digest, notices, alerts)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import MailOptOut
from tests.factories import make_member, make_team, make_user

pytestmark = pytest.mark.django_db

URL = "/accounts/notifications/"
NO_MEMBER = "No team member is linked to your login"
NO_EMAIL = "Your login has no email address: no flag alerts can be sent until one is set."


@pytest.fixture
def rina(client, team):
    """A member of the team (her login linked to her TeamMember), managing nothing."""
    login = make_user(username="rina", email="rina.login@example.com")
    make_member(team, user=login, full_name="Rina Hartono", email="rina@example.com")
    client.force_login(login)
    return login


@pytest.fixture
def dewi(client, team):
    """A manager of the team who is also one of its members, with an email on her login."""
    login = make_user(username="dewi", email="Dewi@Example.com")
    team.managers.add(login)
    make_member(team, user=login, full_name="Dewi Sari", email="dewi.member@example.com")
    client.force_login(login)
    return login


def page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def opted_out() -> set[tuple[str, str]]:
    return set(MailOptOut.objects.values_list("address", "kind"))


def test_url_name_and_the_header_link(client, rina):
    assert reverse("notifications:preferences") == URL
    assert f'href="{URL}" aria-current="page">Notifications</a>' in page(client)


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.post(URL, {}).status_code == 302
    assert not MailOptOut.objects.exists()


def test_member_sees_digest_and_notices_but_no_alerts(client, rina):
    html = page(client)
    assert "Weekly digest of my duties" in html and "Assignment notices" in html
    assert "Sent to rina@example.com" in html  # the member's email, not the login's
    assert "Flag alerts" not in html and NO_MEMBER not in html
    assert html.count('type="checkbox"') == 2 and html.count("checked") == 2


def test_manager_sees_alerts_to_the_logins_email(client, dewi):
    html = page(client)
    assert "Flag alerts for my teams" in html and "Sent to Dewi@example.com" in html
    assert html.count('type="checkbox"') == 3


def test_saving_writes_and_removes_opt_outs(client, dewi):
    response = client.post(URL, {"digest": "on"})  # notices and alerts unticked
    assert response.status_code == 302 and response["Location"] == URL
    assert opted_out() == {("dewi.member@example.com", "notice"), ("dewi@example.com", "alert")}
    html = client.get(URL).content.decode()
    assert "Your choices are saved." in html
    assert html.count("checked") == 1  # the digest alone
    client.post(URL, {"digest": "on", "notice": "on"})
    assert opted_out() == {("dewi@example.com", "alert")}
    client.post(URL, {"digest": "on", "notice": "on", "alert": "on"})
    assert opted_out() == set()


def test_an_opt_out_made_by_an_unsubscribe_link_shows_unticked(client, rina):
    MailOptOut.objects.create(address="rina@example.com", kind="digest")
    html = page(client)
    assert 'id="id_digest">' in html and 'id="id_notice" checked>' in html


def test_login_without_a_team_member_sees_why(client, team):
    login = make_user(username="boss", email="boss@example.com")
    team.managers.add(login)
    client.force_login(login)
    html = page(client)
    assert NO_MEMBER in html and "Weekly digest" not in html
    assert "Flag alerts for my teams" in html
    client.post(URL, {})
    assert opted_out() == {("boss@example.com", "alert")}


def test_manager_without_an_email_is_told_no_alerts_can_be_sent(client, team):
    login = make_user(username="boss", email="")
    team.managers.add(login)
    client.force_login(login)
    html = page(client)
    assert NO_MEMBER in html and NO_EMAIL in html
    assert '<form method="post" novalidate>' not in html  # nothing to choose
    assert client.post(URL, {}).status_code == 302
    assert not MailOptOut.objects.exists()


def test_staff_who_manages_no_team_gets_no_alert_choice(client):
    client.force_login(make_user(is_staff=True, email="staff@example.com"))
    html = page(client)
    assert "Flag alerts" not in html and NO_EMAIL not in html and NO_MEMBER in html


def test_refuses_other_methods(client, rina):
    assert client.put(URL).status_code == 405


def queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_teams_or_opt_outs(client, dewi):
    # A login links to one TeamMember at most (a one-to-one field): what can grow is the teams it manages
    # and the opt-outs on record, of its addresses and of others.
    small = queries(client)
    for n in range(3):
        make_team().managers.add(dewi)
        MailOptOut.objects.create(address=f"someone{n}@example.com", kind="digest")
    MailOptOut.objects.create(address="dewi.member@example.com", kind="digest")
    MailOptOut.objects.create(address="dewi@example.com", kind="alert")
    assert queries(client) == small
