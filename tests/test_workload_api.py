"""The workload document over the command line and the JSON API: same document, guarded API."""

import json
from io import StringIO
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    MONDAY,
    make_assignment,
    make_holding,
    make_member,
    make_role,
    make_task,
    make_team,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    team = make_team(slug="marketing", name="Marketing")
    role = make_role(slug="specialist")
    sari = make_member(team, email="sari@x.com", full_name="Sari")
    make_holding(sari, role)
    make_assignment(make_task(team, role, title="Reply", cadence="daily", effort_hours=1, start_date=MONDAY), sari, 50)
    return team


@pytest.fixture
def manager(team):
    user = make_user()
    team.managers.add(user)
    return user


def api_url(slug="marketing"):
    return reverse("assignments:api_team_workload", args=[slug])


def test_command_json_and_api_json_are_identical(client, team, manager):
    stdout = StringIO()
    call_command(
        "workload", "--team", "marketing", "--start", "2026-12-02", "--weeks", "3", "--format", "json", stdout=stdout
    )
    client.force_login(manager)
    response = client.get(api_url(), {"start": "2026-12-02", "weeks": "3"})
    assert json.loads(stdout.getvalue()) == response.json()


def test_api_answers_json_for_the_weeks_asked_from_the_monday_of_start(client, team, manager):
    client.force_login(manager)
    response = client.get(api_url(), {"start": "2026-12-02", "weeks": "3"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["weeks"] == ["2026-11-30", "2026-12-07", "2026-12-14"]


def test_command_text_is_a_table_with_the_flags_in_sentences(team):
    stdout = StringIO()
    call_command("workload", "--team", "marketing", "--start", "2026-11-30", "--weeks", "2", stdout=stdout)
    text = stdout.getvalue()
    # 5 × 1 h × 50 % = 2.5 h of 40 h, under
    assert "Sari" in text and "2.50/40.00 under" in text
    assert "Reply is only 50 % assigned." in text
    assert "Only Sari holds the role" in text


def test_command_defaults_to_four_weeks_from_this_week(team):
    stdout = StringIO()
    call_command("workload", "--team", "marketing", "--format", "json", stdout=stdout)
    assert len(json.loads(stdout.getvalue())["weeks"]) == 4


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--team", "nope"], "No team with slug 'nope'"),
        (["--team", "marketing", "--weeks", "27"], "--weeks: Must be a whole number from 1 to 26."),
        (["--team", "marketing", "--start", "30-11-2026"], "--start: Must be a date as YYYY-MM-DD."),
    ],
)
def test_command_refuses_bad_arguments(team, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("workload", *arguments)


def test_api_anonymous_gets_401_json_not_a_login_redirect(client, team):
    response = client.get(api_url())
    assert response.status_code == 401
    assert response.json() == {"error": "Authentication required."}


def test_api_anonymous_is_told_to_use_the_session_login(client, team):
    assert client.get(api_url())["WWW-Authenticate"] == 'Session realm="Teamplanner"'


def login_as(client, team, who: str) -> None:
    user = make_user()
    if who == "manager of another team":
        make_team().managers.add(user)
    elif who == "team member":
        make_member(team, user=user)
    client.force_login(user)


@pytest.mark.parametrize("who", ["manager of another team", "team member", "stranger"])
def test_api_is_404_for_anyone_but_the_teams_managers(client, team, who):
    login_as(client, team, who)
    response = client.get(api_url())
    assert response.status_code == 404
    assert response.json() == {"error": "Not found."}


@pytest.mark.parametrize("who", ["manager of another team", "team member", "stranger"])
def test_api_answers_a_team_someone_does_not_manage_as_one_that_does_not_exist(client, team, who):
    login_as(client, team, who)
    # the same answer as for a team that does not exist: nothing to learn
    assert client.get(api_url("no-such-team")).json() == client.get(api_url()).json()


def test_api_serves_staff(client, team):
    client.force_login(make_user(is_staff=True))
    assert client.get(api_url()).status_code == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"weeks": "0"}, "weeks"),
        ({"weeks": "27"}, "weeks"),
        ({"weeks": "1000000"}, "weeks"),
        ({"weeks": "two"}, "weeks"),
        ({"start": "2026-13-01"}, "start"),
        ({"start": "yesterday"}, "start"),
    ],
)
def test_api_bad_parameters_give_400_naming_them(client, manager, params, field):
    client.force_login(manager)
    response = client.get(api_url(), params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_api_refuses_writes(client, manager):
    client.force_login(manager)
    assert client.post(api_url()).status_code == 405


def test_api_query_count_does_not_grow_with_the_team(client, team, manager):
    client.force_login(manager)
    role = make_role()
    counts = []
    for size in (1, 20):
        for _ in range(size):
            member = make_member(team)
            make_assignment(make_task(team, role, cadence="weekly", start_date=MONDAY), member)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(api_url(), {"weeks": 8}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_bench_workload_reports_the_ratio_and_the_query_count():
    stdout = StringIO()
    call_command("bench_workload", "--size", "S", "--runs", "1", stdout=stdout)
    output = stdout.getvalue()
    assert "20 members, 200 tasks, 600 assignments" in output
    assert "(c) engine queries     6" in output
    assert "ratio b/a" in output


def test_bench_workload_reuses_the_synthetic_team_it_kept():
    call_command("bench_workload", "--size", "S", "--runs", "1", "--keep", stdout=StringIO())
    stdout = StringIO()
    call_command("bench_workload", "--size", "S", "--runs", "1", "--keep", stdout=stdout)
    assert "Reusing the synthetic team bench-s" in stdout.getvalue()


FAR_OFF = ["9999-12-31", "0001-01-01", "1899-12-31"]


@pytest.mark.parametrize("start", FAR_OFF)
def test_api_refuses_a_far_off_start_naming_it(client, team, manager, start):
    client.force_login(manager)
    response = client.get(api_url(), {"start": start})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["start"]


@pytest.mark.parametrize("start", FAR_OFF)
def test_overview_with_a_far_off_start_falls_back_to_this_week(client, team, manager, start):
    client.force_login(manager)
    page = client.get(reverse("assignments:team_overview", args=["marketing"]), {"start": start})
    assert page.status_code == 200


@pytest.mark.parametrize("start", FAR_OFF)
def test_command_refuses_a_far_off_start(team, start):
    with pytest.raises(CommandError, match="--start"):
        call_command("workload", "--team", "marketing", "--start", start)


def test_api_answers_head_with_200(client, manager):
    client.force_login(manager)
    assert client.head(api_url()).status_code == 200


def test_api_answers_head_without_a_body(rf, manager):
    """The test client drops a HEAD body itself; the view must too, for servers that would send it."""
    from assignments.views.api import team_workload_api

    request = rf.head(api_url())
    request.user = manager
    response = team_workload_api(request, slug="marketing")
    assert (response.status_code, response.content) == (200, b"")
    assert int(response["Content-Length"]) > 0  # the length GET would have sent


def test_api_answers_head_from_anonymous_with_401(client, team):
    assert client.head(api_url()).status_code == 401


@pytest.mark.parametrize("slug", ["bad.slug", "ünïcode", "with space", "nul\x00byte", "x" * 300])
def test_api_answers_a_slug_no_team_could_have_with_json_404(client, manager, slug):
    client.force_login(manager)
    response = client.get(f"/api/teams/{quote(slug)}/workload/")
    assert response.status_code == 404
    assert response.json() == {"error": "Not found."}


@pytest.mark.parametrize("slug", ["no-such-team", "team-of-someone-else"])
def test_api_answers_json_404_for_a_team_that_does_not_exist_or_is_not_managed(client, manager, slug):
    make_team(slug="team-of-someone-else")
    client.force_login(manager)
    response = client.get(api_url(slug))
    assert (response.status_code, response.json()) == (404, {"error": "Not found."})
