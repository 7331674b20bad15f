"""The plan's history (activity/): every writer records, as by whom, with each change's old and new values.

The writers: the pages (as by the manager's login), the admin (as by the admin's login), ``import_plan``
(as ``import_plan FILE``, one change set per team) and ``seed_demo``. A write that escapes the history
(a ``QuerySet.update``, a ``bulk_create``) shows here as a row changed with no historical row for it.
"""

import datetime
import json
from collections import Counter
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activity.models import TRACKED, ChangeSet
from activity.recording import SYSTEM, recording
from assignments.handover import assignment_hand_over
from assignments.models import Assignment, Cover, DualRoleAcknowledgement, Task
from assignments.services import acknowledgement_withdraw, assignment_update, task_archive
from roles.models import Role, Team, TeamMember
from tests.factories import make_assignment, make_holding, make_member, make_role, make_task, make_time_off
from tests.test_plan_covers import covers_plan
from tests.views.helpers import WEDNESDAY

pytestmark = pytest.mark.django_db

KIND_OF = {model.history.model: kind for kind, (model, _excluded) in TRACKED.items()}  # historical model -> type


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The pages' "today" on a known Wednesday (2 December 2026), as in the page tests (tests/views)."""
    real_localdate = timezone.localdate
    monkeypatch.setattr(
        "django.utils.timezone.localdate",
        lambda value=None, timezone=None: WEDNESDAY if value is None else real_localdate(value, timezone),
    )


def last_change_set_id() -> int:
    return ChangeSet.objects.aggregate(last=Max("pk"))["last"] or 0


def entries_after(mark: int) -> list:
    """The historical rows, of every tracked model, in the change sets made after ``mark``."""
    return [
        row
        for model, _excluded in TRACKED.values()
        for row in model.history.filter(change_set_id__gt=mark).select_related("change_set")
    ]


def kinds(rows) -> Counter:
    """(object type, "+" / "~" / "-") of each historical row, counted."""
    return Counter((KIND_OF[type(row)], row.history_type) for row in rows)


def old_and_new(row) -> dict[str, tuple]:
    """A "~" row's changes against the row before it: field -> (old, new)."""
    return {change.field: (change.old, change.new) for change in row.diff_against(row.prev_record).changes}


# ------------------------------------------------------------------ the pages: as by the manager


@pytest.fixture
def plan(world):
    """The shared world (tests/conftest.py) as objects: team A, its manager, member A and their plan."""
    users, ids = world
    assignment = Assignment.objects.select_related("task__team", "member").get(pk=ids["assignment_id"])
    return SimpleNamespace(
        users=users,
        team=assignment.task.team,
        task=assignment.task,
        assignment=assignment,
        member=assignment.member,
        holding=assignment.member.role_holdings.get(),
        time_off=assignment.member.time_off.get(),
        cover=Cover.objects.get(pk=ids["cover_id"]),
        colleague=TeamMember.objects.get(full_name="Colleague A"),
    )


def assign(p):
    newcomer = make_member(p.team, full_name="Newcomer")
    task = p.task.pk
    data = {f"assign-{task}-member": newcomer.pk, f"assign-{task}-share_percent": 50}
    return reverse("assignments:assign", args=[p.team.slug, task]), data


def share_change(p):
    data = {f"share-{p.assignment.pk}-share_percent": 20}
    return reverse("assignments:assignment_share", args=[p.team.slug, p.assignment.pk]), data


def assignment_remove(p):
    return reverse("assignments:assignment_remove", args=[p.team.slug, p.assignment.pk]), {}


def hand_over(p):
    newcomer = make_member(p.team, full_name="Newcomer")
    make_holding(newcomer, p.task.role)
    return reverse("assignments:fix_move", args=[p.team.slug, p.assignment.pk]), {"to_member": newcomer.pk}


def task_fields(prefix: str, p, **values) -> dict:
    fields = {
        "title": "Launch campaign",
        "role": p.task.role_id,
        "channel": "tiktok",
        "cadence": "weekly",
        "effort_hours": "2",
        "start_date": "2026-12-01",
        "end_date": "",
        "description": "",
    }
    return {f"{prefix}-{name}": value for name, value in (fields | values).items()}


def task_new(p):
    return reverse("assignments:task_new", args=[p.team.slug]), task_fields("new", p)


def task_edit(p):
    data = task_fields(f"edit-{p.task.pk}", p, title="Renamed", start_date=p.task.start_date.isoformat())
    return reverse("assignments:task_edit", args=[p.team.slug, p.task.pk]), data


def task_archive_page(p):
    return reverse("assignments:task_archive", args=[p.team.slug, p.task.pk]), {}


def task_restore_page(p):
    task_archive(task=p.task)
    return reverse("assignments:task_restore", args=[p.team.slug, p.task.pk]), {}


def member_fields(prefix: str, **values) -> dict:
    fields = {"full_name": "Rina", "email": "rina@example.com", "job_title": "Lead", "weekly_capacity_hours": "32"}
    return {f"{prefix}-{name}": value for name, value in (fields | {"is_active": "on"} | values).items()}


def member_add(p):
    return reverse("assignments:member_add", args=[p.team.slug]), member_fields("new")


def member_edit(p):
    return reverse("assignments:member_edit", args=[p.member.pk]), member_fields("member", email=p.member.email)


def holding_add(p):
    data = {"holding-role": make_role(Role.Focus.STRATEGIC).pk, "holding-start_date": "2026-12-01"}
    return reverse("assignments:holding_add", args=[p.member.pk]), data


def holding_end(p):
    data = {f"end-{p.holding.pk}-end_date": "2026-12-31"}
    return reverse("assignments:holding_end", args=[p.member.pk, p.holding.pk]), data


def holding_delete(p):
    return reverse("assignments:holding_delete", args=[p.member.pk, p.holding.pk]), {}


def time_off_add(p):
    data = {"off-start_date": "2027-01-04", "off-end_date": "2027-01-05", "off-reason": "Holiday"}
    return reverse("assignments:time_off_add", args=[p.member.pk]), data


def time_off_edit(p):
    prefix = f"off-{p.time_off.pk}"
    data = {f"{prefix}-start_date": "2026-12-21", f"{prefix}-end_date": "2026-12-24", f"{prefix}-reason": "Leave"}
    return reverse("assignments:time_off_edit", args=[p.member.pk, p.time_off.pk]), data


def time_off_delete(p):
    return reverse("assignments:time_off_delete", args=[p.member.pk, p.time_off.pk]), {}


def arrange_cover(p):
    away = make_time_off(p.member, datetime.date(2027, 1, 4), datetime.date(2027, 1, 5))
    data = {"assignment": p.assignment.pk, "member": p.colleague.pk, "start_date": away.start_date}
    url = reverse("assignments:arrange_cover", args=[p.team.slug, p.member.pk])
    return url, {**data, "end_date": away.end_date}


def cover_remove(p):
    return reverse("assignments:cover_remove", args=[p.team.slug, p.cover.pk]), {}


def acknowledge(p):
    DualRoleAcknowledgement.objects.filter(member=p.member).delete()  # the world's standing one
    make_holding(p.member, make_role(Role.Focus.STRATEGIC), start_date=p.holding.start_date)  # a dual role
    return reverse("assignments:acknowledge_dual_role", args=[p.team.slug, p.member.pk]), {"note": "On purpose"}


def withdraw(p):
    return reverse("assignments:withdraw_acknowledgement", args=[p.team.slug, p.member.pk]), {}


# page -> (its URL and form data, made ready in the world; the historical rows the post leaves, counted)
PAGE_WRITES = {
    "assign": (assign, {("assignment", "+"): 1}),
    "share change": (share_change, {("assignment", "~"): 1}),
    "assignment remove": (assignment_remove, {("assignment", "-"): 1, ("cover", "-"): 1}),
    "hand over": (hand_over, {("assignment", "-"): 1, ("cover", "-"): 1, ("assignment", "+"): 1}),
    "task new": (task_new, {("task", "+"): 1}),
    "task edit": (task_edit, {("task", "~"): 1}),
    "task archive": (task_archive_page, {("task", "~"): 1}),
    "task restore": (task_restore_page, {("task", "~"): 1}),
    "member add": (member_add, {("member", "+"): 1}),
    "member edit": (member_edit, {("member", "~"): 1}),
    "holding add": (holding_add, {("holding", "+"): 1}),
    "holding end": (holding_end, {("holding", "~"): 1}),
    "holding delete": (holding_delete, {("holding", "-"): 1}),
    "time off add": (time_off_add, {("time_off", "+"): 1}),
    "time off edit": (time_off_edit, {("time_off", "~"): 1}),
    "time off delete": (time_off_delete, {("time_off", "-"): 1}),
    "arrange cover": (arrange_cover, {("cover", "+"): 1}),
    "cover remove": (cover_remove, {("cover", "-"): 1}),
    "acknowledge": (acknowledge, {("acknowledgement", "+"): 1}),
    "withdraw acknowledgement": (withdraw, {("acknowledgement", "~"): 1}),
}


@pytest.mark.parametrize("page", PAGE_WRITES)
def test_page_write_is_recorded_as_by_the_manager_in_the_team(client, plan, page):
    prepare, expected = PAGE_WRITES[page]
    url, data = prepare(plan)
    manager = plan.users["manager"]
    client.force_login(manager)
    mark = last_change_set_id()
    response = client.post(url, data)
    assert response.status_code == 302  # done (a refused form is the page again, 400)
    rows = entries_after(mark)
    assert kinds(rows) == Counter(expected)
    who = {(row.change_set.actor, row.change_set.user_id, row.history_user_id, row.change_set.team_id) for row in rows}
    assert who == {("manager", manager.pk, manager.pk, plan.team.pk)}
    assert ChangeSet.objects.filter(pk__gt=mark).count() == 1  # one request, one team: one change set


CHANGING_PAGES = [page for page, (_prepare, rows) in PAGE_WRITES.items() if any(kind == "~" for _, kind in rows)]


@pytest.mark.parametrize("page", CHANGING_PAGES)
def test_page_change_keeps_the_old_and_the_new_values(client, plan, page):
    prepare, _expected = PAGE_WRITES[page]
    url, data = prepare(plan)
    client.force_login(plan.users["manager"])
    mark = last_change_set_id()
    client.post(url, data)
    (row,) = entries_after(mark)
    changes = old_and_new(row)
    assert changes
    assert all(old != new for old, new in changes.values())


def test_page_write_of_another_team_records_nothing(client, plan):
    client.force_login(plan.users["other_manager"])
    mark = last_change_set_id()
    url, data = share_change(plan)
    assert client.post(url, data).status_code == 404
    assert not ChangeSet.objects.filter(pk__gt=mark).exists()


# ------------------------------------------------------------------ the admin: as by the admin's login


def assignment_change_data(p, **values) -> dict:
    cover = p.cover
    return {
        "task": p.task.pk,
        "member": p.member.pk,
        "share_percent": p.assignment.share_percent,
        "start_date": "",
        "end_date": "",
        "covers-TOTAL_FORMS": "1",
        "covers-INITIAL_FORMS": "1",
        "covers-MIN_NUM_FORMS": "0",
        "covers-MAX_NUM_FORMS": "1000",
        "covers-0-id": cover.pk,
        "covers-0-assignment": p.assignment.pk,
        "covers-0-member": cover.member_id,
        "covers-0-start_date": cover.start_date.isoformat(),
        "covers-0-end_date": cover.end_date.isoformat(),
    } | values


def test_admin_change_is_recorded_as_by_the_admin_with_old_and_new(client, plan):
    admin = plan.users["admin"]
    client.force_login(admin)
    url = reverse("admin:assignments_assignment_change", args=[plan.assignment.pk])
    mark = last_change_set_id()
    assert client.post(url, assignment_change_data(plan, share_percent=30)).status_code == 302
    (row,) = entries_after(mark)
    assert (KIND_OF[type(row)], row.history_type) == ("assignment", "~")
    assert (row.change_set.actor, row.change_set.user, row.change_set.team_id) == ("admin", admin, plan.team.pk)
    assert old_and_new(row)["share_percent"] == (50, 30)


def test_admin_delete_is_recorded_as_by_the_admin(client, plan):
    client.force_login(plan.users["admin"])
    url = reverse("admin:roles_timeoff_delete", args=[plan.time_off.pk])
    mark = last_change_set_id()
    assert client.post(url, {"post": "yes"}).status_code == 302
    (row,) = entries_after(mark)
    assert (KIND_OF[type(row)], row.history_type, row.id) == ("time_off", "-", plan.time_off.pk)
    assert (row.change_set.actor, row.change_set.team_id, row.reason) == ("admin", plan.team.pk, "leave")


def test_admin_history_page_lists_the_changes(client, plan):
    with recording("someone"):
        assignment_update(assignment=plan.assignment, share_percent=20)
    client.force_login(plan.users["admin"])
    response = client.get(reverse("admin:assignments_assignment_history", args=[plan.assignment.pk]))
    assert response.status_code == 200
    assert [row.history_type for row in response.context["page_obj"]] == ["~", "+"]
    assert response.context["revert_disabled"]


def test_admin_history_form_refuses_a_post(client, plan):
    first = plan.assignment.history.earliest()
    with recording("someone"):
        assignment_update(assignment=plan.assignment, share_percent=20)
    client.force_login(plan.users["admin"])
    url = reverse("admin:assignments_assignment_simple_history", args=[plan.assignment.pk, first.history_id])
    assert client.get(url).status_code == 200  # shown, read-only
    mark = last_change_set_id()
    assert client.post(url, assignment_change_data(plan, share_percent=50)).status_code == 403
    assert Assignment.objects.get(pk=plan.assignment.pk).share_percent == 20
    assert not ChangeSet.objects.filter(pk__gt=mark).exists()


# ------------------------------------------------------------------ import_plan: one change set per team


def snapshot() -> dict[tuple[str, int], dict]:
    """Every tracked row by (object type, id), with the fields its history keeps."""
    rows = {}
    for kind, (model, excluded) in TRACKED.items():
        names = [field.attname for field in model._meta.concrete_fields if field.name not in excluded]
        rows |= {(kind, row["id"]): row for row in model.objects.values(*names)}
    return rows


def row_changes(before: dict, after: dict) -> Counter:
    """What was written between two snapshots: (object type, "+" / "~" / "-"), counted."""
    changes = Counter()
    for key in before.keys() | after.keys():
        if key not in before:
            changes[key[0], "+"] += 1
        elif key not in after:
            changes[key[0], "-"] += 1
        elif before[key] != after[key]:
            changes[key[0], "~"] += 1
    return changes


def import_plan(tmp_path: Path, document: dict, *options: str) -> str:
    path = tmp_path / "plan-2026.json"
    path.write_text(json.dumps(document))
    stdout = StringIO()
    call_command("import_plan", str(path), *options, stdout=stdout)
    return stdout.getvalue()


def changed_plan() -> dict:
    """The covers plan with something of every kind created, changed and deleted (covers by cascade too)."""
    document = covers_plan()
    document["team"]["name"] = "Marketing & Sales"  # team ~
    specialist = document["roles"][0]
    specialist["summary"] = "Every day."  # role ~
    specialist["responsibilities"] = ["Publish and schedule posts"]  # responsibility -
    sari, rina, _citra = document["members"]
    sari["job_title"] = "Senior specialist"  # member ~
    sari["time_off"] = []  # time off -
    rina["roles"][1]["end_date"] = "2027-01-31"  # holding ~
    rina["roles"].append({"role": "social-media-strategist", "start_date": "2027-03-01"})  # holding +
    document["members"].append({"full_name": "Dewi", "email": "dewi@example.com"})  # member +
    daily, report = document["tasks"]
    daily["effort_hours"] = "1.50"  # task ~
    daily["assignees"][0]["share_percent"] = 80  # assignment ~
    daily["assignees"][0]["covers"].append(  # cover +
        {"member": "dewi@example.com", "start_date": "2026-12-10", "end_date": "2026-12-11"}
    )
    report["assignees"] = [{"member": "citra@example.com", "share_percent": 50}]  # assignment -, its 2 covers -; +
    document["tasks"].append(  # task +, assignment +
        {
            "title": "Quarterly plan",
            "role": "social-media-strategist",
            "cadence": "monthly",
            "effort_hours": 4,
            "start_date": "2026-12-01",
            "assignees": [{"member": "rina@example.com", "share_percent": 100}],
        }
    )
    return document


def assert_one_import(mark: int, team: Team, writes: Counter) -> None:
    """The import's rows are its history's rows, in one change set per team, as by the command and its file."""
    rows = entries_after(mark)
    assert kinds(rows) == writes
    change_sets = list(ChangeSet.objects.filter(pk__gt=mark))
    assert {change_set.actor for change_set in change_sets} == {"import_plan plan-2026.json"}
    assert sorted(change_set.team_id or 0 for change_set in change_sets) == [0, team.pk]  # the role catalog: None
    assert {row.change_set_id for row in rows} == {change_set.pk for change_set in change_sets}


def test_import_plan_records_every_row_it_creates_in_one_change_set_per_team(tmp_path):
    mark, before = last_change_set_id(), snapshot()
    import_plan(tmp_path, covers_plan())
    writes = row_changes(before, snapshot())
    assert writes[("cover", "+")] == 3
    assert_one_import(mark, Team.objects.get(), writes)


def test_import_plan_records_every_row_it_changes_and_deletes_in_one_change_set_per_team(tmp_path):
    import_plan(tmp_path, covers_plan())
    mark, before = last_change_set_id(), snapshot()
    import_plan(tmp_path, changed_plan())
    writes = row_changes(before, snapshot())
    assert writes == {
        ("team", "~"): 1,
        ("role", "~"): 1,
        ("responsibility", "-"): 1,
        ("member", "~"): 1,
        ("member", "+"): 1,
        ("time_off", "-"): 1,
        ("holding", "~"): 1,
        ("holding", "+"): 1,
        ("task", "~"): 1,
        ("task", "+"): 1,
        ("assignment", "~"): 1,
        ("assignment", "-"): 1,
        ("assignment", "+"): 2,
        ("cover", "+"): 1,
        ("cover", "-"): 2,  # deleted with Rina's assignment
    }
    assert_one_import(mark, Team.objects.get(), writes)


def test_import_plan_keeps_the_old_and_new_values_of_a_change(tmp_path):
    import_plan(tmp_path, covers_plan())
    import_plan(tmp_path, changed_plan())
    row = Task.history.filter(title="Reply to comments and DMs").latest()
    assert old_and_new(row) == {"effort_hours": (1, 1.5)}


def test_import_plan_again_or_dry_run_records_nothing(tmp_path):
    import_plan(tmp_path, covers_plan())
    mark = last_change_set_id()
    import_plan(tmp_path, covers_plan())
    import_plan(tmp_path, changed_plan(), "--dry-run")
    assert not ChangeSet.objects.filter(pk__gt=mark).exists()
    assert not entries_after(mark)


# ------------------------------------------------------------------ seed_demo


def test_seed_demo_records_every_row_as_by_seed_demo(settings):
    settings.DEBUG = True
    mark, before = last_change_set_id(), snapshot()
    call_command("seed_demo", stdout=StringIO())
    writes = row_changes(before, snapshot())
    rows = entries_after(mark)
    # Every row created has its "+"; the member linked to the demo login and the team given its manager a "~".
    assert {key: count for key, count in kinds(rows).items() if key[1] == "+"} == writes
    assert kinds(rows)[("member", "~")] == 1
    assert kinds(rows)[("team", "~")] == 1
    assert {change_set.actor for change_set in ChangeSet.objects.filter(pk__gt=mark)} == {"seed_demo"}
    assert ChangeSet.objects.filter(pk__gt=mark).count() == 2  # the team's and the role catalog's


# ------------------------------------------------------------------ the services: values, rows, rollback


def test_share_change_keeps_the_old_and_the_new_share(plan):
    with recording("tester"):
        assignment_update(assignment=plan.assignment, share_percent=20)
    new = plan.assignment.history.latest()
    prev = new.prev_record
    assert (prev.share_percent, new.share_percent) == (50, 20)
    assert old_and_new(new)["share_percent"] == (50, 20)
    assert new.change_set.actor == "tester"


def test_write_outside_any_recording_is_by_system(plan):
    assignment_update(assignment=plan.assignment, share_percent=20)
    change_set = plan.assignment.history.latest().change_set
    assert (change_set.actor, change_set.user, change_set.team_id) == (SYSTEM, None, plan.team.pk)


def test_acknowledgement_withdraw_records_each_acknowledgement(plan):
    second = DualRoleAcknowledgement.objects.create(member=plan.member, note="second")
    mark = last_change_set_id()
    with recording("tester"):
        assert acknowledgement_withdraw(member=plan.member, withdrawn_by=plan.users["manager"]) == 2
    rows = entries_after(mark)
    assert kinds(rows) == {("acknowledgement", "~"): 2}
    assert second.pk in {row.id for row in rows}
    assert all(old_and_new(row)["withdrawn_at"][0] is None for row in rows)


def assert_no_dangling_change_set() -> None:
    """Every historical row's change set is there (a rolled-back one must not be reused)."""
    change_sets = set(ChangeSet.objects.values_list("pk", flat=True))
    for model, _excluded in TRACKED.values():
        assert set(model.history.values_list("change_set_id", flat=True)) <= change_sets


def fail_then_succeed(plan) -> None:
    """A hand-over that deletes, then is refused (ValidationError): rolled back; then a change that stays."""
    taken = make_assignment(make_task(plan.team, plan.task.role), plan.colleague)
    make_assignment(taken.task, plan.member, share_percent=50)
    with recording("tester"):
        with pytest.raises(ValidationError):  # the colleague is on the task already: after the delete
            assignment_hand_over(assignment=taken, to_member=plan.member)
        assignment_update(assignment=plan.assignment, share_percent=20)
    assert Assignment.objects.filter(pk=taken.pk).exists()
    latest = plan.assignment.history.latest()
    assert ChangeSet.objects.filter(pk=latest.change_set_id, actor="tester").exists()


def test_refused_service_call_leaves_no_dangling_change_set(plan):
    fail_then_succeed(plan)
    assert_no_dangling_change_set()


@pytest.mark.django_db(transaction=True)
def test_refused_service_call_leaves_no_dangling_change_set_when_committed(plan):
    fail_then_succeed(plan)
    assert_no_dangling_change_set()


@pytest.mark.django_db(transaction=True)
def test_rolled_back_block_leaves_no_dangling_change_set_when_committed(plan):
    with recording("tester"):
        with pytest.raises(ValidationError), transaction.atomic():
            assignment_update(assignment=plan.assignment, share_percent=20)  # written, then rolled back
            assignment_update(assignment=plan.assignment, share_percent=999)
        assignment_update(assignment=plan.assignment, share_percent=30)
    assert_no_dangling_change_set()
    assert plan.assignment.history.latest().share_percent == 30


# ------------------------------------------------------------------ what recording costs


def activity_inserts(queries) -> Counter:
    """The INSERTs into the history's tables, counted by table."""
    return Counter(
        query["sql"].split('"')[1]
        for query in queries
        if query["sql"].startswith("INSERT") and query["sql"].split('"')[1].startswith("activity_")
    )


def test_one_change_costs_one_historical_row_and_one_change_set(plan):
    with CaptureQueriesContext(connection) as queries, recording("tester"):
        assignment_update(assignment=plan.assignment, share_percent=20)
    assert activity_inserts(queries.captured_queries) == {"activity_historicalassignment": 1, "activity_changeset": 1}


def test_two_changes_in_one_recording_share_one_change_set(plan):
    other = make_assignment(make_task(plan.team, plan.task.role), plan.colleague, share_percent=40)
    with CaptureQueriesContext(connection) as queries, recording("tester"):
        assignment_update(assignment=plan.assignment, share_percent=20)
        assignment_update(assignment=other, share_percent=30)
    assert activity_inserts(queries.captured_queries) == {"activity_historicalassignment": 2, "activity_changeset": 1}


def test_deleting_a_login_records_the_member_it_was_linked_to_and_the_teams_it_managed(plan):
    """Django clears a deleted login's links with one UPDATE per table, which no signal sees: the two that
    are part of the plan are cleared row by row first (activity/recording.py, ``unlink_login``)."""
    mark = last_change_set_id()
    plan.users["member"].delete()
    plan.users["manager"].delete()
    kinds = Counter(f"{KIND_OF[type(row)]} {row.history_type}" for row in entries_after(mark))
    assert kinds == {"member ~": 1, "team ~": 1}
    unlinked = plan.member.history.first()
    assert unlinked.user_id is None and unlinked.prev_record.user_id is not None
    assert not plan.team.history.first().managers.exists()
