"""Suggestions and preview over HTTP and the command line: same documents, same guards as the workload API."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from assignments.models import Assignment
from roles.models import Role
from tests.factories import (
    MONDAY,
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
    team = make_team(slug="marketing")
    strategist = make_role(Role.Focus.STRATEGIC, name="Strategist")
    sari = make_member(team, full_name="Sari", email="sari@x.com")
    make_holding(sari, strategist)
    make_member(team, full_name="Ayu", email="ayu@x.com")
    make_task(team, strategist, title="Campaign plan", cadence="weekly", effort_hours=4, start_date=MONDAY)
    return team


@pytest.fixture
def task(team):
    return team.tasks.get()


@pytest.fixture
def manager_client(client, team):
    manager = make_user()
    team.managers.add(manager)
    client.force_login(manager)
    return client


def suggestions_url(team, task):
    return reverse("assignments:api_task_suggestions", args=[team.slug, task.pk])


def preview_url(team, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("assignments:api_preview", args=[team.slug]) + (f"?{query}" if query else "")


def test_suggestions_api_ranks_the_holder_first(manager_client, team, task):
    response = manager_client.get(suggestions_url(team, task), {"start": MONDAY.isoformat(), "weeks": 1})
    assert response.status_code == 200
    document = response.json()
    assert [c["member"] for c in document["candidates"]] == ["sari@x.com", "ayu@x.com"]
    assert document["share_percent"] == 100


def test_command_prints_the_api_document(manager_client, team, task):
    api = manager_client.get(suggestions_url(team, task), {"start": MONDAY.isoformat(), "weeks": 2, "share": 40})
    stdout = StringIO()
    arguments = ["--team", "marketing", "--task", "CAMPAIGN plan", "--start", MONDAY.isoformat(), "--weeks", "2"]
    call_command("suggest", *arguments, "--share", "40", "--format", "json", stdout=stdout)
    assert json.loads(stdout.getvalue()) == api.json()


def test_command_text_lists_candidates_with_reasons(team, task):
    stdout = StringIO()
    call_command(
        "suggest", "--team", "marketing", "--task", "Campaign plan", "--start", MONDAY.isoformat(), stdout=stdout
    )
    lines = stdout.getvalue().splitlines()
    assert lines[0] == "Who could take 100 % of “Campaign plan”, best first:"
    assert lines[1].startswith("  1. Sari <sari@x.com>  +16.00 h")  # 4 weeks × 4 h
    assert "holds the role Strategist" in lines[2]


def test_command_refuses_an_unknown_task_or_a_bad_share(team):
    with pytest.raises(CommandError, match="has no active task titled"):
        call_command("suggest", "--team", "marketing", "--task", "Nope")
    with pytest.raises(CommandError, match="--share"):
        call_command("suggest", "--team", "marketing", "--task", "Campaign plan", "--share", "0")


@pytest.mark.parametrize(
    ("params", "bad"),
    [({"share": 0}, "share"), ({"share": "x"}, "share"), ({"weeks": 27}, "weeks"), ({"start": "3000-01-01"}, "start")],
)
def test_suggestions_api_names_a_bad_parameter(manager_client, team, task, params, bad):
    response = manager_client.get(suggestions_url(team, task), params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [bad]


def test_suggestions_api_guards_like_the_workload_api(client, team, task):
    assert client.get(suggestions_url(team, task)).status_code == 401
    outsider = make_user()
    make_team().managers.add(outsider)
    client.force_login(outsider)
    response = client.get(suggestions_url(team, task))
    assert (response.status_code, response.json()) == (404, {"error": "Not found."})


def test_suggestions_api_answers_404_for_an_archived_or_foreign_task(manager_client, team, task):
    task.is_active = False
    task.save()
    assert manager_client.get(suggestions_url(team, task)).status_code == 404
    foreign = make_task(make_team())
    assert manager_client.get(suggestions_url(team, foreign)).status_code == 404


def test_preview_api_answers_the_before_and_after(manager_client, team, task):
    body = {"changes": [{"action": "assign", "task": task.pk, "member": "ayu@x.com", "share_percent": 50}]}
    response = manager_client.post(
        preview_url(team, start=MONDAY.isoformat(), weeks=1), json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200
    document = response.json()
    assert [member["email"] for member in document["members"]] == ["ayu@x.com"]
    assert document["members"][0]["weeks"][0]["after"]["strategic_hours"] == "2.00"
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("body", ["", "not json", "[" * 100_000, json.dumps({"changes": "all"})])
def test_preview_api_refuses_a_body_that_is_not_a_change_list(manager_client, team, body):
    response = manager_client.post(preview_url(team), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "changes"


def test_preview_api_lists_each_broken_rule(manager_client, team, task):
    body = {
        "changes": [
            {"action": "assign", "task": task.pk, "member": "ayu@x.com"},
            {"action": "assign", "task": task.pk, "member": "sari@x.com"},
        ]
    }
    response = manager_client.post(preview_url(team), json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"change": 1, "field": "share_percent", "message": "This task is already fully assigned."}]
    }


def test_preview_api_needs_the_csrf_token_like_every_write(team):
    client = Client(enforce_csrf_checks=True)
    manager = make_user()
    team.managers.add(manager)
    client.force_login(manager)
    response = client.post(preview_url(team), json.dumps({"changes": []}), content_type="application/json")
    assert response.status_code == 403
