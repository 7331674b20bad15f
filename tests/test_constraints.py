"""Every rule the database holds: a bad row raises IntegrityError through the ORM."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from assignments.models import Assignment, Task
from roles.models import Responsibility, Role, RoleHolding, Team, TeamMember, TimeOff
from tests.factories import MONDAY, make_assignment, make_member, make_role, make_task, make_team

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def assert_refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


@pytest.mark.parametrize("hours", [Decimal("-0.01"), Decimal("168.01"), Decimal("500")])
def test_member_capacity_outside_0_to_168_is_refused(hours):
    team = make_team()
    assert_refused(
        lambda: TeamMember.objects.create(team=team, full_name="A", email="a@x.com", weekly_capacity_hours=hours)
    )


@pytest.mark.parametrize("hours", [Decimal("0"), Decimal("168")])
def test_member_capacity_bounds_are_allowed(hours):
    member = make_member(weekly_capacity_hours=hours)
    assert member.weekly_capacity_hours == hours


def test_member_email_is_unique_ignoring_case():
    member = make_member(email="sari@example.com")
    assert_refused(lambda: make_member(team=member.team, email="sari@example.com"))
    assert_refused(lambda: make_member(team=member.team, email="Sari@Example.com"))


def test_member_without_name_is_refused():
    assert_refused(lambda: make_member(full_name=""))


def test_team_slug_is_unique():
    make_team(slug="marketing")
    assert_refused(lambda: make_team(slug="marketing"))


def test_role_slug_and_name_are_unique():
    make_role(name="Strategist", slug="strategist")
    assert_refused(lambda: make_role(name="Other", slug="strategist"))
    assert_refused(lambda: make_role(name="Strategist", slug="other"))


def test_role_focus_must_be_operational_or_strategic():
    assert_refused(lambda: make_role(focus="tactical"))


def test_responsibility_title_is_unique_within_role():
    role = make_role()
    Responsibility.objects.create(role=role, title="Publish posts")
    assert_refused(lambda: Responsibility.objects.create(role=role, title="Publish posts"))
    Responsibility.objects.create(role=make_role(), title="Publish posts")  # another role may


def test_role_holding_end_before_start_is_refused():
    member, role = make_member(), make_role()
    assert_refused(
        lambda: RoleHolding.objects.create(member=member, role=role, start_date=MONDAY, end_date=MONDAY - DAY)
    )
    RoleHolding.objects.create(member=member, role=role, start_date=MONDAY, end_date=MONDAY)  # one day is fine
    RoleHolding.objects.create(member=member, role=role, start_date=MONDAY + DAY, end_date=None)  # open end is fine


def test_role_holding_same_role_and_start_twice_is_refused():
    member, role = make_member(), make_role()
    RoleHolding.objects.create(member=member, role=role, start_date=MONDAY)
    assert_refused(lambda: RoleHolding.objects.create(member=member, role=role, start_date=MONDAY))


def test_time_off_end_before_start_is_refused():
    member = make_member()
    assert_refused(lambda: TimeOff.objects.create(member=member, start_date=MONDAY, end_date=MONDAY - DAY))


def test_time_off_needs_an_end_date():
    member = make_member()
    assert_refused(lambda: TimeOff.objects.create(member=member, start_date=MONDAY, end_date=None))


@pytest.mark.parametrize("effort", [Decimal("0"), Decimal("-1")])
def test_task_effort_must_be_positive(effort):
    assert_refused(lambda: make_task(effort_hours=effort))


def test_task_end_before_start_is_refused():
    assert_refused(lambda: make_task(cadence="weekly", start_date=MONDAY, end_date=MONDAY - DAY))


def test_one_off_task_needs_an_end_date():
    assert_refused(lambda: make_task(cadence=Task.Cadence.ONCE, end_date=None))
    make_task(cadence=Task.Cadence.ONCE, end_date=MONDAY)
    make_task(cadence=Task.Cadence.WEEKLY, end_date=None)  # only one-off tasks need it


def test_task_cadence_and_channel_must_be_known():
    assert_refused(lambda: make_task(cadence="hourly"))
    assert_refused(lambda: make_task(channel="myspace"))


def test_task_title_is_unique_within_team():
    team = make_team()
    make_task(team=team, title="Monthly report")
    assert_refused(lambda: make_task(team=team, title="Monthly report"))
    make_task(team=make_team(), title="Monthly report")  # another team may


def test_task_title_cannot_be_blank():
    assert_refused(lambda: make_task(title=""))


@pytest.mark.parametrize("share", [0, 101])
def test_assignment_share_outside_1_to_100_is_refused(share):
    task = make_task()
    member = make_member(team=task.team)
    assert_refused(lambda: make_assignment(task, member, share_percent=share))


def test_assignment_is_unique_per_task_and_member():
    task = make_task()
    member = make_member(team=task.team)
    make_assignment(task, member, share_percent=50)
    assert_refused(lambda: make_assignment(task, member, share_percent=10))


def test_assignment_end_before_start_is_refused():
    task = make_task()
    member = make_member(team=task.team)
    assert_refused(lambda: make_assignment(task, member, start_date=MONDAY, end_date=MONDAY - DAY))


def test_assignment_share_defaults_to_100():
    task = make_task()
    assignment = Assignment.objects.create(task=task, member=make_member(team=task.team))
    assert assignment.share_percent == 100


def test_role_in_use_cannot_be_deleted():
    task = make_task()
    with pytest.raises(ProtectedError):
        task.role.delete()
    assert Role.objects.filter(pk=task.role.pk).exists()
    assert Team.objects.filter(pk=task.team.pk).exists()


def test_user_preferences_language_must_be_one_the_app_speaks():
    from roles.models import UserPreferences
    from tests.factories import make_user

    assert_refused(lambda: UserPreferences.objects.create(user=make_user(), language="fr"))
    UserPreferences.objects.create(user=make_user(), language="id")
    UserPreferences.objects.create(user=make_user(), language="")  # no choice yet: the browser's
