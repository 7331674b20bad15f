"""Covers in the workload engine (docs/rules.md, "Covers"), each case worked out by hand.

Calendar as in test_workload: W1 is Monday 2026-11-30 to Sunday 12-06, W2 is 12-07..12-13; working days
are Monday to Friday. Ann is the assignee who is away, Budi the substitute, Cita a colleague; all have 40 h
a week unless said otherwise. A cover moves an occurrence only when it falls in the assignee's time off.
"""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from assignments.document import workload_document
from assignments.flags import FlagKind
from assignments.models import Cover
from assignments.report import team_report
from assignments.workload import team_workload
from roles.models import Role, TeamMember
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

W1 = MONDAY
W2 = MONDAY + datetime.timedelta(days=7)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def cover(assignment, substitute, first: str, last: str) -> Cover:
    return Cover.objects.create(assignment=assignment, member=substitute, start_date=day(first), end_date=day(last))


def report(team, weeks=1, start=W1):
    return team_report(team=team, start=start, weeks=weeks)


def weeks_of(result, member):
    """A member's WeekLoads from a report or a TeamWorkload."""
    workload = getattr(result, "workload", result)
    return next(load.weeks for load in workload.members if load.member.id == member.pk)


def uncovered(result) -> list[tuple]:
    return [
        (flag.task.title, flag.member.email, flag.date.isoformat(), flag.hours)
        for flag in result.flags
        if flag.kind == FlagKind.DUTY_UNCOVERED
    ]


def away_occurrences(result) -> list[tuple]:
    """The occurrences in time off: (task, assignee, date, counted, substitute's email or None, hours)."""
    return sorted(
        (o.task.title, o.member.email, o.date.isoformat(), o.counted, o.covered_by and o.covered_by.email, o.hours)
        for o in result.workload.occurrences
        if not o.counted
    )


@pytest.fixture
def team():
    return make_team(slug="marketing")


@pytest.fixture
def operational():
    return make_role(Role.Focus.OPERATIONAL, slug="specialist")


@pytest.fixture
def strategic():
    return make_role(Role.Focus.STRATEGIC, slug="strategist")


@pytest.fixture
def ann(team):
    return make_member(team, full_name="Ann", email="ann@x.com")


@pytest.fixture
def budi(team):
    return make_member(team, full_name="Budi", email="budi@x.com")


@pytest.fixture
def cita(team):
    return make_member(team, full_name="Cita", email="cita@x.com")


def test_daily_task_covered_two_days_moves_those_hours_to_the_substitute(team, operational, ann, budi):
    task = make_task(team, operational, title="Reply", cadence="daily", effort_hours=Decimal("1.50"), start_date=W1)
    assignment = make_assignment(task, ann)
    make_time_off(ann, day("2026-12-01"), day("2026-12-02"))  # Tuesday and Wednesday
    before = report(team)
    # Without a cover: Ann Mon, Thu, Fri × 1.5 h = 4.5 h of 40 × 3/5 = 24 h; Tue and Wed uncovered, 1.5 h each.
    assert uncovered(before) == [
        ("Reply", "ann@x.com", "2026-12-01", Fraction(3, 2)),
        ("Reply", "ann@x.com", "2026-12-02", Fraction(3, 2)),
    ]
    assert before.workload.totals[0].total_hours == Fraction(9, 2)

    cover(assignment, budi, "2026-12-01", "2026-12-02")
    after = report(team)
    # Budi: Tue + Wed × 1.5 h = 3 h operational, capacity still 40 h. Ann: unchanged, 4.5 h of 24 h.
    (ann_week,), (budi_week,) = weeks_of(after, ann), weeks_of(after, budi)
    assert ann_week == weeks_of(before, ann)[0]
    assert (ann_week.total_hours, ann_week.capacity_hours) == (Fraction(9, 2), 24)
    assert (budi_week.operational_hours, budi_week.strategic_hours, budi_week.capacity_hours) == (3, 0, 40)
    # Team: 4.5 + 3 = 7.5 h of 24 + 40 = 64 h: the whole 5 × 1.5 h of the task is done by someone.
    assert (after.workload.totals[0].total_hours, after.workload.totals[0].capacity_hours) == (Fraction(15, 2), 64)
    assert uncovered(after) == []
    assert away_occurrences(after) == [
        ("Reply", "ann@x.com", "2026-12-01", False, "budi@x.com", Fraction(3, 2)),
        ("Reply", "ann@x.com", "2026-12-02", False, "budi@x.com", Fraction(3, 2)),
    ]


def test_a_cover_over_a_weekend_moves_a_saturday_occurrence(team, operational, ann, budi):
    # Weekly from Saturday 11-28: Saturdays 12-05 (W1) and 12-12 (W2), 2 h each.
    task = make_task(
        team, operational, title="Saturday posts", cadence="weekly", effort_hours=2, start_date=day("2026-11-28")
    )
    assignment = make_assignment(task, ann)
    make_time_off(ann, day("2026-12-04"), day("2026-12-06"))  # Friday to Sunday
    cover(assignment, budi, "2026-12-04", "2026-12-06")
    result = report(team, weeks=2)
    # Ann: W1 0 h (Saturday off), capacity 40 × 4/5 = 32 h; W2 works Saturday 12-12: 2 h of 40 h.
    assert [(w.total_hours, w.capacity_hours) for w in weeks_of(result, ann)] == [(0, 32), (2, 40)]
    # Budi: Saturday 12-05 in W1, 2 h; capacity counts working days only and never changes: 40 h.
    assert [(w.total_hours, w.capacity_hours) for w in weeks_of(result, budi)] == [(2, 40), (0, 40)]
    assert uncovered(result) == []
    assert away_occurrences(result) == [("Saturday posts", "ann@x.com", "2026-12-05", False, "budi@x.com", 2)]


def test_a_one_off_tasks_covered_days_move_as_exact_thirds(team, strategic, ann, budi):
    # Thursday 12-03 to Monday 12-07: Thu, Fri, Mon = 3 working days, 10/3 h a day.
    task = make_task(
        team,
        strategic,
        title="Launch",
        cadence="once",
        effort_hours=10,
        start_date=day("2026-12-03"),
        end_date=day("2026-12-07"),
    )
    assignment = make_assignment(task, ann)
    make_time_off(ann, day("2026-12-04"), day("2026-12-07"))  # Friday to Monday
    cover(assignment, budi, "2026-12-04", "2026-12-07")
    result = report(team, weeks=2)
    # Ann keeps Thursday: 10/3 h in W1, nothing in W2.
    assert [w.strategic_hours for w in weeks_of(result, ann)] == [Fraction(10, 3), 0]
    # Budi: Friday 10/3 h (W1) and Monday 10/3 h (W2), each in the week of its day.
    assert [w.strategic_hours for w in weeks_of(result, budi)] == [Fraction(10, 3), Fraction(10, 3)]
    totals = [load.total_hours for load in result.workload.totals]
    assert totals == [Fraction(20, 3), Fraction(10, 3)]
    assert sum(totals) == 10  # the one-off's 10 h, exactly: nothing lost to thirds
    assert uncovered(result) == []
    assert away_occurrences(result) == [
        ("Launch", "ann@x.com", "2026-12-04", False, "budi@x.com", Fraction(10, 3)),
        ("Launch", "ann@x.com", "2026-12-07", False, "budi@x.com", Fraction(10, 3)),
    ]
    budi_weeks = next(m["weeks"] for m in workload_document(result)["members"] if m["email"] == "budi@x.com")
    assert [w["strategic_hours"] for w in budi_weeks] == ["3.33", "3.33"]


def test_a_partial_share_moves_only_that_share(team, operational, ann, budi, cita):
    task = make_task(team, operational, title="Reply", cadence="daily", effort_hours=1, start_date=W1)
    assignment = make_assignment(task, ann, share_percent=50)
    make_assignment(task, cita, share_percent=50)
    make_time_off(ann, day("2026-12-01"), day("2026-12-02"))
    cover(assignment, budi, "2026-12-01", "2026-12-02")
    result = report(team)
    # Budi: Tue + Wed × 1 h × 50 % = 1 h. Ann: Mon, Thu, Fri × 0.5 h = 1.5 h. Cita: 5 × 0.5 h = 2.5 h.
    assert [weeks_of(result, person)[0].total_hours for person in (ann, budi, cita)] == [
        Fraction(3, 2),
        1,
        Fraction(5, 2),
    ]
    assert result.workload.totals[0].total_hours == 5  # 5 days × 1 h: all of the task
    assert uncovered(result) == []
    assert [o[-1] for o in away_occurrences(result)] == [Fraction(1, 2), Fraction(1, 2)]


def test_a_substitute_with_capacity_zero_is_over_and_keeps_capacity_zero(team, operational, ann):
    budi = make_member(team, full_name="Budi", email="budi@x.com", weekly_capacity_hours=0)
    assignment = make_assignment(make_task(team, operational, cadence="daily", effort_hours=2, start_date=W1), ann)
    make_time_off(ann, day("2026-12-01"), day("2026-12-02"))
    assert weeks_of(report(team), budi)[0].band == "off"  # no hours, no capacity
    cover(assignment, budi, "2026-12-01", "2026-12-02")
    result = report(team)
    (week,) = weeks_of(result, budi)
    # Budi: Tue + Wed × 2 h = 4 h on a capacity of 0: band "over", no utilization.
    assert (week.total_hours, week.capacity_hours, week.utilization, week.band) == (4, 0, None, "over")
    over = [flag.as_json() for flag in result.flags if flag.kind == FlagKind.OVER_ALLOCATED]
    assert over == [
        {
            "kind": "over_allocated",
            "member": "budi@x.com",
            "week": "2026-11-30",
            "total_hours": "4.00",
            "capacity_hours": "0.00",
            "utilization": None,
        }
    ]
    # Team: Ann 3 × 2 = 6 h + Budi 4 h = 10 h of 24 + 0 = 24 h.
    assert (result.workload.totals[0].total_hours, result.workload.totals[0].capacity_hours) == (10, 24)


def test_a_cover_longer_than_the_time_off_moves_nothing_on_days_the_assignee_works(team, operational, ann, budi):
    assignment = make_assignment(make_task(team, operational, cadence="daily", effort_hours=1, start_date=W1), ann)
    make_time_off(ann, day("2026-12-01"), day("2026-12-01"))  # Tuesday only
    cover(assignment, budi, "2026-11-30", "2026-12-04")  # the whole working week
    result = report(team)
    # Ann works Mon, Wed, Thu, Fri: 4 h; only Tuesday's 1 h goes to Budi.
    assert (weeks_of(result, ann)[0].total_hours, weeks_of(result, budi)[0].total_hours) == (4, 1)
    assert [o[2] for o in away_occurrences(result)] == ["2026-12-01"]


def test_a_cover_and_time_off_begun_before_the_window_count_their_days_inside_it(team, operational, ann, budi):
    assignment = make_assignment(make_task(team, operational, cadence="daily", effort_hours=1, start_date=W1), ann)
    make_time_off(ann, day("2026-12-03"), day("2026-12-08"))  # Thursday of W1 to Tuesday of W2
    cover(assignment, budi, "2026-12-01", "2026-12-08")
    result = report(team, start=W2)
    # Window W2 alone: Mon 12-07 and Tue 12-08 are Budi's (2 h); Ann works Wed-Fri, 3 h of 40 × 3/5 = 24 h.
    assert (weeks_of(result, budi)[0].total_hours, weeks_of(result, ann)[0].total_hours) == (2, 3)
    assert weeks_of(result, ann)[0].capacity_hours == 24
    assert uncovered(result) == []


def test_a_substitute_away_the_same_day_leaves_that_day_uncovered(team, operational, ann, budi):
    task = make_task(team, operational, title="Reply", cadence="daily", effort_hours=1, start_date=W1)
    assignment = make_assignment(task, ann)
    make_time_off(ann, day("2026-12-01"), day("2026-12-02"))
    make_time_off(budi, day("2026-12-02"), day("2026-12-02"))  # Budi is away on Wednesday too
    cover(assignment, budi, "2026-12-01", "2026-12-02")
    result = report(team)
    # Tuesday: Budi's 1 h. Wednesday: nobody's; the duty stays uncovered at Ann's 1 h.
    assert (weeks_of(result, ann)[0].total_hours, weeks_of(result, budi)[0].total_hours) == (3, 1)
    assert weeks_of(result, budi)[0].capacity_hours == 32  # 40 × 4/5: his own day off
    assert result.workload.totals[0].total_hours == 4
    assert uncovered(result) == [("Reply", "ann@x.com", "2026-12-02", 1)]
    assert away_occurrences(result) == [
        ("Reply", "ann@x.com", "2026-12-01", False, "budi@x.com", 1),
        ("Reply", "ann@x.com", "2026-12-02", False, None, 1),
    ]


def test_an_inactive_substitute_covers_nothing(team, operational, ann, budi):
    task = make_task(team, operational, title="Reply", cadence="daily", effort_hours=1, start_date=W1)
    assignment = make_assignment(task, ann)
    make_time_off(ann, day("2026-12-01"), day("2026-12-02"))
    cover(assignment, budi, "2026-12-01", "2026-12-02")
    TeamMember.objects.filter(pk=budi.pk).update(is_active=False)
    result = report(team)
    # Budi left: not listed, no hours; both days are uncovered again and the team has only Ann's 3 h.
    assert [load.member.email for load in result.workload.members] == ["ann@x.com"]
    assert result.workload.totals[0].total_hours == 3
    assert uncovered(result) == [("Reply", "ann@x.com", "2026-12-01", 1), ("Reply", "ann@x.com", "2026-12-02", 1)]
    assert [o[4] for o in away_occurrences(result)] == [None, None]


def test_a_cover_applies_to_its_own_assignment_only(team, operational, ann, budi, cita):
    reply = make_task(team, operational, title="Reply", cadence="daily", effort_hours=1, start_date=W1)
    schedule = make_task(team, operational, title="Schedule", cadence="daily", effort_hours=2, start_date=W1)
    make_assignment(reply, ann)
    ann_schedule = make_assignment(schedule, ann, share_percent=50)
    make_assignment(schedule, cita, share_percent=50)
    make_time_off(ann, day("2026-12-01"), day("2026-12-01"))
    make_time_off(cita, day("2026-12-01"), day("2026-12-01"))  # Cita shares "Schedule" and is away too
    cover(ann_schedule, budi, "2026-12-01", "2026-12-01")  # Budi covers Ann's "Schedule" only
    result = report(team)
    # Budi: Ann's half of Schedule on Tuesday, 2 h × 50 % = 1 h.
    assert weeks_of(result, budi)[0].total_hours == 1
    # Ann: Reply 4 × 1 h + Schedule 4 × 1 h = 8 h. Cita: Schedule 4 × 1 h = 4 h.
    assert (weeks_of(result, ann)[0].total_hours, weeks_of(result, cita)[0].total_hours) == (8, 4)
    # Ann's Reply and Cita's half of Schedule on Tuesday stay uncovered.
    assert uncovered(result) == [("Reply", "ann@x.com", "2026-12-01", 1), ("Schedule", "cita@x.com", "2026-12-01", 1)]


def test_a_covered_strategic_task_is_the_substitutes_strategic_work(team, operational, strategic, ann, budi):
    make_holding(budi, strategic)
    make_assignment(make_task(team, operational, title="Reply", cadence="daily", effort_hours=1, start_date=W1), budi)
    review = make_task(team, strategic, title="Review", cadence="daily", effort_hours=2, start_date=W1)
    assignment = make_assignment(review, ann)
    make_time_off(ann, day("2026-12-01"), day("2026-12-02"))

    def budi_flags(result):
        kinds = (FlagKind.DUAL_ROLE, FlagKind.STRATEGY_SQUEEZED)
        return [f.as_json() for f in result.flags if f.kind in kinds and f.member.id == budi.pk]

    # Without the cover Budi holds a strategic role but has 5 h operational and 0 h strategic: squeezed (0 < 25 %).
    assert budi_flags(report(team)) == [
        {"kind": "strategy_squeezed", "member": "budi@x.com", "strategic_share": "0.00"}
    ]
    cover(assignment, budi, "2026-12-01", "2026-12-02")
    result = report(team)
    # With it: + Tue and Wed × 2 h = 4 h strategic; 4 / 9 = 0.444 ≥ 10 %: dual role by work, no longer squeezed.
    (week,) = weeks_of(result, budi)
    assert (week.operational_hours, week.strategic_hours) == (5, 4)
    assert budi_flags(result) == [
        {
            "kind": "dual_role",
            "member": "budi@x.com",
            "explicit": False,
            "by_work": True,
            "operational_hours": "5.00",
            "strategic_hours": "4.00",
            "strategic_share": "0.44",
            "acknowledged": False,
        }
    ]
    assert weeks_of(result, ann)[0].strategic_hours == 6  # Mon, Thu, Fri × 2 h


def test_a_cover_does_not_add_to_the_tasks_assigned_share(team, operational, ann, budi):
    task = make_task(team, operational, title="Reply", cadence="daily", effort_hours=1, start_date=W1)
    assignment = make_assignment(task, ann, share_percent=60)
    make_time_off(ann, day("2026-12-01"), day("2026-12-01"))
    cover(assignment, budi, "2026-12-01", "2026-12-01")
    result = report(team)
    assert weeks_of(result, budi)[0].total_hours == Fraction(3, 5)  # Tuesday's 1 h × 60 %: the cover applies
    assert result.workload.assigned_shares[task.pk] == 60
    unassigned = [f.as_json() for f in result.flags if f.kind == FlagKind.TASK_UNASSIGNED]
    assert unassigned == [{"kind": "task_unassigned", "task": "Reply", "assigned_share": 60}]


def test_the_document_keeps_its_shape_with_covered_and_uncovered_days(team, operational, ann, budi):
    task = make_task(team, operational, title="Reply to DMs", cadence="daily", effort_hours=1, start_date=W1)
    assignment = make_assignment(task, ann)
    make_time_off(ann, day("2026-12-01"), day("2026-12-02"))
    cover(assignment, budi, "2026-12-01", "2026-12-01")  # Tuesday covered, Wednesday not
    # Ann: Mon, Thu, Fri = 3 h of 24 h = 0.125 → "0.13". Budi: Tuesday 1 h of 40 h = 0.025 → "0.03".
    # Team: 4 h of 64 h = 0.0625 → "0.06". Flags: Wednesday uncovered, and nobody holds the role.
    assert workload_document(report(team)) == {
        "team": "marketing",
        "weeks": ["2026-11-30"],
        "members": [
            {
                "email": "ann@x.com",
                "name": "Ann",
                "weeks": [
                    {
                        "week": "2026-11-30",
                        "operational_hours": "3.00",
                        "strategic_hours": "0.00",
                        "total_hours": "3.00",
                        "capacity_hours": "24.00",
                        "utilization": "0.13",
                        "band": "under",
                    }
                ],
            },
            {
                "email": "budi@x.com",
                "name": "Budi",
                "weeks": [
                    {
                        "week": "2026-11-30",
                        "operational_hours": "1.00",
                        "strategic_hours": "0.00",
                        "total_hours": "1.00",
                        "capacity_hours": "40.00",
                        "utilization": "0.03",
                        "band": "under",
                    }
                ],
            },
        ],
        "totals": [{"week": "2026-11-30", "total_hours": "4.00", "capacity_hours": "64.00", "utilization": "0.06"}],
        "flags": [
            {
                "kind": "duty_uncovered",
                "task": "Reply to DMs",
                "member": "ann@x.com",
                "date": "2026-12-02",
                "hours": "1.00",
            },
            {"kind": "role_uncovered", "role": "specialist"},
        ],
    }


def test_a_members_duties_list_their_own_counted_occurrences_only(team, operational, ann, budi):
    task = make_task(team, operational, title="Reply", cadence="daily", effort_hours=1, start_date=W1)
    assignment = make_assignment(task, ann)
    make_time_off(ann, day("2026-12-01"), day("2026-12-01"))
    cover(assignment, budi, "2026-12-01", "2026-12-01")
    result = team_workload(team=team, start=W1, weeks=1, occurrences_of=ann.pk)
    # Ann's counted days are Mon, Wed, Thu, Fri; Tuesday is listed once, not counted, and covered by Budi.
    counted = [o.date.isoformat() for o in result.occurrences if o.counted]
    assert counted == ["2026-11-30", "2026-12-02", "2026-12-03", "2026-12-04"]
    (away,) = [o for o in result.occurrences if not o.counted]
    assert (away.date, away.member.id, away.covered_by.id) == (day("2026-12-01"), ann.pk, budi.pk)
