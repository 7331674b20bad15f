"""The workload rules (docs/rules.md, "Workload (exact)"), each against figures worked out by hand.

Calendar used throughout: Monday 2026-11-30 starts week 1 (W1, to Sunday
12-06); W2 is 12-07..12-13. Working days are Monday to Friday.
"""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from assignments.document import workload_document
from assignments.formatting import round_half_up
from assignments.models import Cover, Task
from assignments.report import team_report
from assignments.workload import team_workload
from roles.models import Role
from tests.factories import MONDAY, make_assignment, make_member, make_role, make_task, make_team, make_time_off

pytestmark = pytest.mark.django_db

W1 = MONDAY
W2 = MONDAY + datetime.timedelta(days=7)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def document(team, weeks=1, start=MONDAY):
    return workload_document(team_report(team=team, start=start, weeks=weeks))


def member_weeks(doc, email):
    return next(m["weeks"] for m in doc["members"] if m["email"] == email)


@pytest.fixture
def team():
    return make_team(slug="marketing")


@pytest.fixture
def operational():
    return make_role(Role.Focus.OPERATIONAL, slug="specialist")


@pytest.fixture
def strategic():
    return make_role(Role.Focus.STRATEGIC, slug="strategist")


def test_daily_task_counts_each_working_day(team, operational):
    sari = make_member(team, email="sari@x.com")
    task = make_task(team, operational, cadence="daily", effort_hours=Decimal("1.50"), start_date=W1)
    make_assignment(task, sari)
    week = member_weeks(document(team), "sari@x.com")[0]
    # 5 working days × 1.5 h = 7.5 h; 7.5 / 40 = 0.1875 → 0.19
    assert week == {
        "week": "2026-11-30",
        "operational_hours": "7.50",
        "strategic_hours": "0.00",
        "total_hours": "7.50",
        "capacity_hours": "40.00",
        "utilization": "0.19",
        "band": "under",
    }


def test_weekly_task_started_on_a_wednesday_falls_on_wednesdays(team, operational):
    sari, budi = make_member(team, email="sari@x.com"), make_member(team, email="budi@x.com")
    task = make_task(team, operational, cadence="weekly", effort_hours=Decimal("2"), start_date=day("2026-11-25"))
    make_assignment(task, sari, share_percent=50)
    # Budi starts on Thursday 12-03: his first occurrence is still a Wednesday, 12-09 (W2).
    make_assignment(task, budi, share_percent=50, start_date=day("2026-12-03"))
    doc = document(team, weeks=2)
    # Sari: Wednesdays 12-02 and 12-09, 2 h × 50 % = 1 h each week
    assert [w["total_hours"] for w in member_weeks(doc, "sari@x.com")] == ["1.00", "1.00"]
    # Budi: nothing in W1 (his window opens after Wednesday 12-02), 1 h in W2
    assert [w["total_hours"] for w in member_weeks(doc, "budi@x.com")] == ["0.00", "1.00"]


def test_weekly_task_on_a_saturday_is_saturday_work(team, operational):
    dewi = make_member(team, email="dewi@x.com")
    make_assignment(make_task(team, operational, cadence="weekly", effort_hours=3, start_date=day("2026-11-28")), dewi)
    # Saturday 12-05 lies in W1: 3 h
    assert member_weeks(document(team), "dewi@x.com")[0]["total_hours"] == "3.00"


def test_monthly_task_on_the_31st_falls_on_the_last_day_of_a_30_day_month(team, strategic):
    rina = make_member(team, email="rina@x.com")
    task = make_task(team, strategic, cadence="monthly", effort_hours=3, start_date=day("2026-10-31"))
    make_assignment(task, rina)
    doc = document(team, weeks=5)
    # November has 30 days: Monday 11-30 (W1). December has 31: Thursday 12-31 (W5, 12-28..01-03).
    assert [w["strategic_hours"] for w in member_weeks(doc, "rina@x.com")] == ["3.00", "0.00", "0.00", "0.00", "3.00"]


def test_monthly_task_on_the_31st_falls_on_28_february(team, strategic):
    rina = make_member(team, email="rina@x.com")
    make_assignment(make_task(team, strategic, cadence="monthly", effort_hours=3, start_date=day("2026-12-31")), rina)
    doc = document(team, start=day("2027-02-22"))
    # 2027 is not a leap year: the February occurrence is Sunday 02-28, in the week of 02-22.
    assert member_weeks(doc, "rina@x.com")[0]["strategic_hours"] == "3.00"


def test_one_off_task_is_spread_over_its_working_days_across_a_weekend_and_a_week_boundary(team, strategic):
    rina = make_member(team, email="rina@x.com")
    # Thursday 12-03 to Tuesday 12-08: working days Thu, Fri, Mon, Tue = 4; 10 h / 4 = 2.5 h a day
    task = make_task(
        team, strategic, cadence="once", effort_hours=10, start_date=day("2026-12-03"), end_date=day("2026-12-08")
    )
    make_assignment(task, rina)
    doc = document(team, weeks=2)
    # W1: Thu + Fri = 5 h; W2: Mon + Tue = 5 h
    assert [w["strategic_hours"] for w in member_weeks(doc, "rina@x.com")] == ["5.00", "5.00"]


def test_one_off_task_thirds_are_exact_and_rounded_only_on_output(team, strategic):
    rina = make_member(team, email="rina@x.com")
    # Thursday 12-03 to Monday 12-07: 3 working days, 10 h / 3 a day
    task = make_task(
        team, strategic, cadence="once", effort_hours=10, start_date=day("2026-12-03"), end_date=day("2026-12-07")
    )
    make_assignment(task, rina)
    report = team_report(team=team, start=MONDAY, weeks=2)
    first, second = report.workload.members[0].weeks
    assert first.strategic_hours == Fraction(20, 3)  # Thu + Fri = 6.666…
    assert second.strategic_hours == Fraction(10, 3)  # Mon = 3.333…
    assert first.strategic_hours + second.strategic_hours == 10  # nothing lost to rounding
    doc = workload_document(report)
    assert [w["strategic_hours"] for w in member_weeks(doc, "rina@x.com")] == ["6.67", "3.33"]


def test_one_off_task_without_working_days_puts_all_effort_on_its_end_date(team, operational):
    sari = make_member(team, email="sari@x.com")
    task = make_task(
        team, operational, cadence="once", effort_hours=4, start_date=day("2026-12-05"), end_date=day("2026-12-06")
    )
    make_assignment(task, sari)
    # Saturday–Sunday: no working day, so all 4 h on Sunday 12-06 (W1)
    assert member_weeks(document(team, weeks=2), "sari@x.com")[0]["total_hours"] == "4.00"


def test_assignment_window_narrows_the_task(team, operational):
    sari = make_member(team, email="sari@x.com")
    task = make_task(team, operational, cadence="daily", effort_hours=2, start_date=day("2026-11-01"))
    make_assignment(task, sari, start_date=day("2026-12-02"), end_date=day("2026-12-08"))
    # W1: Wed, Thu, Fri = 3 × 2 = 6 h; W2: Mon, Tue = 2 × 2 = 4 h
    assert [w["total_hours"] for w in member_weeks(document(team, weeks=2), "sari@x.com")] == ["6.00", "4.00"]


def test_task_end_date_ends_recurring_work(team, operational):
    sari = make_member(team, email="sari@x.com")
    task = make_task(team, operational, cadence="daily", effort_hours=1, start_date=W1, end_date=day("2026-12-01"))
    make_assignment(task, sari)
    # Monday and Tuesday only: 2 h
    assert member_weeks(document(team), "sari@x.com")[0]["total_hours"] == "2.00"


def test_two_people_at_50_percent_each_carry_half(team, operational):
    sari, dewi = make_member(team, email="sari@x.com"), make_member(team, email="dewi@x.com")
    task = make_task(team, operational, cadence="daily", effort_hours=2, start_date=W1)
    make_assignment(task, sari, share_percent=50)
    make_assignment(task, dewi, share_percent=50)
    doc = document(team)
    # 5 days × 2 h × 50 % = 5 h each
    assert member_weeks(doc, "sari@x.com")[0]["total_hours"] == "5.00"
    assert member_weeks(doc, "dewi@x.com")[0]["total_hours"] == "5.00"
    assert doc["totals"][0]["total_hours"] == "10.00"


def test_time_off_scales_capacity_and_turns_occurrences_into_uncovered_duties(team, operational):
    sari = make_member(team, email="sari@x.com")
    make_time_off(sari, day("2026-12-02"), day("2026-12-03"))
    task = make_task(team, operational, title="Reply to DMs", cadence="daily", effort_hours=1, start_date=W1)
    make_assignment(task, sari, share_percent=50)
    doc = document(team)
    week = member_weeks(doc, "sari@x.com")[0]
    # capacity 40 × 3 available days / 5 = 24 h; hours Mon, Tue, Fri × 1 h × 50 % = 1.5 h; 1.5 / 24 = 0.0625 → 0.06
    assert (week["total_hours"], week["capacity_hours"], week["utilization"]) == ("1.50", "24.00", "0.06")
    assert doc["totals"][0] == {
        "week": "2026-11-30",
        "total_hours": "1.50",
        "capacity_hours": "24.00",
        "utilization": "0.06",
    }
    uncovered = [f for f in doc["flags"] if f["kind"] == "duty_uncovered"]
    # Wednesday and Thursday: Sari's 50 % of 1 h = 0.5 h each
    assert uncovered == [
        {
            "kind": "duty_uncovered",
            "task": "Reply to DMs",
            "member": "sari@x.com",
            "date": "2026-12-02",
            "hours": "0.50",
        },
        {
            "kind": "duty_uncovered",
            "task": "Reply to DMs",
            "member": "sari@x.com",
            "date": "2026-12-03",
            "hours": "0.50",
        },
    ]


def test_weekend_occurrence_in_time_off_is_uncovered_but_capacity_counts_working_days(team, operational):
    dewi = make_member(team, email="dewi@x.com")
    make_time_off(dewi, day("2026-12-04"), day("2026-12-06"))  # Friday to Sunday
    task = make_task(
        team, operational, title="Saturday posts", cadence="weekly", effort_hours=3, start_date=day("2026-11-28")
    )
    make_assignment(task, dewi)
    doc = document(team)
    week = member_weeks(doc, "dewi@x.com")[0]
    # Saturday 12-05 is off: 0 h; capacity 40 × 4 / 5 = 32 h (only Friday is a working day off)
    assert (week["total_hours"], week["capacity_hours"]) == ("0.00", "32.00")
    assert [f["date"] for f in doc["flags"] if f["kind"] == "duty_uncovered"] == ["2026-12-05"]


def test_capacity_zero_gives_band_off_without_work_and_over_with_work(team, operational):
    make_member(team, email="idle@x.com", weekly_capacity_hours=0)
    busy = make_member(team, email="busy@x.com", weekly_capacity_hours=0)
    make_assignment(make_task(team, operational, cadence="weekly", effort_hours=1, start_date=W1), busy)
    doc = document(team)
    assert member_weeks(doc, "idle@x.com")[0] | {} == {
        "week": "2026-11-30",
        "operational_hours": "0.00",
        "strategic_hours": "0.00",
        "total_hours": "0.00",
        "capacity_hours": "0.00",
        "utilization": None,
        "band": "off",
    }
    assert (member_weeks(doc, "busy@x.com")[0]["band"], member_weeks(doc, "busy@x.com")[0]["utilization"]) == (
        "over",
        None,
    )
    # the team's capacity is 0 too: utilization null
    assert doc["totals"][0]["utilization"] is None
    over = [f for f in doc["flags"] if f["kind"] == "over_allocated"]
    assert over == [
        {
            "kind": "over_allocated",
            "member": "busy@x.com",
            "week": "2026-11-30",
            "total_hours": "1.00",
            "capacity_hours": "0.00",
            "utilization": None,
        }
    ]


@pytest.mark.parametrize(
    ("effort", "share", "utilization", "band"),
    [
        ("23.99", 100, "0.60", "under"),  # 23.99 / 40 = 0.59975
        ("47.99", 50, "0.60", "under"),  # 23.995 / 40 = 0.599875: rounds to 0.60, but the band uses the exact ratio
        ("24.00", 100, "0.60", "healthy"),  # exactly 60 %
        ("34.00", 100, "0.85", "healthy"),  # exactly 85 %
        ("34.01", 100, "0.85", "full"),  # 0.85025
        ("40.00", 100, "1.00", "full"),  # exactly 100 %
        ("40.01", 100, "1.00", "over"),  # 1.00025
    ],
)
def test_band_boundaries_use_the_exact_ratio(team, operational, effort, share, utilization, band):
    sari = make_member(team, email="sari@x.com")
    task = make_task(team, operational, cadence="weekly", effort_hours=Decimal(effort), start_date=W1)
    make_assignment(task, sari, share_percent=share)
    week = member_weeks(document(team), "sari@x.com")[0]
    assert (week["utilization"], week["band"]) == (utilization, band)


def test_band_thresholds_are_settings(team, operational, settings):
    settings.TEAMPLANNER_BAND_HEALTHY_MIN = Decimal("0.50")
    sari = make_member(team, email="sari@x.com")
    make_assignment(make_task(team, operational, cadence="weekly", effort_hours=20, start_date=W1), sari)
    # 20 / 40 = 0.50: healthy with the lower threshold
    assert member_weeks(document(team), "sari@x.com")[0]["band"] == "healthy"


def test_working_days_are_a_setting(team, operational, settings):
    settings.TEAMPLANNER_WORKING_DAYS = (0, 1, 2, 3)  # a four-day week
    sari = make_member(team, email="sari@x.com")
    make_assignment(make_task(team, operational, cadence="daily", effort_hours=1, start_date=W1), sari)
    make_time_off(sari, day("2026-12-01"), day("2026-12-01"))
    week = member_weeks(document(team), "sari@x.com")[0]
    # Mon, Wed, Thu worked: 3 h; capacity 40 × 3 / 4 = 30 h
    assert (week["total_hours"], week["capacity_hours"]) == ("3.00", "30.00")


def test_inactive_tasks_and_members_are_ignored(team, operational):
    sari = make_member(team, email="sari@x.com")
    gone = make_member(team, email="gone@x.com", is_active=False)
    archived = make_task(
        team, operational, title="Archived", cadence="daily", effort_hours=1, start_date=W1, is_active=False
    )
    make_assignment(archived, sari)
    shared = make_task(team, operational, title="Shared", cadence="daily", effort_hours=1, start_date=W1)
    make_assignment(shared, sari, share_percent=60)
    make_assignment(shared, gone, share_percent=40)
    doc = document(team)
    assert [m["email"] for m in doc["members"]] == ["sari@x.com"]
    # Sari: only "Shared", 5 × 1 h × 60 % = 3 h
    assert member_weeks(doc, "sari@x.com")[0]["total_hours"] == "3.00"
    # the inactive member's 40 % counts nowhere, so "Shared" is 60 % assigned; the archived task is not flagged
    assert [f for f in doc["flags"] if f["kind"] == "task_unassigned"] == [
        {"kind": "task_unassigned", "task": "Shared", "assigned_share": 60}
    ]
    assert doc["totals"][0]["total_hours"] == "3.00"


def test_every_active_member_is_listed_sorted_by_name_and_team_utilization_is_not_an_average(team, operational):
    make_member(team, email="z@x.com", full_name="Zaki")  # no work at all
    adi = make_member(team, email="a@x.com", full_name="Adi", weekly_capacity_hours=40)
    bea = make_member(team, email="b@x.com", full_name="Bea", weekly_capacity_hours=20)
    make_assignment(make_task(team, operational, cadence="weekly", effort_hours=10, start_date=W1), adi)
    make_assignment(make_task(team, operational, cadence="weekly", effort_hours=10, start_date=W1), bea)
    make_member(make_team(), email="other@x.com")  # another team's member
    doc = document(team)
    assert [m["name"] for m in doc["members"]] == ["Adi", "Bea", "Zaki"]
    # 20 h of 40 + 20 + 40 = 100 h: 0.20 (an average of 25 %, 50 % and 0 % would be 0.25)
    assert doc["totals"][0] == {
        "week": "2026-11-30",
        "total_hours": "20.00",
        "capacity_hours": "100.00",
        "utilization": "0.20",
    }


def test_operational_and_strategic_hours_follow_the_role_focus(team, operational, strategic):
    rina = make_member(team, email="rina@x.com")
    make_assignment(make_task(team, operational, cadence="daily", effort_hours=1, start_date=W1), rina)
    make_assignment(make_task(team, strategic, cadence="weekly", effort_hours=4, start_date=W1), rina)
    week = member_weeks(document(team), "rina@x.com")[0]
    # 5 × 1 h operational; 4 h strategic
    assert (week["operational_hours"], week["strategic_hours"], week["total_hours"]) == ("5.00", "4.00", "9.00")


def test_start_that_is_not_a_monday_means_its_week(team):
    make_member(team)
    doc = document(team, weeks=2, start=day("2026-12-03"))
    assert doc["weeks"] == ["2026-11-30", "2026-12-07"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Fraction(1, 200), "0.01"), (Fraction(1, 201), "0.00"), (Fraction(2, 3), "0.67"), (Fraction(5, 1000), "0.01")],
)
def test_round_half_up(value, expected):
    assert str(round_half_up(value)) == expected


def test_engine_runs_six_queries_whatever_the_team_size(django_assert_num_queries, operational, strategic):
    def build(size):
        team = make_team()
        previous = None
        for n in range(size):
            member = make_member(team)
            make_time_off(member, W1, W1)
            task = make_task(team, operational if n % 2 else strategic, cadence=["daily", "weekly", "monthly"][n % 3])
            assignment = make_assignment(task, member)
            if previous is not None:  # the one before covers this member's days away
                Cover.objects.create(assignment=assignment, member=previous, start_date=W1, end_date=W1)
            previous = member
            once = make_task(team, strategic, cadence=Task.Cadence.ONCE, start_date=W1, end_date=W2)
            make_assignment(once, member, share_percent=50)
        return team

    for size in (2, 15):
        team = build(size)
        with django_assert_num_queries(6):
            result = team_workload(team=team, start=W1, weeks=8)
        assert len(result.members) == size


def test_engine_switches_the_cycle_collector_back_on(team):
    import gc

    assert gc.isenabled()
    team_workload(team=team, start=MONDAY, weeks=1)
    assert gc.isenabled()
    gc.disable()
    try:
        team_workload(team=team, start=MONDAY, weeks=1)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
