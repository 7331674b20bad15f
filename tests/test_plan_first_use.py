"""Plan file, issue 10: the models' own rules, broken files, inactive assignees, overlaps, shared roles, dry runs."""

import json
import os
import subprocess
import sys
import threading
import time
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from assignments import services
from assignments.management.commands.seed_demo import DEMO_PLANS
from assignments.models import Assignment, Task
from assignments.plan import plan_export, plan_import, write_plan_file
from assignments.plan import write as plan_write
from roles.models import Role, Team, TeamMember
from tests.factories import make_holding, make_member, make_role, make_task, make_team
from tests.test_plan import import_errors, row_counts, small_plan

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def command(name: str, *args: str) -> tuple[str, str]:
    stdout, stderr = StringIO(), StringIO()
    call_command(name, *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def plan_file(tmp_path: Path, document: dict) -> str:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document))
    return str(path)


def demo_document() -> dict:
    return json.loads(DEMO_PLANS["en"].read_text(), parse_float=Decimal)


# 1. The models speak: each row is checked by its model's own rules, at the file's paths.


def test_import_reports_the_models_own_messages_at_the_file_paths():
    document = small_plan()
    document["members"][0]["weekly_capacity_hours"] = "-1"
    document["tasks"][0]["end_date"] = "2026-11-01"
    document["tasks"][1]["assignees"][0]["end_date"] = "2026-11-01"
    document["members"][1]["roles"][0]["start_date"] = "1899-12-31"
    errors = import_errors(document)
    assert errors == [
        "members[0].weekly_capacity_hours: Weekly capacity must be between 0 and 168 hours.",
        "members[1].roles[0].start_date: Enter a date between 1900-01-01 and 2999-12-31.",
        "tasks[0].end_date: The end date must be on or after the start date.",
        "tasks[1].assignees[0].end_date: The end date must be on or after the start date.",
    ]
    assert sum(row_counts().values()) == 0


def test_import_reports_a_field_error_once_not_again_as_a_model_rule():
    document = small_plan()
    document["tasks"][0].update(cadence="once", end_date="not a date")
    errors = import_errors(document)
    assert [line for line in errors if line.startswith("tasks[0].end_date")] == [
        "tasks[0].end_date: “not a date” value has an invalid date format. It must be in YYYY-MM-DD format."
    ]


# 2. A broken file or output: one line, a non-zero exit, never a traceback, nothing written.

BROKEN_FILES = {
    "deeply nested": lambda path: path.write_text("[" * 100_000),
    "a 5000-digit number": lambda path: path.write_text('{"team": ' + "9" * 5000 + "}"),
    "a folder": lambda path: path.mkdir(),
    "missing": lambda path: None,
    "not UTF-8": lambda path: path.write_bytes(b'{"team": "\xff\xfe"}'),
    "not JSON": lambda path: path.write_text('{"team": '),
}


@pytest.mark.parametrize("kind", BROKEN_FILES)
def test_import_plan_refuses_a_broken_file_in_one_line_and_writes_nothing(tmp_path, kind):
    path = tmp_path / "plan.json"
    BROKEN_FILES[kind](path)
    with pytest.raises(CommandError) as error:
        command("import_plan", str(path))
    assert str(error.value).startswith(f"{path}: ")
    assert "\n" not in str(error.value)
    assert sum(row_counts().values()) == 0


@pytest.mark.parametrize("kind", BROKEN_FILES)
def test_import_plan_process_exits_non_zero_with_one_line_and_no_traceback(tmp_path, kind):
    path = tmp_path / "plan.json"
    BROKEN_FILES[kind](path)
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"}
    finished = subprocess.run(
        [sys.executable, "manage.py", "import_plan", str(path)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 1
    assert finished.stdout == ""
    assert finished.stderr.count("\n") == 1 and finished.stderr.startswith("CommandError: "), finished.stderr
    assert "Traceback" not in finished.stderr


def test_import_plan_accepts_a_file_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(small_plan()), encoding="utf-8-sig")
    stdout, _stderr = command("import_plan", str(path))
    assert "Team marketing imported" in stdout


@pytest.mark.parametrize("target", ["missing/plan.json", "folder"])
def test_export_plan_to_a_missing_folder_or_a_folder_fails_in_one_line_and_writes_nothing(tmp_path, target):
    plan_import(document=small_plan())
    (tmp_path / "folder").mkdir()
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(CommandError) as error:
        command("export_plan", "--team", "marketing", "--output", str(tmp_path / target))
    assert "\n" not in str(error.value) and str(tmp_path / target) in str(error.value)
    assert sorted(tmp_path.rglob("*")) == before


def test_export_plan_that_fails_while_writing_leaves_the_old_file_whole(tmp_path, monkeypatch):
    plan_import(document=small_plan())
    output = tmp_path / "plan.json"
    output.write_text("the previous export")
    output.chmod(0o640)

    def disk_full(descriptor):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("assignments.plan.cli.os.fsync", disk_full)
    with pytest.raises(CommandError, match="No space left on device"):
        command("export_plan", "--team", "marketing", "--output", str(output))
    assert output.read_text() == "the previous export"
    assert [path.name for path in tmp_path.iterdir()] == ["plan.json"]  # no temporary file left behind
    monkeypatch.undo()
    command("export_plan", "--team", "marketing", "--output", str(output))
    assert json.loads(output.read_text())["team"]["slug"] == "marketing"
    assert output.stat().st_mode & 0o777 == 0o640  # the file keeps its permissions


def test_write_plan_file_replaces_the_file_whole(tmp_path):
    output = tmp_path / "plan.json"
    write_plan_file(output, "one")
    write_plan_file(output, "two")
    assert output.read_text() == "two"
    assert [path.name for path in tmp_path.iterdir()] == ["plan.json"]


# 3. Inactive assignees and archived tasks: refused when new or changed, kept when stored as they are.


def test_import_refuses_an_inactive_member_as_a_new_assignee():
    document = small_plan()
    document["members"][0]["is_active"] = False
    assert import_errors(document) == ["tasks[0].assignees[0].member: Sari is not an active team member."]
    assert sum(row_counts().values()) == 0


def test_import_refuses_a_new_assignee_who_is_stored_inactive():
    plan_import(document=small_plan())
    team = Team.objects.get(slug="marketing")
    make_member(team=team, email="gone@example.com", full_name="Gone", is_active=False)
    document = small_plan()
    document["tasks"][1]["assignees"].append({"member": "gone@example.com", "share_percent": 10})
    assert import_errors(document) == ["tasks[1].assignees[1].member: Gone is not an active team member."]


def test_import_keeps_an_inactive_members_stored_assignment_and_round_trips():
    plan_import(document=small_plan())
    TeamMember.objects.filter(email="rina@example.com").update(is_active=False)
    exported = plan_export(team=Team.objects.get(slug="marketing"))
    assert not plan_import(document=json.loads(json.dumps(exported))).changed
    changed = json.loads(json.dumps(exported))
    report = next(task for task in changed["tasks"] if task["title"] == "Monthly report")
    report["assignees"][0]["share_percent"] = 40  # changing the share of someone who left is refused...
    index = changed["tasks"].index(report)
    assert import_errors(changed) == [f"tasks[{index}].assignees[0].member: Rina is not an active team member."]
    report["assignees"] = []  # ...removing it is not
    assert plan_import(document=changed).changes == {"assignment deleted": 1}


def test_import_counts_an_inactive_members_share_nowhere_in_the_100_percent_check():
    plan_import(document=small_plan())
    TeamMember.objects.filter(email="rina@example.com").update(is_active=False)
    document = small_plan()
    document["members"][1]["is_active"] = False
    document["tasks"][1]["assignees"].append({"member": "sari@example.com", "share_percent": 100})
    result = plan_import(document=document)  # Rina's kept 50 % counts nowhere: Sari may take all of it
    assert result.changes == {"assignment created": 1}


def test_import_checks_the_shares_with_the_services_message():
    document = small_plan()
    document["tasks"][1]["assignees"].append({"member": "sari@example.com", "share_percent": 60})
    assert import_errors(document) == ["tasks[1].assignees: Only 50 % of this task is left to assign."]


def test_import_refuses_a_new_or_changed_assignee_on_an_archived_task():
    document = small_plan()
    document["tasks"][1]["is_active"] = False
    assert import_errors(document) == ["tasks[1].assignees[0]: This task is archived."]


def test_import_keeps_the_assignees_of_an_archived_task_as_a_record():
    plan_import(document=small_plan())
    services.task_archive(task=Task.objects.get(title="Monthly report"))
    exported = plan_export(team=Team.objects.get(slug="marketing"))
    assert not plan_import(document=json.loads(json.dumps(exported))).changed
    document = small_plan()
    document["tasks"][0]["is_active"] = False  # archiving in the file keeps the assignees too
    document["tasks"][1]["is_active"] = False
    assert plan_import(document=document).changes == {"task updated": 1}
    assert Assignment.objects.count() == 2


def test_import_refuses_bringing_back_a_member_whose_task_was_handed_over():
    plan_import(document=small_plan())
    rina = TeamMember.objects.get(email="rina@example.com")
    report = Task.objects.get(title="Monthly report")
    TeamMember.objects.filter(pk=rina.pk).update(is_active=False)
    services.assignment_create(task=report, member=TeamMember.objects.get(email="sari@example.com"), share_percent=100)
    document = small_plan()
    document["members"][1]["full_name"] = "Rina Hartono"
    document["tasks"] = document["tasks"][:1]  # the handed-over task is not in the file: left as it is
    before = row_counts()
    assert import_errors(document) == [
        "members[1].is_active: Coming back would put Monthly report over 100 %: remove or lower this person's "
        "share there first."
    ]
    assert row_counts() == before
    assert TeamMember.objects.get(pk=rina.pk).full_name == "Rina"  # nothing half-written
    assert not TeamMember.objects.get(pk=rina.pk).is_active


def test_import_brings_back_a_member_when_the_file_makes_room_for_them():
    plan_import(document=small_plan())
    rina = TeamMember.objects.get(email="rina@example.com")
    TeamMember.objects.filter(pk=rina.pk).update(is_active=False)
    services.assignment_create(
        task=Task.objects.get(title="Monthly report"),
        member=TeamMember.objects.get(email="sari@example.com"),
        share_percent=100,
    )
    document = small_plan()
    document["tasks"][1]["assignees"].append({"member": "sari@example.com", "share_percent": 50})
    result = plan_import(document=document)  # judged on the shares the import leaves, not the old ones
    assert result.changes == {"member updated": 1, "assignment updated": 1}
    assert TeamMember.objects.get(pk=rina.pk).is_active


# 4. Overlapping time off and holdings; export then import changes nothing.


def test_import_refuses_overlapping_or_repeated_time_off_of_one_member():
    document = small_plan()
    document["members"][0]["time_off"] += [
        {"start_date": "2026-12-04", "end_date": "2026-12-10"},
        {"start_date": "2026-12-20", "end_date": "2026-12-21"},
        {"start_date": "2026-12-20", "end_date": "2026-12-21"},
    ]
    assert import_errors(document) == [
        "members[0].time_off[1]: overlaps members[0].time_off[0]",
        "members[0].time_off[3]: overlaps members[0].time_off[2]",
    ]


def test_import_refuses_overlapping_holdings_of_the_same_role_but_not_of_two_roles():
    document = small_plan()
    document["members"][1]["roles"] += [
        {"role": "social-media-strategist", "start_date": "2027-01-01"},
        {"role": "social-media-specialist", "start_date": "2020-01-01", "end_date": "2026-01-01"},
    ]
    assert import_errors(document) == ["members[1].roles[3]: overlaps members[1].roles[0]"]


def test_export_then_import_of_the_demo_changes_nothing(tmp_path):
    plan_import(document=demo_document())
    output = tmp_path / "demo.json"
    command("export_plan", "--team", "marketing", "--output", str(output))
    assert not plan_import(document=json.loads(output.read_text(), parse_float=Decimal)).changed
    stdout, _stderr = command("import_plan", str(output))
    assert "already up to date, nothing changed" in stdout


# 5. Every error at once, each at its own path.


def test_import_runs_the_reference_checks_on_a_file_with_other_errors():
    make_member(team=make_team(slug="sales"), email="rina@example.com")
    document = small_plan()
    document["members"][0]["weekly_capacity_hours"] = "lots"
    document["tasks"][0]["role"] = "astronaut"
    document["tasks"][1]["assignees"].append({"member": "ghost@example.com", "share_percent": 10})
    assert import_errors(document) == [
        "members[0].weekly_capacity_hours: “lots” value must be a decimal number.",
        "tasks[0].role: unknown role astronaut",
        "members[1].email: already belongs to a member of team sales",
        "tasks[1].assignees[1].member: ghost@example.com is not a member of this team",
    ]


def test_import_reports_a_repeat_at_the_later_items_own_path():
    document = small_plan()
    document["roles"].append({**document["roles"][1], "slug": "strategist-2"})
    document["members"].append({"full_name": "Sari again", "email": "SARI@example.com"})
    document["tasks"].append({**document["tasks"][1], "title": "MONTHLY  report", "assignees": []})
    document["tasks"][0]["assignees"].append({"member": "Sari@example.com", "share_percent": 0})
    assert import_errors(document) == [
        "roles[2].name: Social Media Strategist is listed twice (first at roles[1].name)",
        "members[2].email: sari@example.com is listed twice (first at members[0].email)",
        "tasks[0].assignees[1].share_percent: Ensure this value is greater than or equal to 1.",
        "tasks[0].assignees[1].member: sari@example.com is listed twice (first at tasks[0].assignees[0].member)",
        "tasks[2].title: MONTHLY report is listed twice (first at tasks[1].title)",
    ]


def test_import_reports_errors_about_the_whole_file_at_the_file_path():
    assert import_errors("plan") == ["file: must be an object"]
    assert import_errors({"team": {"name": "M", "slug": "m"}, "colour": 1}) == ["colour: unknown key"]


def test_import_error_lines_never_break_or_carry_terminal_escapes():
    document = small_plan()
    document["tasks"][0]["col\nour\x1b[31m"] = 1
    assert import_errors(document) == ["tasks[0].col\\nour\\x1b[31m: unknown key"]


# 6. Shared roles and dry runs.


def test_import_refuses_to_change_a_role_another_team_uses():
    role = make_role(name="Social Media Specialist", slug="social-media-specialist", summary="Sales' words.")
    make_task(make_team(slug="sales"), role)
    make_holding(make_member(team=make_team(slug="events")), role)
    before = row_counts()
    assert import_errors(small_plan()) == [
        "roles[0]: would change the summary, responsibilities of a role that teams events, sales also use; "
        "import with --update-shared-roles to change it for every team"
    ]
    assert row_counts() == before
    plan_import(document=small_plan(), update_shared_roles=True)
    assert Role.objects.get(slug="social-media-specialist").summary == "Day to day."


def test_import_may_change_a_role_only_its_own_team_uses():
    plan_import(document=small_plan())
    document = small_plan()
    document["roles"][0]["summary"] = "Every day."
    assert plan_import(document=document).changes == {"role updated": 1}


def test_import_plan_command_refuses_a_shared_role_change_unless_told(tmp_path):
    role = make_role(name="Social Media Specialist", slug="social-media-specialist", focus="strategic")
    make_task(make_team(slug="sales"), role)
    path = plan_file(tmp_path, small_plan())
    stderr = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_plan", path, stdout=StringIO(), stderr=stderr)
    assert "roles[0]: would change the focus, summary, responsibilities of a role that team sales" in stderr.getvalue()
    stdout, _stderr = command("import_plan", path, "--update-shared-roles")
    assert "Team marketing imported" in stdout


def test_import_plan_dry_run_prints_the_same_summary_and_writes_nothing(tmp_path):
    path = plan_file(tmp_path, small_plan())
    stdout, _stderr = command("import_plan", path, "--dry-run")
    assert sum(row_counts().values()) == 0
    summary = (
        "1 team created, 2 roles created, 2 responsibilities created, 2 members created, 3 role holdings created, "
        "1 period of time off created, 2 tasks created, 2 assignments created"
    )
    assert stdout == f"Dry run, nothing was written. Team marketing would be imported: {summary}.\n"
    stdout, _stderr = command("import_plan", path)
    assert f"Team marketing imported: {summary}." in stdout
    stdout, _stderr = command("import_plan", path, "--dry-run")
    assert "already up to date, nothing would change" in stdout


def test_import_plan_dry_run_reports_the_errors_of_a_bad_file(tmp_path):
    document = small_plan()
    document["members"][0]["email"] = "bad"
    with pytest.raises(CommandError, match="1 problem"):
        command("import_plan", plan_file(tmp_path, document), "--dry-run")


# 7. Task titles match ignoring case and invisible characters.


def test_import_matches_task_titles_ignoring_case_and_invisible_characters():
    plan_import(document=small_plan())
    document = small_plan()
    document["tasks"][0]["title"] = "REPLY to comments\u200b and  DMs"
    result = plan_import(document=document)
    assert result.changes == {"task updated": 1}
    assert sorted(Task.objects.values_list("title", flat=True)) == ["Monthly report", "REPLY to comments and DMs"]
    assert not plan_import(document=document).changed


def test_import_updates_schedule_posts_over_a_stored_lower_case_title():
    plan_import(document=small_plan())
    Task.objects.filter(title="Monthly report").update(title="schedule posts")
    document = small_plan()
    document["tasks"][1]["title"] = "Schedule Posts"
    plan_import(document=document)
    assert Task.objects.filter(title__iexact="schedule posts").count() == 1
    assert Task.objects.get(title__iexact="schedule posts").title == "Schedule Posts"


# 8. The summary counts each kind in its own plural.


def test_import_summary_says_each_count_in_its_plural():
    result = plan_import(document=demo_document())
    summary = result.summary()
    count = Assignment.objects.count()
    assert f"{count} assignments created" in summary and count > 1
    assert "1 team created" in summary
    assert "assignment created" not in summary and "task created" not in summary


# 9. One transaction, with each task row locked like every other writer.


def test_import_locks_each_stored_task_it_writes_in_id_order(monkeypatch):
    plan_import(document=small_plan())
    locked = []

    def recording_lock(*, task_id):
        locked.append(task_id)
        return services.task_lock(task_id=task_id)

    monkeypatch.setattr(plan_write, "task_lock", recording_lock)
    document = small_plan()
    document["tasks"][0]["effort_hours"] = "2.00"
    plan_import(document=document)
    assert locked == sorted(Task.objects.values_list("pk", flat=True))


def test_import_refused_by_the_database_writes_nothing_and_says_so_in_one_line(monkeypatch):
    plan_import(document=small_plan())
    before = row_counts()
    document = small_plan()
    document["members"][0]["full_name"] = "Sari Wulandari"
    document["tasks"][1]["effort_hours"] = "7.00"

    def refuse(*args, **kwargs):
        from django.db import IntegrityError

        raise IntegrityError("duplicate key value\nDETAIL:  Key (title) already exists.")

    monkeypatch.setattr(plan_write, "_write_assignments", refuse)
    assert import_errors(document) == [
        "file: the database refused the plan: duplicate key value DETAIL: Key (title) already exists."
    ]
    assert row_counts() == before
    assert TeamMember.objects.get(email="sari@example.com").full_name == "Sari"


@pytest.mark.django_db(transaction=True)
def test_import_waits_for_a_writer_holding_the_task_and_then_sees_its_share(on_postgres):
    plan_import(document=small_plan())
    report = Task.objects.get(title="Monthly report")
    dewi = make_member(team=report.team, full_name="Dewi")
    document = small_plan()
    document["tasks"][1]["assignees"].append({"member": "sari@example.com", "share_percent": 50})
    locked, events, results = threading.Event(), [], []

    def board_writer():
        try:
            with transaction.atomic():
                services.task_lock(task_id=report.pk)
                locked.set()
                time.sleep(0.5)  # the import must wait meanwhile
                Assignment.objects.create(task=report, member=dewi, share_percent=50)
                events.append("writer committed")
        finally:
            connection.close()

    def importer():
        try:
            locked.wait(10)
            results.append(plan_import(document=document))
            events.append("import done")
        finally:
            connection.close()

    threads = [threading.Thread(target=board_writer), threading.Thread(target=importer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert events == ["writer committed", "import done"]
    # The file is the truth for the task's assignees: Dewi's share, committed while the import
    # waited, is seen under the lock and replaced, so the shares never pass 100 %.
    assert results[0].changes == {"assignment created": 1, "assignment deleted": 1}
    assert sorted(report.assignments.values_list("member__full_name", "share_percent")) == [
        ("Rina", 50),
        ("Sari", 50),
    ]
