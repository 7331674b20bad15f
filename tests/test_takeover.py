"""Who could take work over: the role-holder ranking with hand-worked figures, and several tasks from one run.

One week, Monday 30 November 2026 (five working days). The role to fill is "Planner", a strategic role
nobody active holds except Fay.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assignments.report import team_report
from assignments.suggestions import task_suggestions
from assignments.takeover import TeamSuggester, role_candidates
from assignments.workload_rows import RoleInfo
from roles.models import Role
from tests.factories import (
    MONDAY,
    make_assignment,
    make_holding,
    make_member,
    make_role,
    make_task,
    make_team,
    make_time_off,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles():
    return {
        "specialist": make_role(Role.Focus.OPERATIONAL, name="Specialist"),
        "strategist": make_role(Role.Focus.STRATEGIC, name="Strategist"),
        "planner": make_role(Role.Focus.STRATEGIC, name="Planner", slug="planner"),
    }


@pytest.fixture
def team(roles):
    team = make_team()
    people = {}
    for name, capacity in [("Ana", 40), ("Bea", 40), ("Cai", 20), ("Dan", 40), ("Eli", 40), ("Fay", 40)]:
        people[name] = make_member(team, full_name=name, weekly_capacity_hours=Decimal(capacity))
    people["Hal"] = make_member(team, full_name="Hal")
    people["Ivy"] = make_member(team, full_name="Ivy", weekly_capacity_hours=Decimal(8))
    make_member(team, full_name="Gus", is_active=False)  # inactive: never a candidate
    make_holding(people["Ana"], roles["specialist"])  # + Planner: both kinds of holding
    make_holding(people["Dan"], roles["strategist"])  # + Planner: still strategic only
    make_holding(people["Fay"], roles["planner"])  # holds it: not a candidate
    daily = make_task(team, roles["specialist"], cadence="daily", effort_hours=2, start_date=MONDAY)
    make_assignment(daily, people["Bea"])  # 5 × 2 h = 10 h operational
    make_assignment(make_task(team, roles["specialist"], cadence="daily", effort_hours=2), people["Ivy"])  # 10 of 8 h
    # Eli: 8 h operational and 2 h strategic, 2 ≥ 10 % of 10: covers both by work already
    make_assignment(make_task(team, roles["specialist"], cadence="weekly", effort_hours=8), people["Eli"])
    make_assignment(make_task(team, roles["strategist"], cadence="weekly", effort_hours=2), people["Eli"])
    make_task(team, roles["planner"], cadence="weekly", effort_hours=3)  # the planner's work, unassigned
    return team


def ranked(team, roles):
    workload = team_report(team=team, start=MONDAY, weeks=1).workload
    planner = roles["planner"]
    return role_candidates(workload=workload, role=RoleInfo(planner.pk, planner.slug, planner.name, planner.focus))


def test_role_candidates_are_the_active_members_not_holding_it(team, roles):
    assert {c.member.name for c in ranked(team, roles)} == {"Ana", "Bea", "Cai", "Dan", "Eli", "Hal", "Ivy"}


def test_role_candidates_rank_by_not_covering_both_then_free_hours_then_name(team, roles):
    assert [(c.member.name, c.dual_role_after, c.free_hours) for c in ranked(team, roles)] == [
        ("Dan", False, 40),  # a second strategic role: still one kind; 40 h free, ties with Hal: name
        ("Hal", False, 40),
        ("Bea", False, 30),  # 40 - 10 h of daily work
        ("Cai", False, 20),  # capacity 20, nothing planned
        ("Ivy", False, -2),  # 10 h planned of 8: over capacity, still not both kinds
        ("Ana", True, 40),  # a specialist: the planner role would give both kinds of holding
        ("Eli", True, 30),  # both kinds of work already (2 of 10 h strategic ≥ 10 %)
    ]


def test_role_candidates_say_each_key_in_words(team, roles):
    found = {c.member.name: c.reasons() for c in ranked(team, roles)}
    assert found["Dan"] == ["would not cover both roles", "40.00 h free in these weeks"]
    assert found["Ana"] == ["would then cover both operational and strategic roles", "40.00 h free in these weeks"]
    assert found["Eli"] == ["already covers both operational and strategic roles", "30.00 h free in these weeks"]
    assert found["Ivy"] == ["would not cover both roles", "2.00 h over capacity in these weeks"]


def test_role_candidates_count_free_hours_over_every_week_of_the_window(team, roles):
    planner = roles["planner"]
    workload = team_report(team=team, start=MONDAY, weeks=3).workload
    info = RoleInfo(planner.pk, planner.slug, planner.name, planner.focus)
    bea = next(c for c in role_candidates(workload=workload, role=info) if c.member.name == "Bea")
    assert (bea.capacity_hours, bea.total_hours, bea.free_hours) == (120, 30, 90)


def test_suggester_ranks_a_task_as_task_suggestions_does(team, roles):
    task = make_task(team, roles["strategist"], title="Plan", cadence="weekly", effort_hours=4, start_date=MONDAY)
    make_assignment(task, team.members.get(full_name="Cai"), share_percent=50)
    suggester = TeamSuggester.read(team=team, start=MONDAY, weeks=1)
    expected = task_suggestions(task=task, start=MONDAY, weeks=1, share_percent=50).candidates
    found = suggester.candidates(task_id=task.pk, share_percent=50)
    assert [c.as_json() for c in found] == [c.as_json() for c in expected]
    assert "Cai" not in [c.member.name for c in found]


def test_suggester_hours_of_an_assignment_leave_out_time_off(team, roles):
    bea = team.members.get(full_name="Bea")
    make_time_off(bea, MONDAY, MONDAY)
    daily = bea.assignments.get().task
    suggester = TeamSuggester.read(team=team, start=MONDAY, weeks=1)
    # 2 h a day at 50 %, four days (Monday off): 4 h
    assert suggester.assignment_hours(task_id=daily.pk, member_id=bea.pk, share_percent=50) == 4
    assert suggester.assignment_hours(task_id=daily.pk, member_id=bea.pk, share_percent=100) == 8


def test_suggester_reads_the_team_once_whatever_the_number_of_tasks(team, roles):
    tasks = [make_task(team, roles["specialist"], cadence="weekly") for _ in range(5)]
    with CaptureQueriesContext(connection) as queries:
        suggester = TeamSuggester.read(team=team, start=MONDAY, weeks=2)
        for task in tasks:
            suggester.candidates(task_id=task.pk, share_percent=100)
    assert len(queries) == 6  # the engine's six
