"""Plan file import/export: paths in errors, all or nothing, idempotent, round trip."""

import copy
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assignments.management.commands.seed_demo import DEMO_PLANS
from assignments.models import Assignment, Task
from assignments.plan import PlanError, plan_export, plan_import
from roles.models import Role, RoleHolding, Team, TeamMember, TimeOff
from tests.factories import PLAN_MODELS, make_member, make_team

pytestmark = pytest.mark.django_db

ALL_MODELS = PLAN_MODELS


def small_plan() -> dict:
    return {
        "team": {"name": "Marketing", "slug": "marketing"},
        "roles": [
            {
                "name": "Social Media Specialist",
                "slug": "social-media-specialist",
                "focus": "operational",
                "summary": "Day to day.",
                "responsibilities": ["Publish and schedule posts", "Answer comments"],
            },
            {"name": "Social Media Strategist", "slug": "social-media-strategist", "focus": "strategic"},
        ],
        "members": [
            {
                "full_name": "Sari",
                "email": "sari@example.com",
                "job_title": "Specialist",
                "weekly_capacity_hours": "40",
                "roles": [{"role": "social-media-specialist", "start_date": "2026-01-01"}],
                "time_off": [{"start_date": "2026-12-03", "end_date": "2026-12-04", "reason": "leave"}],
            },
            {
                "full_name": "Rina",
                "email": "rina@example.com",
                "weekly_capacity_hours": 32.5,
                "roles": [
                    {"role": "social-media-specialist", "start_date": "2026-01-01"},
                    {"role": "social-media-strategist", "start_date": "2026-01-01", "end_date": "2026-12-31"},
                ],
            },
        ],
        "tasks": [
            {
                "title": "Reply to comments and DMs",
                "role": "social-media-specialist",
                "channel": "instagram",
                "cadence": "daily",
                "effort_hours": "1.00",
                "start_date": "2026-11-30",
                "end_date": None,
                "assignees": [{"member": "sari@example.com", "share_percent": 100}],
            },
            {
                "title": "Monthly report",
                "role": "social-media-strategist",
                "cadence": "monthly",
                "effort_hours": 6,
                "start_date": "2026-10-31",
                "assignees": [{"member": "rina@example.com", "share_percent": 50, "start_date": "2026-12-01"}],
            },
        ],
    }


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


def import_errors(document) -> list[str]:
    with pytest.raises(PlanError) as error:
        plan_import(document=document)
    return error.value.errors


def test_import_creates_the_plan():
    result = plan_import(document=small_plan())
    assert result.changed
    rina = TeamMember.objects.get(email="rina@example.com")
    assert rina.team.slug == "marketing"
    assert rina.weekly_capacity_hours == Decimal("32.50")
    assert list(Role.objects.get(slug="social-media-specialist").responsibilities.values_list("title", flat=True)) == [
        "Publish and schedule posts",
        "Answer comments",
    ]
    report = Assignment.objects.get(task__title="Monthly report")
    assert (report.member, report.share_percent, str(report.start_date)) == (rina, 50, "2026-12-01")
    assert RoleHolding.objects.filter(member=rina).count() == 2
    assert TimeOff.objects.get().reason == "leave"


def test_import_twice_changes_nothing():
    plan_import(document=small_plan())
    before = row_counts()
    stamps = list(Assignment.objects.order_by("pk").values_list("pk", "updated_at"))
    result = plan_import(document=small_plan())
    assert not result.changed
    assert row_counts() == before
    assert list(Assignment.objects.order_by("pk").values_list("pk", "updated_at")) == stamps


def test_import_matches_members_by_email_ignoring_case():
    plan_import(document=small_plan())
    document = small_plan()
    document["members"][0]["email"] = "SARI@example.com"
    document["tasks"][0]["assignees"][0]["member"] = "Sari@Example.com"
    assert not plan_import(document=document).changed


def test_import_makes_what_the_file_names_match_it_and_leaves_the_rest():
    plan_import(document=small_plan())
    team = Team.objects.get(slug="marketing")
    outsider = make_member(team=team, email="extra@example.com")
    document = small_plan()
    document["tasks"][0]["assignees"] = []  # Sari no longer on this task
    document["members"][0]["time_off"] = []
    document["roles"][0]["responsibilities"] = ["Answer comments"]
    result = plan_import(document=document)
    assert result.changes == {
        "assignment deleted": 1,
        "time off deleted": 1,
        "responsibility deleted": 1,
        "responsibility updated": 1,
    }
    assert not Assignment.objects.filter(task__title="Reply to comments and DMs").exists()
    assert TeamMember.objects.filter(pk=outsider.pk).exists()  # not in the file: kept


def test_export_then_import_into_an_empty_database_gives_the_same_plan():
    plan_import(document=json.loads(DEMO_PLANS["en"].read_text(), parse_float=Decimal))
    exported = plan_export(team=Team.objects.get(slug="marketing"))
    for model in reversed(ALL_MODELS):
        model.objects.all().delete()
    assert sum(row_counts().values()) == 0
    plan_import(document=json.loads(json.dumps(exported)))
    assert plan_export(team=Team.objects.get(slug="marketing")) == exported
    assert Task.objects.count() == len(exported["tasks"]) > 20


def test_export_writes_the_documented_format():
    plan_import(document=small_plan())
    exported = plan_export(team=Team.objects.get(slug="marketing"))
    sari = next(m for m in exported["members"] if m["email"] == "sari@example.com")
    assert sari["weekly_capacity_hours"] == "40.00"
    assert sari["roles"] == [{"role": "social-media-specialist", "start_date": "2026-01-01"}]
    task = next(t for t in exported["tasks"] if t["title"] == "Monthly report")
    assert task["effort_hours"] == "6.00"
    assert task["end_date"] is None
    assert task["assignees"] == [{"member": "rina@example.com", "share_percent": 50, "start_date": "2026-12-01"}]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["members"][1].update(email="not-an-email"), "members[1].email: Enter a valid email address."),
        (
            lambda d: d["members"][0].update(weekly_capacity_hours=True),
            "members[0].weekly_capacity_hours: must be a number",
        ),
        (
            lambda d: d["members"][0].update(weekly_capacity_hours="200"),
            "members[0].weekly_capacity_hours: Weekly capacity must be between 0 and 168 hours.",
        ),
        (
            lambda d: d["members"][0].update(weekly_capacity_hours="forty"),
            "members[0].weekly_capacity_hours: “forty” value must be a decimal number.",
        ),
        (lambda d: d["members"][0].update(full_name=7), "members[0].full_name: must be text"),
        (lambda d: d["members"][0].update(is_active="yes"), "members[0].is_active: must be true or false"),
        (lambda d: d["members"][0].update(roles="specialist"), "members[0].roles: must be a list"),
        (
            lambda d: d["members"][0]["roles"][0].update(role="astronaut"),
            "members[0].roles[0].role: unknown role astronaut",
        ),
        (
            lambda d: d["members"][0]["roles"][0].update(start_date="2026-02-30"),
            "members[0].roles[0].start_date: “2026-02-30” value has the correct format (YYYY-MM-DD) "
            "but it is an invalid date.",
        ),
        (
            lambda d: d["members"][0]["roles"][0].update(start_date="30/11/2026"),
            "members[0].roles[0].start_date: “30/11/2026” value has an invalid date format. "
            "It must be in YYYY-MM-DD format.",
        ),
        (
            lambda d: d["members"][0]["time_off"][0].update(end_date="2026-12-01"),
            "members[0].time_off[0].end_date: The end date must be on or after the start date.",
        ),
        (
            lambda d: d["members"][1].update(email="sari@example.com"),
            "members[1].email: sari@example.com is listed twice (first at members[0].email)",
        ),
        (lambda d: d["roles"][0].update(focus="tactical"), "roles[0].focus: Value 'tactical' is not a valid choice."),
        (
            lambda d: d["roles"][1].update(slug="social-media-specialist"),
            "roles[1].slug: social-media-specialist is listed twice (first at roles[0].slug)",
        ),
        (lambda d: d["tasks"][0].update(role="astronaut"), "tasks[0].role: unknown role astronaut"),
        (lambda d: d["tasks"][0].update(cadence="once"), "tasks[0].end_date: A one-off task needs an end date."),
        (lambda d: d["tasks"][0].update(effort_hours="0"), "tasks[0].effort_hours: Effort must be more than 0 hours."),
        (
            lambda d: d["tasks"][0].update(effort_hours="1.005"),
            "tasks[0].effort_hours: Ensure that there are no more than 2 decimal places.",
        ),
        (lambda d: d["tasks"][0].update(channel="myspace"), "tasks[0].channel: Value 'myspace' is not a valid choice."),
        (lambda d: d["tasks"][0].update(start_date=None), "tasks[0].start_date: must not be null"),
        (lambda d: d["tasks"][0].pop("title"), "tasks[0].title: is required"),
        (lambda d: d["tasks"][0].update(colour="red"), "tasks[0].colour: unknown key"),
        (
            lambda d: d["tasks"][0]["assignees"][0].update(share_percent=150),
            "tasks[0].assignees[0].share_percent: Ensure this value is less than or equal to 100.",
        ),
        (
            lambda d: d["tasks"][0]["assignees"][0].update(share_percent="half"),
            "tasks[0].assignees[0].share_percent: must be a whole number",
        ),
        (
            lambda d: d["tasks"][0]["assignees"].append({"member": "rina@example.com", "share_percent": 1}),
            "tasks[0].assignees: This task is already fully assigned.",
        ),
        (
            lambda d: d["tasks"][0]["assignees"][0].update(member="ghost@example.com"),
            "tasks[0].assignees[0].member: ghost@example.com is not a member of this team",
        ),
        (
            lambda d: d["tasks"][1].update(title="Reply to comments and DMs"),
            "tasks[1].title: Reply to comments and DMs is listed twice (first at tasks[0].title)",
        ),
        (lambda d: d.pop("team"), "team: is required"),
        (
            lambda d: d["team"].update(slug="not a slug"),
            "team.slug: Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
        ),
    ],
)
def test_import_reports_each_problem_with_its_path(change, expected):
    document = small_plan()
    change(document)
    assert expected in import_errors(document)
    assert sum(row_counts().values()) == 0


def test_import_lists_every_problem_not_just_the_first():
    document = small_plan()
    document["members"][0]["email"] = "bad"
    document["tasks"][1]["cadence"] = "hourly"
    errors = import_errors(document)
    assert "members[0].email: Enter a valid email address." in errors
    assert "tasks[1].cadence: Value 'hourly' is not a valid choice." in errors


def test_import_with_one_bad_task_writes_nothing():
    plan_import(document=small_plan())
    before = row_counts()
    document = small_plan()
    document["members"][0]["full_name"] = "Sari Wulandari"  # a good change...
    document["tasks"].append(
        {**copy.deepcopy(document["tasks"][0]), "title": "New", "effort_hours": "-1"}
    )  # ...and a bad task
    errors = import_errors(document)
    assert errors == ["tasks[2].effort_hours: Effort must be more than 0 hours."]
    assert row_counts() == before
    assert TeamMember.objects.get(email="sari@example.com").full_name == "Sari"


def test_import_refuses_a_member_of_another_team():
    make_member(team=make_team(slug="sales"), email="rina@example.com")
    errors = import_errors(small_plan())
    assert errors == ["members[1].email: already belongs to a member of team sales"]
    assert not Team.objects.filter(slug="marketing").exists()


def test_import_refuses_a_role_name_taken_by_another_slug():
    Role.objects.create(name="Social Media Strategist", slug="strategist", focus="strategic")
    assert import_errors(small_plan()) == ["roles[1].name: is already the name of role strategist"]


def test_import_of_something_that_is_not_an_object():
    assert import_errors([1, 2]) == ["file: must be an object"]


def test_import_plan_command_reports_errors_and_exits_non_zero(tmp_path):
    document = small_plan()
    document["members"][0]["email"] = "bad"
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(document))
    stderr = StringIO()
    with pytest.raises(CommandError, match=r"1 problem in .*nothing was imported"):
        call_command("import_plan", str(plan_file), stderr=stderr)
    assert "members[0].email: Enter a valid email address." in stderr.getvalue()
    assert sum(row_counts().values()) == 0


def test_import_plan_command_reports_bad_json(tmp_path):
    plan_file = tmp_path / "plan.json"
    plan_file.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_plan", str(plan_file))
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_plan", str(tmp_path / "missing.json"))


def test_export_and_import_commands_round_trip(tmp_path):
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(small_plan()))
    stdout = StringIO()
    call_command("import_plan", str(plan_file), stdout=stdout)
    assert "Team marketing imported" in stdout.getvalue()
    exported = tmp_path / "exported.json"
    call_command("export_plan", "--team", "marketing", "--output", str(exported), stderr=StringIO())
    stdout = StringIO()
    call_command("import_plan", str(exported), stdout=stdout)
    assert "already up to date, nothing changed" in stdout.getvalue()


def test_export_plan_command_names_the_known_teams_for_an_unknown_slug():
    make_team(slug="sales")
    with pytest.raises(CommandError, match=r"No team with slug 'nope' .*sales"):
        call_command("export_plan", "--team", "nope")
