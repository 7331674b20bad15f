"""Who should take a task: every field against hand-worked figures, and the ranking key by key.

The week of Monday 30 November 2026; a weekly strategic task of 4 h on Mondays, half of it held by
Rina, so the default share is the 50 % left: 2 h for whoever takes it.
"""

from decimal import Decimal

import pytest

from assignments.suggestions import share_left, task_suggestions
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
def plan():
    team = make_team()
    specialist = make_role(Role.Focus.OPERATIONAL, name="Specialist")
    strategist = make_role(Role.Focus.STRATEGIC, name="Strategist")
    task = make_task(team, strategist, title="Campaign plan", cadence="weekly", effort_hours=4, start_date=MONDAY)
    make_assignment(task, make_member(team, full_name="Rina"), share_percent=50)  # assigned: never a candidate
    people = {}
    for name, capacity in [("Sari", 40), ("Budi", 40), ("Ayu", 40), ("Eko", 1), ("Citra", 40), ("Dewi", 40)]:
        people[name] = make_member(team, full_name=name, weekly_capacity_hours=Decimal(capacity))
    people["Fajar"] = make_member(team, full_name="Fajar")
    people["Gita"] = make_member(team, full_name="Gita", weekly_capacity_hours=Decimal(0))
    make_member(team, full_name="Gone", is_active=False)  # inactive: never a candidate
    make_holding(people["Sari"], strategist)
    make_holding(people["Budi"], strategist)
    make_time_off(people["Budi"], MONDAY, MONDAY)  # away on the task's Monday
    make_holding(people["Ayu"], specialist)
    make_assignment(make_task(team, specialist, cadence="daily", effort_hours=2, start_date=MONDAY), people["Ayu"])
    other = make_task(team, strategist, title="Other strategy", cadence="weekly", effort_hours=8, start_date=MONDAY)
    make_assignment(other, people["Fajar"])
    return task, people


def candidates(task, **kwargs):
    return {c["name"]: c for c in task_suggestions(task=task, start=MONDAY, weeks=1, **kwargs).as_json()["candidates"]}


def test_default_share_is_what_is_left_and_100_when_nothing_is():
    task = make_task()
    assert share_left(task) == 100
    make_assignment(task, make_member(team=task.team), share_percent=70)
    assert share_left(task) == 30
    make_assignment(task, make_member(team=task.team), share_percent=30)
    assert share_left(task) == 100  # a manager looking for someone to take it over


def test_suggestions_document_names_the_task_share_and_weeks(plan):
    task, _people = plan
    document = task_suggestions(task=task, start=MONDAY, weeks=1).as_json()
    assert (document["task"], document["share_percent"], document["weeks"]) == ("Campaign plan", 50, ["2026-11-30"])


def test_candidates_are_the_active_members_not_assigned(plan):
    task, _people = plan
    assert set(candidates(task)) == {"Sari", "Budi", "Ayu", "Eko", "Citra", "Dewi", "Fajar", "Gita"}


def test_holder_with_free_week_gets_the_share_in_hours(plan):
    task, _people = plan
    sari = candidates(task)["Sari"]
    assert {key: value for key, value in sari.items() if key not in ("reasons", "member")} == {
        "name": "Sari",
        "holds_role": True,
        "time_off_conflicts": 0,
        "over_capacity_after": False,
        "creates_dual_role": False,
        "added_hours": "2.00",  # 4 h × 50 %
        "peak_utilization_after": "0.05",  # 2 of 40
    }


def test_time_off_on_the_task_day_is_a_conflict_and_adds_nothing(plan):
    task, _people = plan
    budi = candidates(task)["Budi"]
    assert (budi["time_off_conflicts"], budi["added_hours"], budi["peak_utilization_after"]) == (1, "0.00", "0.00")


def test_specialist_taking_strategic_work_would_cover_both_roles(plan):
    task, _people = plan
    ayu = candidates(task)["Ayu"]
    # 10 h operational + 2 h strategic: the smaller is 2 ≥ 10 % of 12
    assert (ayu["creates_dual_role"], ayu["peak_utilization_after"], ayu["holds_role"]) == (True, "0.30", False)


def test_over_capacity_after_and_no_peak_with_capacity_zero(plan):
    task, _people = plan
    found = candidates(task)
    assert (found["Eko"]["over_capacity_after"], found["Eko"]["peak_utilization_after"]) == (True, "2.00")
    assert (found["Gita"]["over_capacity_after"], found["Gita"]["peak_utilization_after"]) == (True, None)


def test_ranking_breaks_each_tie_by_the_next_key(plan):
    task, _people = plan
    names = [c["name"] for c in task_suggestions(task=task, start=MONDAY, weeks=1).as_json()["candidates"]]
    assert names == [
        "Sari",  # holds the role, no conflict
        "Budi",  # holds the role, one conflict
        "Citra",  # not holding: none over, none dual, peak 0.05; name before Dewi
        "Dewi",
        "Fajar",  # peak 0.25 (8 + 2 of 40)
        "Ayu",  # would create a dual role
        "Eko",  # over capacity, peak 2.00
        "Gita",  # over capacity, no peak (capacity 0): last
    ]


def test_share_is_not_capped_at_what_is_left(plan):
    task, _people = plan
    assert candidates(task, share_percent=100)["Sari"]["added_hours"] == "4.00"


def test_reasons_say_each_key_in_words(plan):
    task, _people = plan
    found = candidates(task)
    assert found["Sari"]["reasons"] == [
        "holds the role Strategist",
        "38.00 h free in the week of 30 Nov 2026",
        "would not cover both roles",
    ]
    assert found["Budi"]["reasons"][1] == "away on 1 of its days"
    assert found["Ayu"]["reasons"][-1] == "would then cover both operational and strategic roles"
    assert found["Eko"]["reasons"][1] == "over capacity in the week of 30 Nov 2026"


def test_suggestions_run_a_fixed_number_of_queries_whatever_the_team_size(plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    task, _people = plan
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            task_suggestions(task=task, start=MONDAY, weeks=4)
        counts.append(len(queries))
        for n in range(10):  # a bigger team: more members, holdings, time off and work
            member = make_member(task.team, full_name=f"More {n}")
            make_holding(member, task.role)
            make_time_off(member, MONDAY, MONDAY)
            make_assignment(make_task(task.team, task.role, start_date=MONDAY), member)
    assert counts[0] == counts[1] == 8  # share left, assigned members, the engine's six


def test_reasons_follow_the_reader_language(plan):
    from django.utils import translation

    task, _people = plan
    with translation.override("id"):
        sari = task_suggestions(task=task, start=MONDAY, weeks=1).candidates[0]
        assert sari.reasons() == [
            "memegang peran Strategist",
            "38,00 jam luang pada minggu mulai 30 Nov 2026",
            "tidak akan memegang kedua peran",
        ]


def test_candidate_needs_attention_when_taking_it_costs_something(plan):
    task, _people = plan
    found = {c.member.name: c for c in task_suggestions(task=task, start=MONDAY, weeks=1).candidates}
    assert {name for name, candidate in found.items() if candidate.needs_attention} == {"Budi", "Ayu", "Eko", "Gita"}
