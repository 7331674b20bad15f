"""Every kind raised per week or per day folds into one line per person; a line writes its sentence when read."""

import datetime
from decimal import Decimal

import pytest

from assignments.flag_lines import FOLDED, flag_lines
from assignments.flags import FlagKind
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
DAY = datetime.timedelta(days=1)

# What one line of each kind is about: a kind raised more often (per week, per day) must fold to this.
SUBJECT = {
    FlagKind.DUAL_ROLE: "member",
    FlagKind.STRATEGY_SQUEEZED: "member",
    FlagKind.OVER_ALLOCATED: "member",  # raised per week
    FlagKind.ROLE_UNCOVERED: "role",
    FlagKind.SINGLE_HOLDER: "role",
    FlagKind.TASK_UNASSIGNED: "task",
    FlagKind.DUTY_UNCOVERED: "member",  # raised per task and day
    FlagKind.ACCOUNTABLE_MISSING: "task",
}


def kinds() -> set[str]:
    return {value for name, value in vars(FlagKind).items() if name.isupper()}


def test_every_kind_has_a_subject_and_the_per_week_and_per_day_kinds_fold():
    """A new kind must say what its line is about; the two raised per week or per day are folded."""
    assert set(SUBJECT) == kinds()
    assert set(FOLDED) == {FlagKind.OVER_ALLOCATED, FlagKind.DUTY_UNCOVERED}


@pytest.fixture
def busy_report():
    """Every kind at once, several times over: weeks over capacity, days of duties on leave, for two people."""
    team = make_team()
    operational, strategic = make_role(Role.Focus.OPERATIONAL), make_role(Role.Focus.STRATEGIC)
    make_task(team, make_role(), title="Nobody's role", start_date=MONDAY)  # role_uncovered, task_unassigned
    for name in ("Ayu", "Budi"):
        member = make_member(team, full_name=name, weekly_capacity_hours=Decimal(5))
        make_holding(member, operational)
        make_holding(member, strategic)
        for title in ("Post", "Reply"):
            task = make_task(team, operational, title=f"{title} {name}", cadence="daily", effort_hours=1)
            make_assignment(task, member)
        make_time_off(member, MONDAY + 7 * DAY, MONDAY + 11 * DAY)
    return team_report(team=team, start=MONDAY, weeks=6)


def test_one_line_per_subject_and_kind_and_every_flag_in_one_line(busy_report):
    lines = flag_lines(busy_report.flags)
    keys = [(line.kind, getattr(line.flag, SUBJECT[line.kind]).id) for line in lines]
    assert len(keys) == len(set(keys))
    assert sorted(id(flag) for line in lines for flag in line.flags) == sorted(map(id, busy_report.flags))
    assert {line.kind for line in lines} >= {FlagKind.OVER_ALLOCATED, FlagKind.DUTY_UNCOVERED, FlagKind.DUAL_ROLE}
    assert len(busy_report.flags) > len(lines) + 20  # 5 weeks over and 20 duties on leave each, folded


def test_a_line_writes_its_sentence_only_when_read(busy_report):
    lines = flag_lines(busy_report.flags)
    assert all("sentence" not in vars(line) for line in lines)
    over = next(line for line in lines if line.kind == FlagKind.OVER_ALLOCATED)
    assert over.sentence.startswith("Ayu is over capacity in ")
    assert "sentence" in vars(over)
