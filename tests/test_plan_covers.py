"""Plan file, issue 12: an assignee's covers, imported and exported (docs/rules.md, "Plan file")."""

import datetime
import json
from decimal import Decimal

import pytest

from assignments import cover_services, services
from assignments.models import Assignment, Cover, Task
from assignments.plan import parse as plan_parse
from assignments.plan import plan_export, plan_import
from roles.models import Team, TeamMember
from tests.factories import PLAN_MODELS, make_member, make_team
from tests.test_plan import import_errors, small_plan
from tests.test_plan_first_use import command, demo_document, plan_file

pytestmark = pytest.mark.django_db

MODELS = [*PLAN_MODELS, Cover]
SARI_DAILY = "tasks[0].assignees[0]"  # Sari on "Reply to comments and DMs", covered by Citra
RINA_REPORT = "tasks[1].assignees[0]"  # Rina on "Monthly report", covered by Sari, then Citra


def covers_plan() -> dict:
    """The small plan with a third member, Citra, and three covers on its two assignments."""
    document = small_plan()
    document["members"].append({"full_name": "Citra", "email": "citra@example.com"})
    document["tasks"][0]["assignees"][0]["covers"] = [
        {"member": "citra@example.com", "start_date": "2026-12-03", "end_date": "2026-12-04"},
    ]
    document["tasks"][1]["assignees"][0]["covers"] = [
        {"member": "sari@example.com", "start_date": "2026-12-07", "end_date": "2026-12-08"},
        {"member": "Citra@Example.com", "start_date": "2026-12-09", "end_date": "2026-12-09"},
    ]
    return document


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def stored_covers() -> list[tuple]:
    """Every cover as stored, with its id and creation time: a row left alone keeps both."""
    return list(
        Cover.objects.order_by("pk").values_list(
            "pk", "assignment__task__title", "assignment__member__email", "member__email", "start_date", "end_date",
            "created_at",
        )
    )  # fmt: skip


def cover_texts() -> set[tuple[str, str, str, str, str]]:
    """(task, assignee, substitute, start, end) of every cover, dates as in the file."""
    return {
        (title, assignee, substitute, start.isoformat(), end.isoformat())
        for _pk, title, assignee, substitute, start, end, _created in stored_covers()
    }


def snapshot() -> tuple:
    return row_counts(), stored_covers(), list(TeamMember.objects.order_by("pk").values())


# 1. A valid file creates the covers; a file without them imports as before.


def test_import_creates_the_covers_of_each_assignee():
    result = plan_import(document=covers_plan())
    assert result.changes["cover created"] == 3
    assert cover_texts() == {
        ("Reply to comments and DMs", "sari@example.com", "citra@example.com", "2026-12-03", "2026-12-04"),
        ("Monthly report", "rina@example.com", "sari@example.com", "2026-12-07", "2026-12-08"),
        ("Monthly report", "rina@example.com", "citra@example.com", "2026-12-09", "2026-12-09"),
    }
    assert not Cover.objects.filter(arranged_by__isnull=False).exists()  # an import arranges as nobody
    assert "3 covers created" in result.summary()


def test_import_of_a_file_without_covers_creates_none_and_counts_none():
    result = plan_import(document=small_plan())
    assert Cover.objects.count() == 0
    assert not any(kind.startswith("cover") for kind in result.changes)


def test_import_reads_null_covers_as_none():
    document = covers_plan()
    document["tasks"][0]["assignees"][0]["covers"] = None
    plan_import(document=document)
    assert Cover.objects.count() == 2


# 2. A bad cover: reported at its own path, nothing written.

BAD_COVERS = [
    (
        lambda d: d["tasks"][0]["assignees"][0]["covers"][0].update(member="nobody@example.com"),
        f"{SARI_DAILY}.covers[0].member: nobody@example.com is not a member of this team",
    ),
    (
        lambda d: d["tasks"][0]["assignees"][0]["covers"][0].update(member="other@example.com"),
        f"{SARI_DAILY}.covers[0].member: other@example.com is not a member of this team",
    ),
    (
        lambda d: d["tasks"][0]["assignees"][0]["covers"][0].update(member="not-an-email"),
        f"{SARI_DAILY}.covers[0].member: Enter a valid email address.",
    ),
    (
        lambda d: d["tasks"][0]["assignees"][0]["covers"][0].update(member="SARI@example.com"),
        f"{SARI_DAILY}.covers[0].member: Sari cannot cover their own duty.",
    ),
    (
        lambda d: (
            d["members"][2].update(is_active=False),
            d["tasks"][0]["assignees"][0]["covers"][0].update(end_date="2026-12-05"),
        ),
        f"{SARI_DAILY}.covers[0].member: Citra is not an active team member.",
    ),
    (
        lambda d: d["tasks"][0]["assignees"][0]["covers"][0].update(start_date="2026-02-30"),
        f"{SARI_DAILY}.covers[0].start_date: “2026-02-30” value has the correct format (YYYY-MM-DD) "
        "but it is an invalid date.",
    ),
    (
        lambda d: d["tasks"][0]["assignees"][0]["covers"][0].update(start_date="1899-12-31"),
        f"{SARI_DAILY}.covers[0].start_date: Enter a date between 1900-01-01 and 2999-12-31.",
    ),
    (
        lambda d: d["tasks"][0]["assignees"][0]["covers"][0].update(start_date=20261203),
        f"{SARI_DAILY}.covers[0].start_date: must be a date (YYYY-MM-DD)",
    ),
    (
        lambda d: d["tasks"][0]["assignees"][0]["covers"][0].update(end_date="2026-12-02"),
        f"{SARI_DAILY}.covers[0].end_date: The end date must be on or after the start date.",
    ),
    (
        lambda d: d["tasks"][0]["assignees"][0]["covers"][0].pop("end_date"),
        f"{SARI_DAILY}.covers[0].end_date: is required",
    ),
    (
        lambda d: d["tasks"][1]["assignees"][0]["covers"][1].update(start_date="2026-12-08"),
        f"{RINA_REPORT}.covers[1]: overlaps {RINA_REPORT}.covers[0]",
    ),
    (
        lambda d: d["tasks"][0]["assignees"][0].update(covers={"member": "citra@example.com"}),
        f"{SARI_DAILY}.covers: must be a list",
    ),
    (
        lambda d: d["tasks"][0]["assignees"][0].update(covers=["citra@example.com"]),
        f"{SARI_DAILY}.covers[0]: must be an object",
    ),
    (
        lambda d: d["tasks"][0]["assignees"][0]["covers"][0].update(reason="leave"),
        f"{SARI_DAILY}.covers[0].reason: unknown key",
    ),
    (
        lambda d: (
            d["tasks"][0].update(is_active=False),
            d["tasks"][0]["assignees"][0]["covers"][0].update(end_date="2026-12-05"),
        ),
        f"{SARI_DAILY}.covers[0]: This task is archived.",
    ),
]


@pytest.mark.parametrize(("change", "expected"), BAD_COVERS)
def test_import_reports_a_bad_cover_at_its_path_and_writes_nothing(change, expected):
    plan_import(document=covers_plan())
    make_member(team=make_team(), email="other@example.com")
    before = snapshot()
    document = covers_plan()
    change(document)
    assert import_errors(document) == [expected]
    assert snapshot() == before


def test_import_lists_every_problem_of_the_covers_at_once_and_writes_nothing():
    document = covers_plan()
    document["tasks"][0]["effort_hours"] = "lots"
    document["tasks"][0]["assignees"][0]["covers"] += [
        {"member": "sari@example.com", "start_date": "2026-12-10", "end_date": "2026-12-10"},
        {"member": "nobody@example.com", "start_date": "2026-12-04", "end_date": "2026-12-05", "note": "x"},
        {"member": "citra@example.com", "start_date": "2026-12-20", "end_date": "2026-12-19"},
        "citra@example.com",
    ]
    document["tasks"][1]["assignees"][0]["covers"][1]["start_date"] = "2026-12-01"
    document["tasks"][1]["assignees"][0]["covers"][0]["member"] = "rina@example.com"
    assert import_errors(document) == [
        "tasks[0].effort_hours: “lots” value must be a decimal number.",
        f"{SARI_DAILY}.covers[2].note: unknown key",
        f"{SARI_DAILY}.covers[3].end_date: The end date must be on or after the start date.",
        f"{SARI_DAILY}.covers[4]: must be an object",
        f"{SARI_DAILY}.covers[2]: overlaps {SARI_DAILY}.covers[0]",
        f"{RINA_REPORT}.covers[1]: overlaps {RINA_REPORT}.covers[0]",
        f"{SARI_DAILY}.covers[2].member: nobody@example.com is not a member of this team",
        f"{SARI_DAILY}.covers[1].member: Sari cannot cover their own duty.",
        f"{RINA_REPORT}.covers[0].member: Rina cannot cover their own duty.",
    ]
    assert sum(row_counts().values()) == 0


def test_import_tells_two_new_members_apart_and_checks_an_unknown_assignees_covers():
    document = covers_plan()
    document["tasks"][0]["assignees"][0]["member"] = "nobody@example.com"  # its covers are still checked
    document["members"][2]["is_active"] = False
    assert import_errors(document) == [
        f"{SARI_DAILY}.member: nobody@example.com is not a member of this team",
        f"{SARI_DAILY}.covers[0].member: Citra is not an active team member.",
        f"{RINA_REPORT}.covers[1].member: Citra is not an active team member.",
    ]


# 3. Import replaces an assignee's covers: idempotent, missing ones created, unlisted ones deleted.


def test_import_twice_changes_nothing_and_leaves_the_covers_alone():
    plan_import(document=covers_plan())
    before = snapshot()
    result = plan_import(document=covers_plan())
    assert not result.changed
    assert snapshot() == before


def test_import_replaces_the_covers_of_an_assignee_with_the_files():
    plan_import(document=covers_plan())
    kept = Cover.objects.get(member__email="sari@example.com")
    document = covers_plan()
    rina_covers = document["tasks"][1]["assignees"][0]["covers"]
    rina_covers[1]["end_date"] = "2026-12-10"  # changed: the old one deleted, the new one created
    rina_covers.append({"member": "citra@example.com", "start_date": "2026-12-14", "end_date": "2026-12-15"})
    del document["tasks"][0]["assignees"][0]["covers"]  # no covers key: no covers
    result = plan_import(document=document)
    assert result.changes == {"cover created": 2, "cover deleted": 2}
    assert result.summary() == "2 covers created, 2 covers deleted"
    assert cover_texts() == {
        ("Monthly report", "rina@example.com", "sari@example.com", "2026-12-07", "2026-12-08"),
        ("Monthly report", "rina@example.com", "citra@example.com", "2026-12-09", "2026-12-10"),
        ("Monthly report", "rina@example.com", "citra@example.com", "2026-12-14", "2026-12-15"),
    }
    assert Cover.objects.get(member__email="sari@example.com").created_at == kept.created_at
    assert not plan_import(document=document).changed


def test_import_deletes_a_cover_arranged_in_the_app_that_the_file_does_not_list():
    plan_import(document=covers_plan())
    assignment = Assignment.objects.get(task__title="Monthly report")
    cover_services.cover_create(
        assignment=assignment,
        member=TeamMember.objects.get(email="citra@example.com"),
        start_date=datetime.date(2026, 12, 21),
        end_date=datetime.date(2026, 12, 22),
    )
    result = plan_import(document=covers_plan())
    assert result.changes == {"cover deleted": 1}


def test_import_moves_a_cover_onto_days_of_one_it_drops():
    plan_import(document=covers_plan())
    document = covers_plan()
    document["tasks"][0]["assignees"][0]["covers"][0].update(start_date="2026-12-04", end_date="2026-12-05")
    assert plan_import(document=document).changes == {"cover created": 1, "cover deleted": 1}
    assert ("Reply to comments and DMs", "sari@example.com", "citra@example.com", "2026-12-04", "2026-12-05") in (
        cover_texts()
    )


def test_import_counts_the_covers_deleted_with_their_assignment():
    plan_import(document=covers_plan())
    document = covers_plan()
    document["tasks"][1]["assignees"] = []
    assert plan_import(document=document).changes == {"assignment deleted": 1, "cover deleted": 2}
    assert Cover.objects.count() == 1


def test_import_keeps_a_stored_cover_of_a_member_who_left_or_an_archived_task():
    plan_import(document=covers_plan())
    document = covers_plan()
    document["members"][2]["is_active"] = False  # Citra leaves: her covers stay on record
    document["tasks"][1]["is_active"] = False  # the report is archived: its covers too
    assert plan_import(document=document).changes == {"member updated": 1, "task updated": 1}
    exported = plan_export(team=Team.objects.get(slug="marketing"))
    assert not plan_import(document=json.loads(json.dumps(exported))).changed
    assert Cover.objects.count() == 3


def test_import_lets_a_member_it_brings_back_cover():
    plan_import(document=small_plan())
    make_member(team=Team.objects.get(slug="marketing"), email="citra@example.com", full_name="Citra", is_active=False)
    result = plan_import(document=covers_plan())  # Citra comes back and covers in the same file
    assert result.changes == {"member updated": 1, "cover created": 3}
    assert TeamMember.objects.get(email="citra@example.com").is_active


def test_import_writes_each_cover_through_the_cover_services(monkeypatch):
    """Should a rule slip past the checks of the file, the services still refuse it and nothing is written."""
    plan_import(document=small_plan())
    before = snapshot()
    monkeypatch.setattr(plan_parse, "check_covers", lambda *args: None)
    document = small_plan()
    document["tasks"][0]["assignees"][0]["covers"] = [
        {"member": "sari@example.com", "start_date": "2026-12-03", "end_date": "2026-12-04"}
    ]
    assert import_errors(document) == [f"{SARI_DAILY}.covers[0].member: Sari cannot cover their own duty."]
    assert snapshot() == before


# 4. Dry run: writes nothing, says what would change.


def test_import_plan_dry_run_counts_the_covers_and_writes_nothing(tmp_path):
    plan_import(document=small_plan())
    before = snapshot()
    path = plan_file(tmp_path, covers_plan())
    stdout, _stderr = command("import_plan", path, "--dry-run")
    assert stdout == (
        "Dry run, nothing was written. Team marketing would be imported: 1 member created, 3 covers created.\n"
    )
    assert snapshot() == before
    command("import_plan", path)
    document = covers_plan()
    document["tasks"][1]["assignees"][0]["covers"].pop()
    (tmp_path / "fewer").mkdir()
    stdout, _stderr = command("import_plan", plan_file(tmp_path / "fewer", document), "--dry-run")
    assert "would be imported: 1 cover deleted." in stdout
    assert Cover.objects.count() == 3
    stdout, _stderr = command("import_plan", path, "--dry-run")
    assert "already up to date, nothing would change" in stdout


# 5. Export writes the covers, and omits the key when there are none.


def test_export_writes_each_assignees_covers_by_start_date():
    plan_import(document=covers_plan())
    exported = plan_export(team=Team.objects.get(slug="marketing"))
    report = next(task for task in exported["tasks"] if task["title"] == "Monthly report")
    assert report["assignees"] == [
        {
            "member": "rina@example.com",
            "share_percent": 50,
            "start_date": "2026-12-01",
            "covers": [
                {"member": "sari@example.com", "start_date": "2026-12-07", "end_date": "2026-12-08"},
                {"member": "citra@example.com", "start_date": "2026-12-09", "end_date": "2026-12-09"},
            ],
        }
    ]


def test_export_of_a_plan_without_covers_has_no_covers_key():
    plan_import(document=covers_plan())
    document = covers_plan()
    for task in document["tasks"]:
        for assignee in task["assignees"]:
            del assignee["covers"]
    plan_import(document=document)
    assert Cover.objects.count() == 0
    assert '"covers"' not in json.dumps(plan_export(team=Team.objects.get(slug="marketing")))


def test_export_then_import_into_an_empty_database_gives_the_same_covers():
    plan_import(document=demo_document())
    team = Team.objects.get(slug="marketing")
    people = {member.email: member for member in team.members.all()}
    in_demo = Cover.objects.count()  # the demo plan's own covers
    day = datetime.date
    for title, substitute, start, end in [
        ("Reply to comments and DMs", "dewi@example.com", day(2026, 12, 3), day(2026, 12, 4)),
        ("Reply to comments and DMs", "budi@example.com", day(2026, 12, 7), day(2026, 12, 7)),
        ("Monitor mentions and trends", "sari@example.com", day(2026, 12, 14), day(2026, 12, 18)),
    ]:
        assignment = Assignment.objects.filter(task__title=title).order_by("member__email").first()
        cover_services.cover_create(assignment=assignment, member=people[substitute], start_date=start, end_date=end)
    exported = plan_export(team=team)
    for model in reversed(MODELS):
        model.objects.all().delete()
    assert sum(row_counts().values()) == 0
    result = plan_import(document=json.loads(json.dumps(exported), parse_float=Decimal))
    assert result.changes["cover created"] == in_demo + 3
    assert plan_export(team=Team.objects.get(slug="marketing")) == exported
    assert sum(len(a.get("covers", [])) for task in exported["tasks"] for a in task["assignees"]) == in_demo + 3


def test_export_then_import_of_covers_changes_nothing(tmp_path):
    plan_import(document=covers_plan())
    services.task_archive(task=Task.objects.get(title="Monthly report"))
    output = tmp_path / "plan.json"
    command("export_plan", "--team", "marketing", "--output", str(output))
    stdout, _stderr = command("import_plan", str(output))
    assert "already up to date, nothing changed" in stdout
    assert json.loads(output.read_text())["tasks"][0]["assignees"][0]["covers"] == [
        {"member": "sari@example.com", "start_date": "2026-12-07", "end_date": "2026-12-08"},
        {"member": "citra@example.com", "start_date": "2026-12-09", "end_date": "2026-12-09"},
    ]
