"""The demo: a realistic team with every situation a manager must see, seeded once."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from assignments.management.commands.seed_demo import DEMO_ANCHOR_MONDAY, shift_dates
from assignments.models import Assignment, Task
from roles.models import Role, RoleHolding, Team, TeamMember, TimeOff

pytestmark = pytest.mark.django_db


def seed(**options) -> str:
    stdout = StringIO()
    call_command("seed_demo", stdout=stdout, **options)
    return stdout.getvalue()


def snapshot():
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in [Team, Role, TeamMember, RoleHolding, TimeOff, Task, Assignment, get_user_model()]
    }


def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        seed()
    assert not Team.objects.exists()
    seed(force=True)
    assert Team.objects.filter(slug="marketing").exists()


def test_seed_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    seed()
    before = snapshot()
    output = seed()
    assert "already there; nothing changed" in output
    assert snapshot() == before


def test_seed_demo_prints_logins_that_work(settings, client):
    settings.DEBUG = True
    output = seed()
    team = Team.objects.get(slug="marketing")
    assert "manager  / teamplanner-manager" in output
    response = client.post("/accounts/login/", {"username": "manager", "password": "teamplanner-manager"})
    assert response.status_code == 302
    assert team.managers.filter(username="manager").exists()
    assert TeamMember.objects.get(user__username="rina").email == "rina@example.com"
    assert get_user_model().objects.get(username="admin").is_staff


def test_seed_demo_holds_every_situation_a_manager_must_see(settings):
    settings.DEBUG = True
    seed()
    team = Team.objects.get(slug="marketing")
    assert 5 <= team.members.count() <= 8
    assert set(Role.objects.values_list("focus", flat=True)) == {"operational", "strategic"}
    assert Role.objects.filter(focus="operational").count() >= 2
    assert Role.objects.filter(focus="strategic").count() >= 2
    assert set(team.tasks.values_list("cadence", flat=True)) == {"once", "daily", "weekly", "monthly"}
    assert team.tasks.exclude(channel="").values("channel").distinct().count() >= 4
    # a person holding both an operational and a strategic role
    both = TeamMember.objects.filter(role_holdings__role__focus="operational").filter(
        role_holdings__role__focus="strategic"
    )
    assert both.exists()
    # time off while a daily duty is assigned
    assert TimeOff.objects.filter(member__assignments__task__cadence="daily").exists()
    # a task not fully assigned
    assert any(sum(a.share_percent for a in task.assignments.all()) < 100 for task in team.tasks.all())
    # a strategic role held by nobody, and one held by exactly one person
    holders = {
        role.slug: role.holdings.values("member").distinct().count() for role in Role.objects.filter(focus="strategic")
    }
    assert 0 in holders.values() and 1 in holders.values()


def test_seed_demo_moves_the_plan_into_the_current_week(settings):
    settings.DEBUG = True
    seed()
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    harbolnas = Task.objects.get(title="Harbolnas 12.12 campaign plan")
    # in the file it starts one week after the anchor Monday
    assert harbolnas.start_date == monday + datetime.timedelta(days=7)


def test_shift_dates_moves_only_date_keys():
    document = {
        "start_date": "2026-11-23",
        "end_date": None,
        "title": "2026-11-23",
        "items": [{"end_date": "2026-11-30"}],
    }
    assert shift_dates(document, 7) == {
        "start_date": "2026-11-30",
        "end_date": None,
        "title": "2026-11-23",
        "items": [{"end_date": "2026-12-07"}],
    }
    assert DEMO_ANCHOR_MONDAY.weekday() == 0
