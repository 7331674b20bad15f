"""The ``workload`` command's text marks the hours a substitute covers for someone away; its JSON keeps its shape.

Ayu does "Posting" (daily, 2 h) and is away Thursday 3 and Friday 4 December 2026; Citra covers both days:
Citra's week of 30 November is 4 h (covered), Ayu's 6 h (Monday to Wednesday).
"""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from assignments.models import Cover
from roles.models import Role
from tests.factories import make_assignment, make_member, make_role, make_task, make_team, make_time_off

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 30)


@pytest.fixture
def covered():
    team = make_team(slug="marketing", name="Marketing")
    role = make_role(Role.Focus.OPERATIONAL)
    ayu = make_member(team, full_name="Ayu", email="ayu@example.com", weekly_capacity_hours=Decimal(40))
    citra = make_member(team, full_name="Citra", email="citra@example.com", weekly_capacity_hours=Decimal(40))
    posting = make_assignment(
        make_task(team, role, title="Posting", cadence="daily", effort_hours=2, start_date=MONDAY), ayu
    )
    make_time_off(ayu, datetime.date(2026, 12, 3), datetime.date(2026, 12, 4))
    return posting, citra


def run(*arguments) -> str:
    stdout = StringIO()
    call_command("workload", "--team", "marketing", "--start", "2026-11-30", "--weeks", "2", *arguments, stdout=stdout)
    return stdout.getvalue()


def test_text_marks_covered_hours_and_says_for_whom(covered):
    posting, citra = covered
    before = run()
    assert "*" not in before.split("Flags")[0]
    assert "a day off: 2.00 h uncovered" in before
    Cover.objects.create(
        assignment=posting, member=citra, start_date=datetime.date(2026, 12, 3), end_date=datetime.date(2026, 12, 4)
    )
    text = run()
    citra_row = next(line for line in text.splitlines() if line.startswith("Citra "))
    assert "4.00/40.00 under*" in citra_row
    assert "* includes hours covering for someone away:" in text
    assert "Citra, week of 30 Nov: 4.00 h for Ayu" in text
    assert "uncovered" not in text


def test_json_keeps_its_shape_with_covers(covered):
    posting, citra = covered
    before = json.loads(run("--format", "json"))
    Cover.objects.create(
        assignment=posting, member=citra, start_date=datetime.date(2026, 12, 3), end_date=datetime.date(2026, 12, 4)
    )
    after = json.loads(run("--format", "json"))
    assert after.keys() == before.keys()
    assert [member.keys() for member in after["members"]] == [member.keys() for member in before["members"]]
    citra_week = next(m for m in after["members"] if m["email"] == "citra@example.com")["weeks"][0]
    assert citra_week["total_hours"] == "4.00"
    assert not [flag for flag in after["flags"] if flag["kind"] == "duty_uncovered"]
    assert [flag["kind"] for flag in before["flags"]].count("duty_uncovered") == 2
