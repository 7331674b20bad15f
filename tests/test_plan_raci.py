"""Plan file, issue 17: RACI's keys (docs/rules.md, "Plan file"): the team's ``raci_enabled``, a task's
``accountable``, ``consulted`` and ``informed``; errors at their paths, all or nothing, round trip, idempotent."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from activity.models import ChangeSet
from assignments.document import workload_document
from assignments.management.commands.seed_demo import DEMO_PLANS
from assignments.models import Task, TaskInvolvement
from assignments.plan import plan_export, plan_import
from assignments.report import team_report
from roles.models import Team, TeamMember
from tests.factories import PLAN_MODELS, make_member
from tests.test_history_recording import entries_after, import_plan, kinds, last_change_set_id, row_changes, snapshot
from tests.test_plan import import_errors, small_plan
from tests.test_plan_first_use import demo_document

pytestmark = pytest.mark.django_db

MODELS = [*PLAN_MODELS, TaskInvolvement]


def raci_plan() -> dict:
    """The small plan with RACI on, a third member (Citra) and every letter on its two tasks."""
    document = small_plan()
    document["team"]["raci_enabled"] = True
    document["members"].append({"full_name": "Citra", "email": "citra@example.com"})
    daily, report = document["tasks"]
    daily.update(accountable="sari@example.com", consulted=["rina@example.com"], informed=["citra@example.com"])
    report.update(accountable="Rina@Example.com", informed=["sari@example.com", "citra@example.com"])
    return document


def letters() -> dict[str, dict[str, str]]:
    """Each task's letters as stored: {title: {email: "A" / "C" / "I"}}."""
    found: dict[str, dict[str, str]] = {}
    for title, email in Task.objects.filter(accountable__isnull=False).values_list("title", "accountable__email"):
        found.setdefault(title, {})[email] = "A"
    for title, email, kind in TaskInvolvement.objects.values_list("task__title", "member__email", "kind"):
        found.setdefault(title, {})[email] = kind[0].upper()
    return found


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def stored_state() -> tuple:
    """Every row of the plan's models, RACI's included, with every value: to prove nothing was written."""
    return tuple(sorted(map(str, model.objects.values())) for model in MODELS)


RACI_OF_THE_PLAN = {
    "Reply to comments and DMs": {"sari@example.com": "A", "rina@example.com": "C", "citra@example.com": "I"},
    "Monthly report": {"rina@example.com": "A", "sari@example.com": "I", "citra@example.com": "I"},
}


# ------------------------------------------------------------------ import and export


def test_import_writes_every_letter_and_the_switch():
    result = plan_import(document=raci_plan())
    assert letters() == RACI_OF_THE_PLAN
    assert Team.objects.get().raci_enabled
    assert result.changes["involvement created"] == 4
    assert "4 people consulted or informed added" in result.summary()


def test_export_writes_the_letters_when_set_and_the_switch_always():
    document = raci_plan()
    document["tasks"][1].pop("informed")
    document["tasks"][1].pop("accountable")
    plan_import(document=document)
    exported = plan_export(team=Team.objects.get())
    assert exported["team"] == {"name": "Marketing", "slug": "marketing", "raci_enabled": True}
    daily, report = sorted(exported["tasks"], key=lambda task: task["title"] != "Reply to comments and DMs")
    assert (daily["accountable"], daily["consulted"], daily["informed"]) == (
        "sari@example.com",
        ["rina@example.com"],
        ["citra@example.com"],
    )
    assert list(daily)[-4:] == ["assignees", "accountable", "consulted", "informed"]
    assert not {"accountable", "consulted", "informed"} & set(report)  # none set: none written


def test_export_then_import_into_an_empty_database_gives_the_same_document():
    plan_import(document=raci_plan())
    exported = plan_export(team=Team.objects.get())
    assert exported["tasks"][0]["informed"] == ["citra@example.com", "sari@example.com"]  # by email
    for model in reversed(MODELS):
        model.objects.all().delete()
    plan_import(document=json.loads(json.dumps(exported)))
    assert plan_export(team=Team.objects.get()) == exported
    assert letters() == RACI_OF_THE_PLAN


def test_import_twice_changes_nothing_and_records_no_history(tmp_path):
    import_plan(tmp_path, raci_plan())
    mark, before = last_change_set_id(), stored_state()
    output = import_plan(tmp_path, raci_plan())
    assert "already up to date, nothing changed" in output
    assert stored_state() == before
    assert not ChangeSet.objects.filter(pk__gt=mark).exists()
    assert not entries_after(mark)
    assert not plan_import(document=json.loads(json.dumps(plan_export(team=Team.objects.get())))).changed


def test_import_changes_letters_in_place_counting_each_with_one_history_row(tmp_path):
    import_plan(tmp_path, raci_plan())
    document = raci_plan()
    daily, report = document["tasks"]
    daily.update(accountable="rina@example.com", consulted=["sari@example.com"])  # A and C swapped
    daily["informed"] = []  # Citra no longer informed
    report["informed"] = ["sari@example.com"]
    report["consulted"] = ["citra@example.com"]  # Citra informed -> consulted
    mark, before = last_change_set_id(), snapshot()
    output = import_plan(tmp_path, document)
    writes = row_changes(before, snapshot())
    assert writes == {("task", "~"): 1, ("involvement", "-"): 2, ("involvement", "+"): 1, ("involvement", "~"): 1}
    assert kinds(entries_after(mark)) == writes
    assert (
        "1 task updated, 1 person consulted or informed added, 1 person moved between consulted and informed, "
        "2 people consulted or informed removed" in output
    )
    assert letters() == {
        "Reply to comments and DMs": {"rina@example.com": "A", "sari@example.com": "C"},
        "Monthly report": {"rina@example.com": "A", "sari@example.com": "I", "citra@example.com": "C"},
    }


def test_a_task_without_the_keys_has_no_letters_after_the_import_and_an_old_file_still_imports():
    """The file is the truth for the tasks it lists, as for assignees: absent keys clear the letters."""
    plan_import(document=raci_plan())
    result = plan_import(document=small_plan())  # a file from before RACI: no raci_enabled, no letters
    assert result.changes == {"task updated": 2, "involvement deleted": 4}
    assert letters() == {}
    assert Team.objects.get().raci_enabled  # no raci_enabled in the file: the setting is left as it was


def test_null_letters_mean_none():
    document = raci_plan()
    document["tasks"][0].update(accountable=None, consulted=None, informed=None)
    plan_import(document=document)
    assert "Reply to comments and DMs" not in letters()


@pytest.mark.parametrize(
    ("stored", "in_file", "expected", "changes"),
    [
        (None, None, False, {}),  # a new team without the key: off
        (None, True, True, {}),
        (True, None, True, {}),  # absent: left as it is
        (False, None, False, {}),
        (False, True, True, {"team updated": 1}),
        (True, False, False, {"team updated": 1}),
        (True, True, True, {}),
    ],
)
def test_raci_enabled_on_off_or_absent(stored, in_file, expected, changes):
    document = small_plan()
    if stored is not None:
        plan_import(document=document | {"team": {"name": "Marketing", "slug": "marketing", "raci_enabled": stored}})
    if in_file is not None:
        document["team"]["raci_enabled"] = in_file
    result = plan_import(document=document)
    assert Team.objects.get().raci_enabled is expected
    if stored is not None:
        assert result.changes == changes


def test_a_new_member_of_the_file_may_be_accountable_and_another_consulted():
    """Members the file creates have no id yet: two of them are still two people."""
    document = raci_plan()
    document["members"].append({"full_name": "Dewi", "email": "dewi@example.com"})
    document["tasks"][0].update(accountable="citra@example.com", consulted=["DEWI@example.com"], informed=[])
    plan_import(document=document)
    assert letters()["Reply to comments and DMs"] == {"citra@example.com": "A", "dewi@example.com": "C"}
    plan_import(document=raci_plan())
    document = raci_plan()
    document["members"].append({"full_name": "Eko", "email": "eko@example.com"})
    document["tasks"][1]["accountable"] = "eko@example.com"
    result = plan_import(document=document)
    assert result.changes == {"member created": 1, "task updated": 1}
    assert Task.objects.get(title="Monthly report").accountable.full_name == "Eko"


def test_a_member_the_import_brings_back_may_be_named_accountable():
    plan_import(document=small_plan())
    make_member(team=Team.objects.get(), email="citra@example.com", full_name="Citra", is_active=False)
    document = raci_plan()
    document["tasks"][0]["accountable"] = "citra@example.com"
    document["tasks"][0]["informed"] = []
    plan_import(document=document)
    assert Task.objects.get(title="Reply to comments and DMs").accountable.email == "citra@example.com"
    assert TeamMember.objects.get(email="citra@example.com").is_active


def test_a_letter_of_a_member_who_left_or_on_an_archived_task_is_kept_as_stored():
    plan_import(document=raci_plan())
    document = raci_plan()
    document["members"][2]["is_active"] = False  # Citra leaves: her letters stay on record
    document["tasks"][1]["is_active"] = False  # the report is archived: its letters too
    assert plan_import(document=document).changes == {"member updated": 1, "task updated": 1}
    assert letters() == RACI_OF_THE_PLAN
    exported = plan_export(team=Team.objects.get())
    assert not plan_import(document=json.loads(json.dumps(exported))).changed
    document["tasks"][1]["informed"] = []  # taking a letter away is always allowed
    assert plan_import(document=document).changes == {"involvement deleted": 2}


def test_dry_run_counts_the_letters_and_writes_nothing():
    plan_import(document=small_plan())
    before = stored_state()
    result = plan_import(document=raci_plan(), dry_run=True)
    assert result.changes == {"member created": 1, "team updated": 1, "task updated": 2, "involvement created": 4}
    assert stored_state() == before


# ------------------------------------------------------------------ errors: at their paths, nothing written


def _with(**task_keys):
    def change(document):
        document["tasks"][0].update(task_keys)

    return change


def _citra_leaves(document):
    """Citra is inactive in the file, and named on the first task only."""
    document["members"][2]["is_active"] = False
    document["tasks"][1]["informed"] = ["sari@example.com"]


ERRORS = {
    "accountable not a member": (
        _with(accountable="nobody@example.com"),
        ["tasks[0].accountable: nobody@example.com is not a member of this team"],
    ),
    "consulted not a member": (
        _with(consulted=["rina@example.com", "Nobody@Example.com"]),
        ["tasks[0].consulted[1]: nobody@example.com is not a member of this team"],
    ),
    "accountable not an email": (
        _with(accountable="sari"),
        ["tasks[0].accountable: Enter a valid email address."],
    ),
    "informed not an email": (
        _with(informed=["citra@example.com", "citra at example"]),
        ["tasks[0].informed[1]: Enter a valid email address."],
    ),
    "accountable not text": (_with(accountable=7), ["tasks[0].accountable: must be text"]),
    "consulted not a list": (_with(consulted="rina@example.com"), ["tasks[0].consulted: must be a list of emails"]),
    "informed not a list": (_with(informed={"member": "x"}), ["tasks[0].informed: must be a list of emails"]),
    "a null in a list": (_with(informed=[None]), ["tasks[0].informed[0]: must not be null"]),
    "listed twice": (
        _with(consulted=["rina@example.com", "RINA@example.com"]),
        ["tasks[0].consulted[1]: rina@example.com is listed twice (first at tasks[0].consulted[0])"],
    ),
    "consulted and informed": (
        _with(informed=["Rina@example.com"]),
        [
            "tasks[0].informed[0]: rina@example.com is already consulted on this task; "
            "a person is consulted or informed, not both."
        ],
    ),
    "accountable and consulted": (
        _with(consulted=["sari@example.com", "rina@example.com"]),
        ["tasks[0].consulted[0]: Sari is accountable for this task: a person has one letter of A, C and I."],
    ),
    "accountable and informed": (
        _with(informed=["SARI@example.com"]),
        ["tasks[0].informed[0]: Sari is accountable for this task: a person has one letter of A, C and I."],
    ),
    "an inactive accountable": (
        lambda document: (_citra_leaves(document), _with(accountable="citra@example.com", informed=[])(document)),
        ["tasks[0].accountable: Citra is not an active team member."],
    ),
    "an inactive informed": (_citra_leaves, ["tasks[0].informed[0]: Citra is not an active team member."]),
    "a new letter on an archived task": (
        lambda document: document["tasks"][1].update(
            is_active=False, assignees=[], accountable=None, informed=[], consulted=["citra@example.com"]
        ),
        ["tasks[1].consulted[0]: This task is archived."],
    ),
    "a bad switch": (
        lambda document: document["team"].update(raci_enabled="yes"),
        ["team.raci_enabled: must be true or false"],
    ),
    "every problem at once": (
        lambda document: (
            document["tasks"][0].update(accountable="nobody@example.com", consulted=[1], informed="citra"),
            document["tasks"][1].update(consulted=["sari@example.com"]),
        ),
        [
            "tasks[0].consulted[0]: must be text",
            "tasks[0].informed: must be a list of emails",
            "tasks[1].informed[0]: sari@example.com is already consulted on this task; "
            "a person is consulted or informed, not both.",
            "tasks[0].accountable: nobody@example.com is not a member of this team",
        ],
    ),
}


@pytest.mark.parametrize("case", ERRORS)
def test_each_error_at_its_path_and_nothing_written_into_an_empty_database(case):
    change, expected = ERRORS[case]
    document = raci_plan()
    change(document)
    assert import_errors(document) == expected
    assert sum(row_counts().values()) == 0


@pytest.mark.parametrize("case", ERRORS)
def test_each_error_at_its_path_and_nothing_written_over_a_stored_plan(case):
    plan_import(document=small_plan())
    before = stored_state()
    change, expected = ERRORS[case]
    document = raci_plan()
    change(document)
    assert import_errors(document) == expected
    assert stored_state() == before


def test_a_letter_newly_given_to_a_stored_inactive_member_is_refused():
    plan_import(document=raci_plan())
    citra = TeamMember.objects.get(email="citra@example.com")
    citra.is_active = False
    citra.save()
    document = raci_plan()
    del document["members"][2]  # not in the file: as stored, inactive
    document["tasks"][0]["consulted"] = ["rina@example.com", "citra@example.com"]  # she was informed here
    document["tasks"][0]["informed"] = []
    assert import_errors(document) == ["tasks[0].consulted[1]: Citra is not an active team member."]


def test_an_unknown_member_is_not_reported_while_a_member_email_is_bad():
    """As for assignees: the unknown email may well be the bad one, whose own error says what to fix."""
    document = raci_plan()
    document["members"][2]["email"] = "citra(at)example.com"
    assert import_errors(document) == ["members[2].email: Enter a valid email address."]


# ------------------------------------------------------------------ the demo


def accountable_missing(team: Team) -> list[str]:
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    document = workload_document(team_report(team=team, start=monday, weeks=6))
    return [flag["task"] for flag in document["flags"] if flag["kind"] == "accountable_missing"]


def test_the_demo_tells_the_raci_story(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    team = Team.objects.get(slug="marketing")
    assert team.raci_enabled
    # one campaign plan nobody answers for: the demo's one accountable_missing flag
    assert accountable_missing(team) == ["Harbolnas 12.12 campaign plan"]
    strategic = team.tasks.filter(role__focus="strategic").exclude(title="Harbolnas 12.12 campaign plan")
    assert {task.accountable.email for task in strategic} == {"rina@example.com"}  # the strategist
    operational = team.tasks.filter(role__focus="operational")
    assert {"sari@example.com", "dewi@example.com", "budi@example.com", "maya@example.com", "andi@example.com"} <= {
        task.accountable.email for task in operational
    }
    assert TaskInvolvement.objects.filter(kind="consulted").exists()
    assert TaskInvolvement.objects.filter(kind="informed").exists()


def test_seed_demo_twice_changes_nothing_raci_included(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    before = stored_state()
    mark = last_change_set_id()
    assert "already there; nothing changed" in call_command_output("seed_demo")
    assert stored_state() == before
    assert not entries_after(mark)


def call_command_output(*args) -> str:
    stdout = StringIO()
    call_command(*args, stdout=stdout)
    return stdout.getvalue()


def test_both_demo_languages_carry_the_same_letters():
    def letters_of(document):
        return [(task.get("accountable"), task.get("consulted"), task.get("informed")) for task in document["tasks"]]

    indonesian = json.loads(DEMO_PLANS["id"].read_text(encoding="utf-8"))
    english = demo_document()
    assert letters_of(english) == letters_of(indonesian)
    assert english["team"]["raci_enabled"] is indonesian["team"]["raci_enabled"] is True
    assert sum(task.get("accountable") is None for task in english["tasks"]) == 1
