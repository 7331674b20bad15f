"""Regressions from a careful first use: each test is named after the behaviour that once failed."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from assignments.models import Assignment, DualRoleAcknowledgement, Task
from roles.models import Role, RoleHolding, Team, TimeOff
from tests.factories import MONDAY, make_assignment, make_member, make_role, make_task, make_team, make_user

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


# --------------------------------------------------------------------------- messages with a percent sign


@pytest.mark.parametrize("language", ["en", "id"])
def test_every_constraint_message_formats_in_both_languages(language):
    """Django formats a constraint's message with ``%``: a bare percent sign made the admin answer 500."""
    with translation.override(language):
        for model in apps.get_models():
            for constraint in model._meta.constraints:
                message = constraint.get_violation_error_message()  # raised ValueError before
                assert "%%" not in message and "%(" not in message, (constraint.name, message)


def test_admin_share_of_zero_is_an_error_beside_the_field_not_a_500(admin_client):
    task = make_task()
    member = make_member(team=task.team)
    response = admin_client.post(
        reverse("admin:assignments_assignment_add"), {"task": task.pk, "member": member.pk, "share_percent": 0}
    )
    assert response.status_code == 200
    assert "share_percent" in response.context["adminform"].form.errors
    assert not Assignment.objects.exists()


# --------------------------------------------------------------------------- concurrent writers on SQLite


def test_sqlite_writers_at_the_same_moment_queue_instead_of_failing(tmp_path):
    """Five managers assign at once on the default database: each gets a result or a form error, none a 500."""
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'race.sqlite3'}"
    script = ROOT / "tests" / "scripts" / "sqlite_race.py"
    result = subprocess.run(
        [sys.executable, str(script), "5", "30"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    outcomes = result.stdout.split("\n")[:5]
    assert sorted(outcome.split(":")[0] for outcome in outcomes) == ["ok", "ok", "ok", "refused", "refused"], outcomes


# --------------------------------------------------------------------------- dates at the edge of the calendar


@pytest.mark.parametrize("edge", ["1899-12-31", "3000-01-01", "9999-12-31"])
def test_dates_outside_1900_to_2999_are_refused_on_every_dated_row(edge):
    edge = datetime.date.fromisoformat(edge)
    task = make_task(start_date=MONDAY)
    member = make_member(team=task.team)
    rows = [
        Task(team=task.team, role=task.role, title="Edge", cadence="daily", effort_hours=1, start_date=edge),
        Assignment(task=task, member=member, start_date=edge),
        RoleHolding(member=member, role=task.role, start_date=MONDAY, end_date=edge),
        TimeOff(member=member, start_date=MONDAY, end_date=edge),
        DualRoleAcknowledgement(member=member, valid_until=edge),
    ]
    for row in rows:
        with pytest.raises(ValidationError) as error:
            row.full_clean()
        assert "Enter a date between 1900-01-01 and 2999-12-31." in str(error.value), type(row)


def test_database_refuses_a_date_past_2999_that_skipped_validation():
    member = make_member()
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeOff.objects.create(member=member, start_date=MONDAY, end_date=datetime.date(9999, 12, 31))


def test_admin_task_in_year_9999_is_an_error_not_a_broken_drill_down(admin_client):
    task = make_task()
    response = admin_client.post(
        reverse("admin:assignments_task_add"),
        {
            "team": task.team.pk,
            "role": task.role.pk,
            "title": "Far future",
            "cadence": "daily",
            "effort_hours": "1",
            "start_date": "9999-12-31",
            "is_active": "on",
            "assignments-TOTAL_FORMS": "0",
            "assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "start_date" in response.context["adminform"].form.errors
    assert admin_client.get(reverse("admin:assignments_task_changelist")).status_code == 200


@pytest.mark.parametrize("start", ["3000-01-01", "1899-12-31"])
def test_workload_api_refuses_a_start_outside_1900_to_2999(client, start):
    team = make_team()
    manager = make_user()
    team.managers.add(manager)
    client.force_login(manager)
    response = client.get(reverse("assignments:api_team_workload", args=[team.slug]), {"start": start})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["start"]


# --------------------------------------------------------------------------- one rule check for every writer


def test_admin_task_inline_refuses_an_inactive_member(admin_client):
    from tests.test_admin import task_form_data

    task = make_task()
    gone = make_member(team=task.team, is_active=False)
    response = admin_client.post(
        reverse("admin:assignments_task_change", args=[task.pk]), task_form_data(task, [(gone, 50)])
    )
    assert response.status_code == 200
    assert "is not an active team member" in response.content.decode()
    assert not Assignment.objects.exists()


def test_admin_task_inline_refuses_a_new_assignment_on_an_archived_task(admin_client):
    from tests.test_admin import task_form_data

    task = make_task()
    member = make_member(team=task.team)
    data = task_form_data(task, [(member, 50)])
    del data["is_active"]  # archived, as the form submits it
    response = admin_client.post(reverse("admin:assignments_task_change", args=[task.pk]), data)
    assert response.status_code == 200
    assert "This task is archived." in response.content.decode()
    assert not Assignment.objects.exists()


def test_admin_assignment_form_refuses_an_archived_task(admin_client):
    task = make_task(is_active=False)
    member = make_member(team=task.team)
    response = admin_client.post(
        reverse("admin:assignments_assignment_add"), {"task": task.pk, "member": member.pk, "share_percent": 50}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["task"] == ["This task is archived."]
    assert not Assignment.objects.exists()


def test_admin_task_inline_keeps_an_untouched_row_of_a_member_who_left(admin_client):
    """Rows left as they were are not re-judged: the manager can still edit the task around them."""
    from tests.test_admin import task_form_data

    task = make_task()
    role = make_role()
    left = make_member(team=task.team)
    assignment = make_assignment(task, left, share_percent=40)
    left.is_active = False
    left.save()
    data = task_form_data(task, []) | {
        "role": role.pk,
        "assignments-TOTAL_FORMS": "1",
        "assignments-INITIAL_FORMS": "1",
        "assignments-0-id": assignment.pk,
        "assignments-0-task": task.pk,
        "assignments-0-member": left.pk,
        "assignments-0-share_percent": 40,
    }
    response = admin_client.post(reverse("admin:assignments_task_change", args=[task.pk]), data)
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.role == role


# --------------------------------------------------------------------------- commands: an error line, never a traceback


def test_bench_workload_with_zero_runs_is_an_error_before_writing_anything():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="--runs must be at least 1"):
        call_command("bench_workload", "--size", "S", "--runs", "0")
    assert not Role.objects.filter(slug__startswith="bench-").exists()


def test_bench_workload_leaves_no_synthetic_roles_in_the_shared_catalog():
    from io import StringIO

    from django.core.management import call_command

    stdout = StringIO()
    call_command("bench_workload", "--size", "S", "--runs", "1", stdout=stdout)
    assert "ratio b/a" in stdout.getvalue()
    assert "(d) suggestions, 1 task" in stdout.getvalue() and "(e) preview, 1 change" in stdout.getvalue()
    assert not Role.objects.filter(slug__startswith="bench-").exists()
    assert not Team.objects.filter(slug="bench-s").exists()


# --------------------------------------------------------------------------- inactive members' shares count nowhere


@pytest.fixture
def half_held_by_someone_who_left():
    task = make_task(title="Schedule posts")
    stays, left = make_member(team=task.team, full_name="Stays"), make_member(team=task.team, full_name="Left")
    make_assignment(task, stays, share_percent=50)
    make_assignment(task, left, share_percent=50)
    left.is_active = False
    left.save()
    return task, stays, left


def test_task_half_held_by_an_inactive_member_is_flagged_half_assigned(half_held_by_someone_who_left):
    from assignments.report import team_report

    task, _stays, _left = half_held_by_someone_who_left
    flags = [flag.as_json() for flag in team_report(team=task.team, start=MONDAY, weeks=1).flags]
    assert {"kind": "task_unassigned", "task": "Schedule posts", "assigned_share": 50} in flags


def test_share_left_by_an_inactive_member_can_be_handed_to_someone_else(half_held_by_someone_who_left):
    from assignments.services import assignment_create

    task, _stays, _left = half_held_by_someone_who_left
    newcomer = make_member(team=task.team)
    assert assignment_create(task=task, member=newcomer, share_percent=50).share_percent == 50


def test_member_cannot_come_back_when_their_task_was_handed_over_meanwhile(half_held_by_someone_who_left):
    task, _stays, left = half_held_by_someone_who_left
    make_assignment(task, make_member(team=task.team), share_percent=50)
    left.is_active = True
    with pytest.raises(ValidationError) as error:
        left.full_clean()
    assert error.value.message_dict["is_active"] == [
        "Coming back would put Schedule posts over 100 %: remove or lower this person's share there first."
    ]


def test_member_can_come_back_while_their_share_is_still_free(half_held_by_someone_who_left):
    _task, _stays, left = half_held_by_someone_who_left
    left.is_active = True
    left.full_clean()  # nobody took the 50 %: no error


# --------------------------------------------------------------------------- time off and holdings recorded once


def test_same_time_off_twice_is_refused_beside_the_first_day():
    from roles.services import time_off_create

    member = make_member()
    time_off_create(member=member, start_date=MONDAY, end_date=MONDAY + datetime.timedelta(days=2))
    with pytest.raises(ValidationError) as error:
        time_off_create(member=member, start_date=MONDAY + datetime.timedelta(days=2), end_date=MONDAY)
    assert "end_date" in error.value.message_dict  # dates in the wrong order are said first
    with pytest.raises(ValidationError) as error:
        time_off_create(
            member=member, start_date=MONDAY + datetime.timedelta(days=1), end_date=MONDAY + datetime.timedelta(days=5)
        )
    assert error.value.message_dict["start_date"] == [
        "This overlaps time off already recorded, 2026-11-30 to 2026-12-02."
    ]
    assert TimeOff.objects.filter(member=member).count() == 1


def test_time_off_next_to_other_time_off_is_accepted():
    from roles.services import time_off_create

    member = make_member()
    time_off_create(member=member, start_date=MONDAY, end_date=MONDAY)
    time_off_create(
        member=member, start_date=MONDAY + datetime.timedelta(days=1), end_date=MONDAY + datetime.timedelta(days=5)
    )
    assert TimeOff.objects.filter(member=member).count() == 2


def test_time_off_can_be_moved_and_deleted():
    from roles.services import time_off_create, time_off_delete, time_off_update

    member = make_member()
    off = time_off_create(member=member, start_date=MONDAY, end_date=MONDAY)
    moved = time_off_update(time_off=off, start_date=MONDAY, end_date=MONDAY + datetime.timedelta(days=1), reason="x")
    assert (moved.end_date, moved.reason) == (MONDAY + datetime.timedelta(days=1), "x")  # overlapping itself is fine
    time_off_delete(time_off=moved)
    assert not TimeOff.objects.exists()


def test_overlapping_holding_of_the_same_role_is_refused():
    from roles.services import role_holding_create

    member = make_member()
    role = make_role()
    role_holding_create(member=member, role=role, start_date=MONDAY)
    with pytest.raises(ValidationError) as error:
        role_holding_create(member=member, role=role, start_date=MONDAY + datetime.timedelta(days=30))
    assert error.value.message_dict["start_date"] == [
        "This person already holds this role from 2026-11-30; end that holding or change its dates."
    ]


def test_holding_again_after_an_ended_holding_is_accepted_and_a_mistaken_one_deleted():
    from roles.services import role_holding_create, role_holding_delete

    member = make_member()
    role = make_role()
    role_holding_create(member=member, role=role, start_date=MONDAY, end_date=MONDAY)
    again = role_holding_create(member=member, role=role, start_date=MONDAY + datetime.timedelta(days=1))
    role_holding_delete(holding=again)
    assert RoleHolding.objects.filter(member=member).count() == 1


# --------------------------------------------------------------------------- members and tasks without the admin


def test_manager_services_add_change_and_deactivate_a_member():
    from decimal import Decimal

    from roles.services import member_create, member_update

    team = make_team()
    member = member_create(team=team, full_name="Dewi", email="dewi@example.com")
    member = member_update(member=member, weekly_capacity_hours=Decimal("24"), is_active=False)
    member.refresh_from_db()
    assert (member.weekly_capacity_hours, member.is_active) == (Decimal("24"), False)
    with pytest.raises(ValidationError) as error:
        member_create(team=team, full_name="Other", email="DEWI@example.com")
    assert "email" in error.value.message_dict


def test_archived_task_can_be_restored_with_its_assignments():
    from assignments.services import task_archive, task_restore

    task = make_task()
    make_assignment(task, make_member(team=task.team), share_percent=70)
    task_restore(task=task_archive(task=task))
    task.refresh_from_db()
    assert task.is_active
    assert task.assignments.get().share_percent == 70


@pytest.mark.parametrize(
    "lookalike", ["schedule posts", "Schedule\u200b posts", "  Schedule   posts ", "\ufeffSchedule posts"]
)
def test_task_titles_are_unique_ignoring_case_and_invisible_characters(lookalike):
    from assignments.services import task_create

    first = make_task(title="Schedule posts")
    with pytest.raises(ValidationError) as error:
        task_create(
            team=first.team, role=first.role, title=lookalike, cadence="daily", effort_hours=1, start_date=MONDAY
        )
    assert "title" in error.value.message_dict


def test_title_taken_by_an_archived_task_says_so():
    from assignments.forms import TaskForm

    archived = make_task(title="Monthly report", is_active=False)
    form = TaskForm(
        {
            "title": "monthly report",
            "role": archived.role.pk,
            "cadence": "daily",
            "effort_hours": "1",
            "start_date": MONDAY,
        },
        team=archived.team,
    )
    assert form.errors["title"] == [
        "An archived task has this title: restore it from the archive or choose another title."
    ]


def test_database_refuses_overlapping_time_off_on_postgresql(on_postgres):
    member = make_member()
    TimeOff.objects.create(member=member, start_date=MONDAY, end_date=MONDAY + datetime.timedelta(days=2))
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeOff.objects.create(
            member=member, start_date=MONDAY + datetime.timedelta(days=2), end_date=MONDAY + datetime.timedelta(days=5)
        )


def test_database_refuses_an_overlapping_holding_of_the_same_role_on_postgresql(on_postgres):
    member, role = make_member(), make_role()
    RoleHolding.objects.create(member=member, role=role, start_date=MONDAY)
    RoleHolding.objects.create(member=member, role=make_role(), start_date=MONDAY)  # another role: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleHolding.objects.create(member=member, role=role, start_date=MONDAY + datetime.timedelta(days=9))


def test_upgrade_merges_overlapping_periods_without_losing_a_day():
    """The migration that brings the rule merges what older versions let through."""
    import importlib

    from django.apps import apps as installed_apps
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL's exclusion constraint cannot even hold the overlaps to merge")
    migration = importlib.import_module("roles.migrations.0004_no_overlapping_periods")
    member, role = make_member(), make_role()
    day = lambda offset: MONDAY + datetime.timedelta(days=offset)  # noqa: E731
    TimeOff.objects.bulk_create(
        [
            TimeOff(member=member, start_date=day(0), end_date=day(2)),
            TimeOff(member=member, start_date=day(0), end_date=day(2)),  # the same twice
            TimeOff(member=member, start_date=day(2), end_date=day(5)),  # overlapping
            TimeOff(member=member, start_date=day(9), end_date=day(9)),  # apart: stays
        ]
    )
    RoleHolding.objects.bulk_create(
        [
            RoleHolding(member=member, role=role, start_date=day(0), end_date=day(10)),
            RoleHolding(member=member, role=role, start_date=day(5), end_date=None),
        ]
    )
    migration.merge_overlaps(installed_apps, None)
    assert list(TimeOff.objects.order_by("start_date").values_list("start_date", "end_date")) == [
        (day(0), day(5)),
        (day(9), day(9)),
    ]
    assert list(RoleHolding.objects.values_list("start_date", "end_date")) == [(day(0), None)]


# --------------------------------------------------------------------------- ids beyond any database integer


def test_ids_beyond_any_database_integer_are_not_found_not_a_500(client):
    import json

    team = make_team(slug="marketing")
    manager = make_user()
    team.managers.add(manager)
    client.force_login(manager)
    huge = 2**63
    duty = client.get(f"/teams/marketing/fix/tasks/9/members/{huge}/day-off/")
    assert duty.status_code == 404
    board = client.get("/teams/marketing/board/", {"task": "9" * 5000})
    assert board.status_code == 200
    body = {"changes": [{"action": "assign", "task": huge, "member": "a@x.com"}]}
    preview = client.post(
        reverse("assignments:api_preview", args=["marketing"]), json.dumps(body), content_type="application/json"
    )
    assert (preview.status_code, preview.json()["errors"][0]["field"]) == (400, "task")
