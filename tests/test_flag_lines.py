"""Flags as a manager reads them: one line per person and kind, with the weeks or days listed."""

import datetime
from decimal import Decimal

import pytest

from assignments.flag_lines import dates_text, flag_lines
from assignments.report import team_report
from roles.models import Role
from tests.factories import MONDAY, make_assignment, make_member, make_role, make_task, make_team, make_time_off

pytestmark = pytest.mark.django_db
WEEK, DAY = datetime.timedelta(days=7), datetime.timedelta(days=1)


def test_dates_text_joins_runs_into_ranges():
    weeks = [MONDAY, MONDAY + WEEK, MONDAY + 2 * WEEK, MONDAY + 5 * WEEK]
    assert dates_text(weeks, WEEK) == "30 Nov – 14 Dec, 4 Jan"
    assert dates_text([MONDAY + 3 * DAY], DAY) == "3 Dec"


def test_over_capacity_weeks_fold_into_one_line_per_person():
    team = make_team()
    eko = make_member(team, full_name="Eko Wibowo", weekly_capacity_hours=Decimal(0))
    task = make_task(team, make_role(), cadence="weekly", effort_hours=1, start_date=MONDAY)
    make_assignment(task, eko)
    report = team_report(team=team, start=MONDAY, weeks=5)
    over = [line for line in flag_lines(report.flags) if line.kind == "over_allocated"]
    assert len([flag for flag in report.flags if flag.kind == "over_allocated"]) == 5  # the JSON stays per week
    assert [line.sentence for line in over] == [
        "Eko Wibowo is over capacity in 5 weeks, 30 Nov – 28 Dec: 1.00 h of 0.00 h each."
    ]
    assert over[0].flag.member.name == "Eko Wibowo"  # the line links like its first flag


def test_over_capacity_with_different_figures_names_the_worst_week():
    team = make_team()
    sari = make_member(team, full_name="Sari", weekly_capacity_hours=Decimal(10))
    role = make_role()
    make_assignment(make_task(team, role, cadence="weekly", effort_hours=11, start_date=MONDAY), sari)
    make_assignment(make_task(team, role, cadence="once", effort_hours=5, start_date=MONDAY, end_date=MONDAY), sari)
    report = team_report(team=team, start=MONDAY, weeks=2)
    [line] = [line for line in flag_lines(report.flags) if line.kind == "over_allocated"]
    assert (
        line.sentence
        == "Sari is over capacity in 2 weeks, 30 Nov – 7 Dec: at most 16.00 h of 10.00 h (week of 30 Nov)."
    )


def test_duties_on_days_off_fold_into_one_line_per_person():
    team = make_team()
    ayu = make_member(team, full_name="Ayu")
    role = make_role(Role.Focus.OPERATIONAL)
    make_assignment(
        make_task(team, role, title="Schedule posts", cadence="daily", effort_hours=1, start_date=MONDAY), ayu
    )
    make_assignment(
        make_task(team, role, title="Reply", cadence="daily", effort_hours=Decimal("0.5"), start_date=MONDAY), ayu
    )
    make_time_off(ayu, start_date=MONDAY + 3 * DAY, end_date=MONDAY + 4 * DAY)
    lines = [
        line
        for line in flag_lines(team_report(team=team, start=MONDAY, weeks=1).flags)
        if line.kind == "duty_uncovered"
    ]
    assert [line.sentence for line in lines] == [
        "Ayu has 4 duties on days off (3 Dec – 4 Dec): Reply, Schedule posts; 3.00 h uncovered."
    ]
    assert len(lines[0].flags) == 4


def test_other_kinds_keep_one_line_per_flag_in_order():
    team = make_team()
    task = make_task(team, make_role(), title="Monthly report", start_date=MONDAY)
    report = team_report(team=team, start=MONDAY, weeks=1)
    assert [line.sentence for line in flag_lines(report.flags)] == [flag.sentence() for flag in report.flags]
    assert [line.kind for line in flag_lines(report.flags)] == ["role_uncovered", "task_unassigned"]
    assert task.title in flag_lines(report.flags)[1].sentence
