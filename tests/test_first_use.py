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
    assert not Role.objects.filter(slug__startswith="bench-").exists()
    assert not Team.objects.filter(slug="bench-s").exists()
