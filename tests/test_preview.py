"""What happens if I do this: before/after figures, flags raised and cleared, every refusal, and no writes.

One week from Monday 30 November 2026. Sari (40 h, strategist) does 35 h of operational moderation
and 10 h of strategy: over capacity, squeezed, and covering both roles by work. The changes hand
her moderation to Eko (10 h a week) and half of a 4 h strategic task to Ayu (10 h operational).
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assignments.preview import Change, PreviewError, parse_changes, preview
from roles.models import Role
from tests.factories import (
    MONDAY,
    PLAN_MODELS,
    make_assignment,
    make_holding,
    make_member,
    make_role,
    make_task,
    make_team,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    team = make_team()
    specialist = make_role(Role.Focus.OPERATIONAL, name="Specialist")
    strategist = make_role(Role.Focus.STRATEGIC, name="Strategist")
    people = {
        "ayu": make_member(team, full_name="Ayu", email="ayu@x.com"),
        "eko": make_member(team, full_name="Eko", email="eko@x.com", weekly_capacity_hours=Decimal(10)),
        "sari": make_member(team, full_name="Sari", email="sari@x.com"),
    }
    make_holding(people["ayu"], specialist)
    make_holding(people["sari"], strategist)
    weekly = {"cadence": "weekly", "start_date": MONDAY}
    tasks = {
        "daily": make_task(team, specialist, title="Replies", cadence="daily", effort_hours=2, start_date=MONDAY),
        "moderation": make_task(team, specialist, title="Moderation", effort_hours=35, **weekly),
        "strategy": make_task(team, strategist, title="Strategy", effort_hours=10, **weekly),
        "campaign": make_task(team, strategist, title="Campaign", effort_hours=4, **weekly),
    }
    make_assignment(tasks["daily"], people["ayu"])
    make_assignment(tasks["moderation"], people["sari"])
    make_assignment(tasks["strategy"], people["sari"])
    return team, tasks, people


def changes_for(tasks):
    return [
        Change("unassign", tasks["moderation"].pk, "sari@x.com"),
        Change("assign", tasks["campaign"].pk, "ayu@x.com", 50),
        Change("assign", tasks["moderation"].pk, "eko@x.com", 100),
    ]


def run(team, changes):
    return preview(team=team, start=MONDAY, weeks=1, changes=changes).as_json()


def test_preview_lists_exactly_the_members_whose_figures_change(plan):
    team, tasks, _people = plan
    make_member(team, full_name="Untouched")
    document = run(team, changes_for(tasks))
    assert [member["name"] for member in document["members"]] == ["Ayu", "Eko", "Sari"]
    sari = document["members"][2]["weeks"][0]
    assert (sari["before"]["total_hours"], sari["before"]["band"]) == ("45.00", "over")
    assert (sari["after"]["total_hours"], sari["after"]["band"]) == ("10.00", "under")
    eko = document["members"][1]["weeks"][0]
    assert (eko["after"]["operational_hours"], eko["after"]["utilization"], eko["after"]["band"]) == (
        "35.00",
        "3.50",
        "over",
    )


def test_preview_raises_a_dual_role_by_work_and_an_over_allocation(plan):
    team, tasks, _people = plan
    raised = run(team, changes_for(tasks))["flags_raised"]
    assert [(flag["kind"], flag.get("member")) for flag in raised] == [
        ("dual_role", "ayu@x.com"),
        ("over_allocated", "eko@x.com"),
    ]
    assert raised[0] == {
        "kind": "dual_role",
        "member": "ayu@x.com",
        "explicit": False,
        "by_work": True,
        "operational_hours": "10.00",
        "strategic_hours": "2.00",
        "strategic_share": "0.17",
        "acknowledged": False,
    }


def test_preview_clears_the_squeeze_the_dual_role_and_the_over_allocation_as_they_were(plan):
    team, tasks, _people = plan
    cleared = run(team, changes_for(tasks))["flags_cleared"]
    assert [(flag["kind"], flag.get("member")) for flag in cleared] == [
        ("dual_role", "sari@x.com"),
        ("over_allocated", "sari@x.com"),
        ("strategy_squeezed", "sari@x.com"),
    ]
    assert cleared[2]["strategic_share"] == "0.22"  # as it was: 10 of 45


def test_flag_whose_identity_stays_is_neither_raised_nor_cleared(plan):
    team, tasks, _people = plan
    document = run(team, [Change("assign", tasks["campaign"].pk, "ayu@x.com", 50)])
    # Campaign stays not fully assigned (0 % → 50 %): same identity, so not listed either way.
    assert "task_unassigned" not in {flag["kind"] for flag in document["flags_raised"] + document["flags_cleared"]}


def test_preview_writes_nothing(plan):
    team, tasks, _people = plan
    counts = [model.objects.count() for model in PLAN_MODELS]
    with CaptureQueriesContext(connection) as queries:
        run(team, changes_for(tasks))
    statements = [query["sql"].split()[0].upper() for query in queries]
    assert set(statements) == {"SELECT"}  # no INSERT, UPDATE, DELETE, SAVEPOINT or transaction
    assert [model.objects.count() for model in PLAN_MODELS] == counts


def test_every_broken_rule_is_listed_with_its_change_and_field(plan):
    team, tasks, _people = plan
    archived = make_task(team, title="Old", is_active=False)
    make_member(team, full_name="Gone", email="gone@x.com", is_active=False)
    other_team_member = make_member(make_team(), email="stranger@x.com")
    changes = [
        Change("assign", 999_999, "ayu@x.com", 10),  # 0: no such task
        Change("assign", tasks["campaign"].pk, "nobody@x.com", 10),  # 1: no such member
        Change("assign", tasks["campaign"].pk, other_team_member.email, 10),  # 2: another team's member
        Change("set_share", tasks["campaign"].pk, "eko@x.com", 10),  # 3: not assigned
        Change("assign", tasks["campaign"].pk, "gone@x.com", 10),  # 4: inactive
        Change("assign", archived.pk, "ayu@x.com", 10),  # 5: archived
        Change("assign", tasks["strategy"].pk, "ayu@x.com", 10),  # 6: Sari holds 100 %
        Change("assign", tasks["daily"].pk, "ayu@x.com", 10),  # 7: already assigned
        Change("unassign", tasks["strategy"].pk, "sari@x.com"),  # 8: fine
        Change("assign", tasks["strategy"].pk, "eko@x.com", 60),  # 9: fine after 8
        Change("set_share", tasks["strategy"].pk, "eko@x.com", 100),  # 10: fine
    ]
    with pytest.raises(PreviewError) as error:
        run(team, changes)
    assert [(item["change"], item["field"]) for item in error.value.errors] == [
        (0, "task"),
        (1, "member"),
        (2, "member"),
        (3, "member"),
        (4, "member"),
        (5, "task"),
        (6, "share_percent"),
        (7, "member"),
    ]
    messages = [item["message"] for item in error.value.errors]
    assert messages[2] == "This team has no member with this email."  # nothing said of the other team
    assert messages[6] == "This task is already fully assigned."


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, [(None, "changes")]),
        ({"changes": []}, [(None, "changes")]),
        ({"changes": ["x"]}, [(0, "change")]),
        (
            {"changes": [{"action": "move", "task": "1", "member": "", "share_percent": 0}]},
            [(0, "action"), (0, "task"), (0, "member")],
        ),
        ({"changes": [{"action": "set_share", "task": 1, "member": "a@x.com"}]}, [(0, "share_percent")]),
        (
            {"changes": [{"action": "assign", "task": 1, "member": "a@x.com", "share_percent": 101}]},
            [(0, "share_percent")],
        ),
        ({"changes": [{"action": "assign", "task": True, "member": "a@x.com"}]}, [(0, "task")]),
    ],
)
def test_bad_change_lists_name_each_change_and_field(body, errors):
    with pytest.raises(PreviewError) as error:
        parse_changes(body)
    assert [(item["change"], item["field"]) for item in error.value.errors] == errors


def test_assign_without_a_share_takes_the_whole_task():
    [change] = parse_changes({"changes": [{"action": "assign", "task": 3, "member": " Ayu@X.com "}]})
    assert change == Change("assign", 3, "ayu@x.com", 100)


def test_preview_of_a_hand_over_keeps_the_assignment_own_dates():
    """The move keeps the old assignment's dates; so do its preview and the candidates' added hours."""
    import datetime

    from assignments.selectors.assign_preview import move_preview
    from assignments.takeover import TeamSuggester

    team = make_team()
    role = make_role()
    ana = make_member(team, full_name="Ana", email="ana@x.com")
    bea = make_member(team, full_name="Bea", email="bea@x.com")
    task = make_task(team, role, title="Replies", cadence="daily", effort_hours=1, start_date=MONDAY)
    friday = MONDAY + datetime.timedelta(days=4)
    assignment = make_assignment(task, ana, start_date=MONDAY, end_date=friday)  # the first week only
    panel = move_preview(team=team, assignment=assignment, to_member=bea, start=MONDAY, weeks=2)
    document = preview(
        team=team,
        start=MONDAY,
        weeks=2,
        changes=[
            Change("unassign", task.pk, "ana@x.com"),
            Change("assign", task.pk, "bea@x.com", 100, MONDAY, friday),
        ],
    ).as_json()
    bea_weeks = next(member for member in document["members"] if member["email"] == "bea@x.com")["weeks"]
    assert [week["after"]["total_hours"] for week in bea_weeks] == ["5.00", "0.00"]
    bea_panel = next(change for change in panel.members if change.member.name == "Bea")
    assert [week.after.total_hours for week in bea_panel.weeks] == [5, 0]
    [candidate] = TeamSuggester.read(team=team, start=MONDAY, weeks=2).candidates(
        task_id=task.pk, share_percent=100, dates=(MONDAY, friday)
    )
    assert (candidate.member.name, candidate.added_hours) == ("Bea", 5)
