"""Every flag kind (docs/rules.md, "Flags (exact)"), raised and not raised, against hand-worked figures.

Window: the two weeks from Monday 2026-11-30 (to Sunday 2026-12-13) unless a test says otherwise.
"""

import datetime
from decimal import Decimal

import pytest

from assignments.document import workload_document
from assignments.models import DualRoleAcknowledgement
from assignments.report import team_report
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

BEFORE = datetime.date(2026, 11, 1)
WINDOW_END = datetime.date(2026, 12, 13)


def flags(team, kind=None, weeks=2):
    found = workload_document(team_report(team=team, start=MONDAY, weeks=weeks))["flags"]
    return [flag for flag in found if kind is None or flag["kind"] == kind]


@pytest.fixture
def team():
    return make_team(slug="marketing")


@pytest.fixture
def specialist():
    return make_role(Role.Focus.OPERATIONAL, slug="social-media-specialist")


@pytest.fixture
def strategist():
    return make_role(Role.Focus.STRATEGIC, slug="social-media-strategist")


def weekly(team, role, hours, **overrides):
    return make_task(team, role, cadence="weekly", effort_hours=Decimal(hours), start_date=MONDAY, **overrides)


# ------------------------------------------------------------------ dual_role


def test_dual_role_explicit_from_holdings_that_need_not_overlap(team, specialist, strategist):
    rina = make_member(team, email="rina@x.com")
    make_holding(rina, specialist, start_date=BEFORE, end_date=datetime.date(2026, 12, 1))
    make_holding(rina, strategist, start_date=datetime.date(2026, 12, 8))
    assert flags(team, "dual_role") == [
        {
            "kind": "dual_role",
            "member": "rina@x.com",
            "explicit": True,
            "by_work": False,
            "operational_hours": "0.00",
            "strategic_hours": "0.00",
            "strategic_share": None,
            "acknowledged": False,
        }
    ]


def test_dual_role_not_explicit_when_a_holding_ended_before_the_window(team, specialist, strategist):
    rina = make_member(team)
    make_holding(rina, specialist, start_date=BEFORE, end_date=datetime.date(2026, 11, 29))
    make_holding(rina, strategist, start_date=BEFORE)
    assert flags(team, "dual_role") == []


def test_dual_role_by_work_at_exactly_ten_percent(team, specialist, strategist):
    rina = make_member(team, email="rina@x.com")
    make_assignment(weekly(team, specialist, "4.50"), rina)
    make_assignment(weekly(team, strategist, "0.50"), rina)
    # two weeks: 9 h operational, 1 h strategic; 1 / 10 = exactly 10 %: raised
    (flag,) = flags(team, "dual_role")
    assert (flag["explicit"], flag["by_work"]) == (False, True)
    assert (flag["operational_hours"], flag["strategic_hours"], flag["strategic_share"]) == ("9.00", "1.00", "0.10")


def test_dual_role_not_by_work_below_ten_percent(team, specialist, strategist):
    rina = make_member(team)
    make_assignment(weekly(team, specialist, "4.51"), rina)
    make_assignment(weekly(team, strategist, "0.50"), rina)
    # 9.02 h and 1 h: 1 / 10.02 = 9.98 %, below 10 %: not raised
    assert flags(team, "dual_role") == []


def test_being_assigned_a_roles_task_is_not_holding_it(team, specialist, strategist):
    rina = make_member(team, email="rina@x.com")
    make_holding(rina, specialist, start_date=BEFORE)
    make_assignment(weekly(team, strategist, "1"), rina)
    # no strategic holding: not explicit; 0 h operational: not by work
    assert flags(team, "dual_role") == []


def test_dual_role_minimum_share_is_a_setting(team, specialist, strategist, settings):
    settings.TEAMPLANNER_DUAL_ROLE_MIN_SHARE = Decimal("0.30")
    rina = make_member(team)
    make_assignment(weekly(team, specialist, "8"), rina)
    make_assignment(weekly(team, strategist, "2"), rina)
    # 4 / 20 = 20 % < 30 %
    assert flags(team, "dual_role") == []


def test_dual_role_acknowledged_only_by_an_acknowledgement_valid_through_the_window(team, specialist, strategist):
    rina = make_member(team)
    make_holding(rina, specialist, start_date=BEFORE)
    make_holding(rina, strategist, start_date=BEFORE)
    DualRoleAcknowledgement.objects.create(member=rina, valid_until=datetime.date(2026, 12, 12))
    assert flags(team, "dual_role")[0]["acknowledged"] is False  # runs out a day before the window ends
    DualRoleAcknowledgement.objects.create(member=rina, valid_until=WINDOW_END)
    assert flags(team, "dual_role")[0]["acknowledged"] is True
    DualRoleAcknowledgement.objects.all().delete()
    DualRoleAcknowledgement.objects.create(member=rina)  # no end
    assert flags(team, "dual_role")[0]["acknowledged"] is True


# ------------------------------------------------------------------ strategy_squeezed


def test_strategy_squeezed_below_a_quarter(team, specialist, strategist):
    rina = make_member(team, email="rina@x.com")
    make_holding(rina, strategist, start_date=BEFORE)
    make_assignment(weekly(team, specialist, "8"), rina)
    make_assignment(weekly(team, strategist, "2"), rina)
    # 4 h strategic of 20 h = 0.20 < 0.25
    assert flags(team, "strategy_squeezed") == [
        {"kind": "strategy_squeezed", "member": "rina@x.com", "strategic_share": "0.20"}
    ]


def test_strategy_not_squeezed_at_exactly_a_quarter_or_without_hours_or_without_the_role(team, specialist, strategist):
    rina, idle, helper = make_member(team), make_member(team), make_member(team)
    make_holding(rina, strategist, start_date=BEFORE)
    make_assignment(weekly(team, specialist, "7.50"), rina)
    make_assignment(weekly(team, strategist, "2.50"), rina)  # 5 of 20 h = exactly 25 %
    make_holding(idle, strategist, start_date=BEFORE)  # holds it, no hours at all
    make_assignment(weekly(team, specialist, "10"), helper)  # 0 % strategic, but holds no strategic role
    assert flags(team, "strategy_squeezed") == []


# ------------------------------------------------------------------ over_allocated


def test_over_allocated_per_week(team, specialist):
    sari = make_member(team, email="sari@x.com")
    make_time_off(sari, datetime.date(2026, 12, 7), datetime.date(2026, 12, 8))
    make_assignment(weekly(team, specialist, "30"), sari)
    # W1: 30 of 40 (0.75, healthy). W2: Monday 12-07 is off, the task falls on it: 0 of 24 h: under
    assert flags(team, "over_allocated") == []
    make_assignment(make_task(team, specialist, cadence="daily", effort_hours=3, start_date=MONDAY), sari)
    # W1: 30 + 15 = 45 of 40 → 1.125; W2: 3 × 3 = 9 of 24 → 0.375
    assert flags(team, "over_allocated") == [
        {
            "kind": "over_allocated",
            "member": "sari@x.com",
            "week": "2026-11-30",
            "total_hours": "45.00",
            "capacity_hours": "40.00",
            "utilization": "1.13",
        }
    ]


# ------------------------------------------------------------------ role_uncovered / single_holder


def test_role_uncovered_when_no_active_member_holds_a_role_with_tasks(team, specialist, strategist):
    gone = make_member(team, is_active=False)
    make_holding(gone, strategist, start_date=BEFORE)  # inactive holder does not count
    ended = make_member(team)
    make_holding(ended, strategist, start_date=BEFORE, end_date=datetime.date(2026, 11, 29))  # before the window
    weekly(team, strategist, "1")
    weekly(team, specialist, "1", is_active=False)  # an archived task needs no one
    assert flags(team, "role_uncovered") == [{"kind": "role_uncovered", "role": "social-media-strategist"}]
    assert flags(team, "single_holder") == []


def test_single_holder_when_exactly_one_active_member_holds_a_used_role(team, specialist, strategist):
    rina, sari, dewi = make_member(team, email="rina@x.com"), make_member(team), make_member(team)
    make_holding(rina, strategist, start_date=BEFORE)
    make_holding(sari, specialist, start_date=BEFORE)
    make_holding(dewi, specialist, start_date=BEFORE)
    weekly(team, strategist, "1")
    weekly(team, specialist, "1")
    unused = make_role(Role.Focus.STRATEGIC, slug="unused")
    make_holding(sari, unused, start_date=BEFORE)  # held by one, but no task uses it
    assert flags(team, "single_holder") == [
        {"kind": "single_holder", "role": "social-media-strategist", "member": "rina@x.com"}
    ]
    assert flags(team, "role_uncovered") == []


def test_task_outside_the_window_does_not_need_its_role(team, strategist):
    make_member(team)
    make_task(team, strategist, cadence="once", effort_hours=1, start_date=BEFORE, end_date=datetime.date(2026, 11, 2))
    assert flags(team) == []


# ------------------------------------------------------------------ task_unassigned


def test_task_unassigned_carries_the_assigned_share(team, specialist):
    sari = make_member(team, email="sari@x.com")
    make_holding(sari, specialist, start_date=BEFORE)
    make_holding(make_member(team), specialist, start_date=BEFORE)
    make_assignment(weekly(team, specialist, "1", title="Monthly report"), sari, share_percent=50)
    weekly(team, specialist, "1", title="Nobody's")
    make_assignment(weekly(team, specialist, "1", title="Covered"), sari)
    assert flags(team, "task_unassigned") == [
        {"kind": "task_unassigned", "task": "Monthly report", "assigned_share": 50},
        {"kind": "task_unassigned", "task": "Nobody's", "assigned_share": 0},
    ]


# ------------------------------------------------------------------ order


def test_flags_are_sorted_by_kind_then_member_role_task_and_date(team, specialist, strategist):
    zed, amy = make_member(team, email="zed@x.com"), make_member(team, email="amy@x.com")
    for member in (zed, amy):
        make_holding(member, specialist, start_date=BEFORE)
        make_holding(member, strategist, start_date=BEFORE)
        make_time_off(member, datetime.date(2026, 12, 1), datetime.date(2026, 12, 2))
    daily = make_task(team, specialist, title="B daily", cadence="daily", effort_hours=1, start_date=MONDAY)
    make_assignment(daily, zed, share_percent=40)
    make_assignment(daily, amy, share_percent=40)
    weekly(team, strategist, "1", title="A weekly")
    found = flags(team)
    keys = [
        (f["kind"], f.get("member", ""), f.get("role", ""), f.get("task", ""), f.get("week", f.get("date", "")))
        for f in found
    ]
    assert keys == sorted(keys)
    assert [f["kind"] for f in found] == [
        "dual_role",
        "dual_role",
        "duty_uncovered",
        "duty_uncovered",
        "duty_uncovered",
        "duty_uncovered",
        "strategy_squeezed",  # both hold the strategist role with 0 strategic hours
        "strategy_squeezed",
        "task_unassigned",
        "task_unassigned",
    ]
    assert [f["member"] for f in found[:2]] == ["amy@x.com", "zed@x.com"]
    assert [(f["member"], f["date"]) for f in found[2:6]] == [
        ("amy@x.com", "2026-12-01"),
        ("amy@x.com", "2026-12-02"),
        ("zed@x.com", "2026-12-01"),
        ("zed@x.com", "2026-12-02"),
    ]
    assert [f["member"] for f in found[6:8]] == ["amy@x.com", "zed@x.com"]
    assert [f["task"] for f in found[8:]] == ["A weekly", "B daily"]


def test_flag_sentences_read_as_the_issue_describes(team, specialist, strategist):
    rina = make_member(team, full_name="Rina")
    make_holding(rina, specialist, start_date=BEFORE)
    make_holding(rina, strategist, start_date=BEFORE)
    make_assignment(weekly(team, specialist, "15"), rina)
    make_assignment(weekly(team, strategist, "6"), rina)
    report = team_report(team=team, start=MONDAY, weeks=2)
    dual = next(flag for flag in report.flags if flag.kind == "dual_role")
    # 30 h operational, 12 h strategic; 12 / 42 = 28.6 % → 29 %
    assert dual.sentence() == (
        "Rina covers both operational and strategic roles: 30.00 h operational, 12.00 h strategic (29 %)."
    )
