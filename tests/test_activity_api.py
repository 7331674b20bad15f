"""GET /api/teams/SLUG/activity/ and the POST behind each entry's revert_url (docs/rules.md, "History")."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activity.recording import recording
from assignments.models import Assignment
from assignments.services import assignment_update
from tests.factories import MONDAY, make_assignment, make_member, make_role, make_task, make_team, make_user

pytestmark = pytest.mark.django_db

URL = "/api/teams/marketing/activity/"


@pytest.fixture
def team():
    return make_team(slug="marketing", name="Marketing")


@pytest.fixture
def manager(team, client):
    user = make_user(username="dewi")
    team.managers.add(user)
    client.force_login(user)
    return user


@pytest.fixture
def schedule(team):
    task = make_task(team, make_role(), title="Schedule posts", start_date=MONDAY)
    return make_assignment(task, make_member(team, full_name="Citra Dewi"), share_percent=50)


def changed_by(user, assignment, share):
    with recording(user.get_username(), user=user):
        return assignment_update(assignment=assignment, share_percent=share)


def test_an_entry_has_the_documented_shape(client, manager, schedule):
    changed_by(manager, schedule, 20)
    newest = client.get(URL).json()["entries"][0]
    record = schedule.history.filter(history_type="~").get()
    assert newest == {
        "id": f"assignment-{record.history_id}",
        "at": record.history_date.isoformat(),
        "actor": "dewi",
        "action": "changed",
        "object_type": "assignment",
        "object": "Citra Dewi · Schedule posts (20 %)",
        "changes": {"share_percent": [50, 20]},
        "revert_url": f"http://testserver/api/teams/marketing/activity/assignment/{record.history_id}/revert/",
    }


def test_a_creation_lists_every_field_as_new_and_a_deletion_every_field_as_old(client, manager, schedule):
    entries = client.get(URL, {"member": schedule.member_id}).json()["entries"]
    created = next(entry for entry in entries if entry["object_type"] == "assignment")
    assert created["action"] == "created"
    assert created["changes"]["share_percent"] == [None, 50]
    assert created["changes"]["start_date"] == [None, None]
    schedule.delete()
    deleted = client.get(URL, {"member": schedule.member_id}).json()["entries"][0]
    assert (deleted["action"], deleted["changes"]["share_percent"]) == ("deleted", [50, None])


def test_pages_follow_next_without_gaps_or_repeats(client, manager, schedule):
    for share in range(1, 61):  # 60 changes and the fixture's rows: more than one page of 50
        changed_by(manager, schedule, share)
    seen, url, pages = [], URL, 0
    while url:
        answer = client.get(url).json()
        seen += [entry["id"] for entry in answer["entries"]]
        url, pages = answer["next"], pages + 1
    assert pages == 2
    assert len(seen) == len(set(seen))
    every_row = sum(model.history.count() for model in (Assignment,)) + 4  # the task, member, role, team
    assert len(seen) == every_row
    assert seen.index(f"assignment-{schedule.history.first().history_id}") == 0


def test_filters_by_member_task_and_time(client, manager, team, schedule):
    other = make_assignment(
        make_task(team, schedule.task.role, title="Reply to DMs", start_date=MONDAY), make_member(team)
    )
    changed_by(manager, other, 30)
    assert {entry["object"] for entry in client.get(URL, {"task": other.task_id}).json()["entries"]} == {
        other.member.full_name + " · Reply to DMs (30 %)",
        other.member.full_name + " · Reply to DMs (100 %)",
        "Reply to DMs",
    }
    by_member = client.get(URL, {"member": schedule.member_id}).json()["entries"]
    assert {entry["object_type"] for entry in by_member} == {"member", "assignment"}
    tomorrow = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)).isoformat()
    assert client.get(URL, {"since": tomorrow}).json() == {"entries": [], "next": None}
    assert client.get(URL, {"until": "2000-01-01"}).json()["entries"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [({"member": "x"}, "member"), ({"since": "yesterday"}, "since"), ({"after": "nonsense"}, "after")],
)
def test_bad_parameters_give_400_naming_them(client, manager, schedule, query, field):
    response = client.get(URL, query)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_another_teams_member_is_a_bad_filter(client, manager, schedule):
    assert client.get(URL, {"member": make_member(make_team()).pk}).status_code == 400


def test_the_revert_url_reverts_and_a_rule_refuses_with_400(client, manager, team, schedule):
    changed_by(manager, schedule, 20)
    revert_url = client.get(URL).json()["entries"][0]["revert_url"]
    make_assignment(schedule.task, make_member(team), share_percent=70)
    refused = client.post(revert_url)
    assert refused.status_code == 400
    assert refused.json() == {"error": "Only 30 % of this task is left to assign."}
    Assignment.objects.filter(share_percent=70).delete()
    assert client.post(revert_url).status_code == 200
    assert Assignment.objects.get(pk=schedule.pk).share_percent == 50
    newest = client.get(URL).json()["entries"][0]
    assert (newest["actor"], newest["changes"]["share_percent"]) == ("dewi", [20, 50])


def test_access_as_for_the_workload_api(client, schedule):
    assert client.get(URL).status_code == 401
    client.force_login(make_user())
    assert client.get(URL).status_code == 404
    record = schedule.history.get()
    revert_url = reverse("activity:api_revert", args=["marketing", "assignment", record.history_id])
    assert client.post(revert_url).status_code == 404
    assert Assignment.objects.filter(pk=schedule.pk).exists()


def test_a_page_runs_a_fixed_number_of_queries(client, manager, team, schedule):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    for share in range(1, 51):
        changed_by(manager, schedule, share)
    small = count()
    for _ in range(30):
        make_member(team)
    for share in range(51, 101):  # the same shape of page: fifty changes of a share, after many more rows
        changed_by(manager, schedule, share)
    assert count() == small
