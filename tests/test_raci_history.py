"""RACI in the plan's history (activity/): every write of an Accountable, a Consulted or Informed person and the
team's switch is recorded in one change set of the team, as by its writer (the services, the admin), and the
activity's filters find it.

Ann, Budi and Citra are in team A ("marketing"), managed by Mia; the task is the weekly report.
"""

from collections import Counter

import pytest
from django.urls import reverse

from activity.models import TRACKED, ChangeSet
from activity.recording import recording
from activity.selectors import Filters, entries_after, team_change_sets
from assignments.models import Task, TaskInvolvement
from assignments.raci import raci_set, raci_switch
from assignments.services import task_update
from roles.models import Team
from tests.factories import make_member, make_role, make_task, make_team, make_user
from tests.test_admin import task_form_data

pytestmark = pytest.mark.django_db

KIND_OF = {model.history.model: kind for kind, (model, _excluded) in TRACKED.items()}


@pytest.fixture
def plan():
    team = make_team(slug="marketing", name="Marketing")
    mia = make_user(username="mia")
    team.managers.add(mia)
    ann, budi, citra = (make_member(team, full_name=name) for name in ("Ann", "Budi", "Citra"))
    task = make_task(team, make_role(), title="Weekly report", cadence=Task.Cadence.WEEKLY)
    return team, mia, ann, budi, citra, task


def mark() -> int:
    return ChangeSet.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def written_after(last: int) -> tuple[Counter, list[ChangeSet]]:
    """What the change sets made after ``last`` hold, (object type, "+" / "~" / "-") counted, and the sets."""
    rows = [row for model, _excluded in TRACKED.values() for row in model.history.filter(change_set_id__gt=last)]
    return Counter((KIND_OF[type(row)], row.history_type) for row in rows), list(ChangeSet.objects.filter(pk__gt=last))


def assert_one_change_set(team: Team, change_sets: list[ChangeSet], actor: str) -> None:
    assert [(change_set.team_id, change_set.actor) for change_set in change_sets] == [(team.pk, actor)]


# ------------------------------------------------------------------ the services


def raci_writes(ann, budi, task) -> dict:
    """Each RACI write, run on the plan as it is after the ones before it -> the rows it leaves."""
    return {
        "A given": (lambda: raci_set(task=task, member=ann, letter="A"), {("task", "~"): 1}),
        "C given": (lambda: raci_set(task=task, member=budi, letter="C"), {("involvement", "+"): 1}),
        "C to I": (lambda: raci_set(task=task, member=budi, letter="I"), {("involvement", "~"): 1}),
        # one letter each: Budi's I goes as he becomes accountable, Ann's A with it
        "A moved": (lambda: raci_set(task=task, member=budi, letter="A"), {("task", "~"): 1, ("involvement", "-"): 1}),
        "A taken": (lambda: raci_set(task=task, member=budi, letter=""), {("task", "~"): 1}),
        "switched on": (lambda: raci_switch(team=task.team, enabled=True), {("team", "~"): 1}),
        "switched off": (lambda: raci_switch(team=task.team, enabled=False), {("team", "~"): 1}),
    }


def test_every_raci_write_of_the_services_is_one_change_set_of_the_team_as_by_its_writer(plan):
    team, mia, ann, budi, _citra, task = plan
    for name, (write, expected) in raci_writes(ann, budi, task).items():
        last = mark()
        with recording("mia", user=mia):
            write()
        rows, change_sets = written_after(last)
        assert rows == Counter(expected), name
        assert_one_change_set(team, change_sets, "mia")


def test_a_raci_write_that_changes_nothing_records_nothing(plan):
    team, _mia, ann, _budi, _citra, task = plan
    raci_set(task=task, member=ann, letter="C")
    raci_switch(team=team, enabled=False)
    nobody = make_member(team)
    last = mark()
    raci_set(task=task, member=ann, letter="C")
    raci_set(task=task, member=nobody, letter="")
    raci_switch(team=team, enabled=False)
    assert written_after(last) == (Counter(), [])


def test_an_involvement_belongs_to_its_tasks_team_whoever_its_member_is(plan):
    """The recorder reads the task's team (as for an assignment), not the member's."""
    team, *_rest, task = plan
    outsider = make_member(make_team())
    last = mark()
    TaskInvolvement.objects.create(task_id=task.pk, member=outsider, kind="informed")  # the task not loaded
    assert [change_set.team_id for change_set in ChangeSet.objects.filter(pk__gt=last)] == [team.pk]


def test_deleting_an_accountable_member_records_the_task_left_with_nobody_accountable(plan):
    """Django's SET NULL is one UPDATE no signal sees: the task is cleared row by row first, and recorded."""
    team, _mia, ann, budi, _citra, task = plan
    raci_set(task=task, member=ann, letter="A")
    raci_set(task=task, member=budi, letter="C")
    last, ann_id = mark(), ann.pk
    with recording("admin"):
        ann.delete()
        budi.delete()
    rows, change_sets = written_after(last)
    assert rows == {("task", "~"): 1, ("member", "-"): 2, ("involvement", "-"): 1}
    assert_one_change_set(team, change_sets, "admin")
    cleared = Task.history.filter(id=task.pk).order_by("-history_id").first()
    assert (cleared.accountable_id, cleared.prev_record.accountable_id) == (None, ann_id)


def test_deleting_a_whole_team_does_not_clear_its_tasks_one_by_one_first(plan):
    team, _mia, ann, *_rest, task = plan
    raci_set(task=task, member=ann, letter="A")
    team.delete()
    assert list(Task.history.filter(id=task.pk).values_list("history_type", flat=True)) == ["-", "~", "+"]


# ------------------------------------------------------------------ the admin


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(username="admin", is_staff=True, is_superuser=True))
    return client


def test_the_admins_task_form_records_its_accountable_in_one_change_set(admin_client, plan):
    team, _mia, ann, _budi, _citra, task = plan
    last = mark()
    url = reverse("admin:assignments_task_change", args=[task.pk])
    assert admin_client.post(url, task_form_data(task, accountable=ann)).status_code == 302
    rows, change_sets = written_after(last)
    assert rows == {("task", "~"): 1}
    assert_one_change_set(team, change_sets, "admin")


def test_the_admins_task_form_records_its_accountable_and_involvements_in_one_change_set(admin_client, plan):
    team, _mia, ann, budi, citra, task = plan
    last = mark()
    url = reverse("admin:assignments_task_change", args=[task.pk])
    data = task_form_data(task, accountable=ann, involvements=[(budi, "consulted"), (citra, "informed")])
    assert admin_client.post(url, data).status_code == 302
    rows, change_sets = written_after(last)
    assert rows == {("task", "~"): 1, ("involvement", "+"): 2}
    assert_one_change_set(team, change_sets, "admin")


def test_the_involvement_admin_records_an_add_a_change_and_a_delete(admin_client, plan):
    team, _mia, _ann, budi, _citra, task = plan
    steps = [
        ("add", lambda: (reverse("admin:assignments_taskinvolvement_add"), "consulted"), ("involvement", "+")),
        ("change", lambda: (change_url(task), "informed"), ("involvement", "~")),
    ]
    for name, url_and_kind, expected in steps:
        last = mark()
        url, kind = url_and_kind()
        response = admin_client.post(url, {"task": task.pk, "member": budi.pk, "kind": kind})
        assert response.status_code == 302, name
        rows, change_sets = written_after(last)
        assert rows == {expected: 1}, name
        assert_one_change_set(team, change_sets, "admin")
    last = mark()
    involvement = TaskInvolvement.objects.get()
    delete_url = reverse("admin:assignments_taskinvolvement_delete", args=[involvement.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    rows, change_sets = written_after(last)
    assert rows == {("involvement", "-"): 1}
    assert_one_change_set(team, change_sets, "admin")


def change_url(task: Task) -> str:
    return reverse("admin:assignments_taskinvolvement_change", args=[TaskInvolvement.objects.get(task=task).pk])


# ------------------------------------------------------------------ the filters


def keys(team: Team, **filters) -> set[str]:
    """The matching entries, as "object type action" (the API's entries)."""
    found = entries_after(team, Filters(**filters), None, 100)
    return {f"{entry.object_type} {entry.action} {entry.object_id}" for entry in found}


def test_the_member_filter_finds_their_involvements_and_the_accountable_changes_to_or_from_them(plan):
    team, _mia, ann, budi, citra, task = plan
    other = make_task(team, task.role, title="Newsletter")
    raci_set(task=task, member=ann, letter="A")  # to Ann
    task_update(task=task, title="Weekly summary")  # Ann stays accountable: not about her
    raci_set(task=task, member=budi, letter="A")  # from Ann to Budi
    raci_set(task=other, member=ann, letter="I")
    raci_set(task=other, member=budi, letter="C")
    raci_set(task=other, member=ann, letter="C")
    raci_set(task=other, member=citra, letter="A")
    assert keys(team, member_id=ann.pk) == {
        f"member created {ann.pk}",
        f"task changed {task.pk}",  # twice: to her, and from her
        f"involvement created {TaskInvolvement.objects.get(member=ann).pk}",
        f"involvement changed {TaskInvolvement.objects.get(member=ann).pk}",
    }
    found = entries_after(team, Filters(member_id=ann.pk, kind="task"), None, 100)
    assert [entry.changes for entry in found] == [
        {"accountable_id": (ann.pk, budi.pk)},
        {"accountable_id": (None, ann.pk)},
    ]
    found = entries_after(team, Filters(member_id=budi.pk, kind="task"), None, 100)
    assert [entry.changes for entry in found] == [{"accountable_id": (ann.pk, budi.pk)}]


def test_a_task_created_with_an_accountable_is_found_by_the_member_filter(plan):
    team, _mia, ann, *_rest, task = plan
    created = Task.objects.create(
        team=team, role=task.role, title="Launch", cadence="once", effort_hours=1, start_date=task.start_date,
        end_date=task.start_date, accountable=ann,
    )  # fmt: skip
    assert keys(team, member_id=ann.pk, kind="task") == {f"task created {created.pk}"}


def test_the_task_filter_finds_its_involvements_and_the_kind_filter_only_them(plan):
    team, _mia, ann, budi, _citra, task = plan
    other = make_task(team, task.role, title="Newsletter")
    raci_set(task=task, member=ann, letter="C")
    raci_set(task=other, member=budi, letter="I")
    raci_set(task=task, member=budi, letter="A")
    ann_on_task = TaskInvolvement.objects.get(task=task).pk
    assert keys(team, task_id=task.pk) == {
        f"task created {task.pk}",
        f"task changed {task.pk}",
        f"involvement created {ann_on_task}",
    }
    assert {key.split()[0] for key in keys(team, kind="involvement")} == {"involvement"}
    assert len(keys(team, kind="involvement")) == 2


def test_the_activity_pages_change_sets_are_filtered_by_accountable_changes_too(plan):
    """The member filter's condition nested in the page's EXISTS (one per kind)."""
    team, _mia, ann, budi, _citra, task = plan
    raci_set(task=task, member=ann, letter="A")
    theirs = ChangeSet.objects.order_by("-pk").first()
    task_update(task=task, title="Weekly summary")
    raci_set(task=task, member=budi, letter="C")
    assert list(team_change_sets(team, Filters(member_id=ann.pk, kind="task"))) == [theirs]
    assert len(team_change_sets(team, Filters(member_id=budi.pk))) == 2  # added to the team, consulted


# ------------------------------------------------------------------ the API


def test_the_api_names_the_involvement_and_offers_its_revert(client, plan):
    _team, mia, ann, _budi, _citra, task = plan
    raci_set(task=task, member=ann, letter="C")
    client.force_login(mia)
    answer = client.get("/api/teams/marketing/activity/", {"kind": "involvement"}).json()
    (entry,) = answer["entries"]
    record = TaskInvolvement.history.get()
    assert entry["object"] == "Ann · Weekly report"
    assert entry["changes"]["kind"] == [None, "consulted"]
    assert entry["revert_url"].endswith(f"/api/teams/marketing/activity/involvement/{record.history_id}/revert/")
    assert client.post(entry["revert_url"]).status_code == 200
    assert not TaskInvolvement.objects.exists()


def test_the_api_lists_a_changed_accountable_by_member_id(client, plan):
    _team, mia, ann, budi, _citra, task = plan
    raci_set(task=task, member=ann, letter="A")
    raci_set(task=task, member=budi, letter="A")
    client.force_login(mia)
    newest = client.get("/api/teams/marketing/activity/", {"kind": "task"}).json()["entries"][0]
    assert newest["changes"] == {"accountable_id": [ann.pk, budi.pk]}
    assert newest["revert_url"] is not None
