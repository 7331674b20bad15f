"""RACI's Responsible hours (assignments/raci_hours.py): the hours the engine counts for each assignee on a task."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from assignments.raci_hours import responsible_hours
from assignments.report import team_report
from roles.models import Role
from tests.factories import make_assignment, make_member, make_role, make_task, make_team, make_time_off

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 30)


@pytest.fixture
def team():
    return make_team(slug="marketing")


def test_hours_follow_the_engines_rules(team):
    """Over two weeks from MONDAY (ten working days)."""
    operational, strategic = make_role(), make_role(Role.Focus.STRATEGIC)
    ayu, budi = make_member(team, full_name="Ayu"), make_member(team, full_name="Budi")
    daily = make_task(team, operational, cadence="daily", effort_hours=Decimal("2"), start_date=MONDAY)
    make_assignment(daily, ayu, share_percent=50)  # 10 days × 2 h × 50 % = 10 h, less a day off (1 h)
    make_time_off(ayu, MONDAY, MONDAY)
    # the share of the second week only: 5 days × 2 h × 25 %
    make_assignment(daily, budi, share_percent=25, start_date=MONDAY + datetime.timedelta(days=7))
    # a one-off task from Thursday to the next Monday: a third of 1 h each working day, two in the window
    once = make_task(
        team,
        strategic,
        cadence="once",
        effort_hours=Decimal("1"),
        start_date=MONDAY + datetime.timedelta(days=10),
        end_date=MONDAY + datetime.timedelta(days=14),
    )
    make_assignment(once, budi)
    # an assignment that ended before the window: not Responsible in it
    weekly = make_task(team, operational, cadence="weekly", start_date=MONDAY - datetime.timedelta(days=28))
    make_assignment(weekly, ayu, end_date=MONDAY - datetime.timedelta(days=1))
    hours = responsible_hours(team=team, start=MONDAY + datetime.timedelta(days=3), weeks=2)
    assert hours == {
        (daily.pk, ayu.pk): Fraction(9),
        (daily.pk, budi.pk): Fraction(5, 2),
        (once.pk, budi.pk): Fraction(2, 3),
    }
    # the same hours the workload counts for them
    report = team_report(team=team, start=MONDAY, weeks=2)
    totals = {load.member.id: load.operational_hours + load.strategic_hours for load in report.workload.members}
    assert totals == {ayu.pk: Fraction(9), budi.pk: Fraction(5, 2) + Fraction(2, 3)}
