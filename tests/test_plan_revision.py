"""Every write to a team's plan gives the team a new revision, in the same transaction, from every writer.

These tests commit (``transaction=True``): on PostgreSQL the triggers run at the commit.
"""

import datetime

import pytest
from django.apps import apps
from django.db import connection, transaction

from assignments import cover_services, services
from assignments.models import Assignment, Cover, DualRoleAcknowledgement, Task
from assignments.plan import plan_import
from assignments.revisions import PLAN_TABLES
from roles import services as role_services
from roles.models import Role, RoleHolding, Team, TeamMember, TimeOff
from tests.factories import make_assignment, make_holding, make_member, make_role, make_task, make_team, make_time_off

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY = datetime.date(2026, 11, 30)
# Tables of the two apps that the engine does not read, so their writes leave the plan as it is.
NOT_PLAN = {"roles_team", "roles_responsibility", "roles_userpreferences", "roles_team_managers"}


def revision(team: Team) -> int:
    return Team.objects.values_list("plan_revision", flat=True).get(pk=team.pk)


@pytest.fixture
def plan():
    team, other = make_team(), make_team()
    role = make_role()
    ayu, citra = make_member(team), make_member(team)
    task = make_task(team, role, start_date=MONDAY)
    assignment = make_assignment(task, ayu, share_percent=50)
    return team, other, role, ayu, citra, task, assignment


def renews(team: Team, write, *, other: Team | None = None) -> None:
    before, other_before = revision(team), other and revision(other)
    write()
    assert revision(team) != before, "the team's revision did not change"
    if other is not None:
        assert revision(other) == other_before, "another team's revision changed"


def test_every_plan_table_has_its_triggers():
    tables = {
        model._meta.db_table for app in ("roles", "assignments") for model in apps.get_app_config(app).get_models()
    } | {field.m2m_db_table() for field in Team._meta.many_to_many}
    assert tables - NOT_PLAN == set(PLAN_TABLES)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%renews_plan%'")
        else:
            cursor.execute(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers"
                " WHERE trigger_name LIKE '%renews_plan'"
            )
        assert {row[0] for row in cursor.fetchall()} == set(PLAN_TABLES)


def test_services_renew_the_revision_and_only_their_teams(plan):
    team, other, role, ayu, citra, task, assignment = plan
    renews(team, lambda: services.assignment_update(assignment=assignment, share_percent=40), other=other)
    renews(team, lambda: services.assignment_create(task=task, member=citra, share_percent=10), other=other)
    renews(team, lambda: services.task_update(task=task, effort_hours=3), other=other)
    renews(team, lambda: services.task_archive(task=task), other=other)
    renews(team, lambda: services.task_restore(task=task), other=other)
    renews(team, lambda: role_services.time_off_create(member=ayu, start_date=MONDAY, end_date=MONDAY), other=other)
    renews(team, lambda: role_services.role_holding_create(member=citra, role=role, start_date=MONDAY), other=other)
    cover = {"assignment": assignment, "member": citra, "start_date": MONDAY, "end_date": MONDAY}
    renews(team, lambda: cover_services.cover_create(**cover), other=other)
    renews(team, lambda: cover_services.cover_delete(cover=Cover.objects.get()), other=other)
    renews(team, lambda: services.assignment_delete(assignment=assignment), other=other)


def test_raw_orm_and_bulk_writes_renew_it_too(plan):
    team, other, role, ayu, citra, _task, assignment = plan
    renews(team, lambda: TeamMember.objects.filter(pk=ayu.pk).update(weekly_capacity_hours=30), other=other)
    renews(team, lambda: Assignment.objects.filter(pk=assignment.pk).update(share_percent=20), other=other)
    more = [
        Task(team=team, role=role, title=f"Bulk {n}", cadence="daily", effort_hours=1, start_date=MONDAY)
        for n in range(3)
    ]
    renews(team, lambda: Task.objects.bulk_create(more), other=other)
    renews(team, lambda: TimeOff.objects.bulk_create([TimeOff(member=ayu, start_date=MONDAY, end_date=MONDAY)]))
    renews(team, lambda: TimeOff.objects.all().delete(), other=other)
    renews(team, lambda: DualRoleAcknowledgement.objects.create(member=ayu), other=other)
    renews(team, lambda: RoleHolding.objects.create(member=ayu, role=role, start_date=MONDAY), other=other)
    renews(team, lambda: TeamMember.objects.filter(pk=citra.pk).delete(), other=other)


def test_a_member_moving_team_renews_both_teams(plan):
    team, other, _role, _ayu, citra, _task, _assignment = plan
    before = revision(other)
    renews(team, lambda: TeamMember.objects.filter(pk=citra.pk).update(team=other))
    assert revision(other) != before


def test_a_role_change_renews_every_team(plan):
    team, other, role, *_rest = plan
    before = revision(other)
    renews(team, lambda: Role.objects.filter(pk=role.pk).update(focus=Role.Focus.STRATEGIC))
    assert revision(other) != before


def test_a_rolled_back_write_leaves_the_revision(plan):
    team, _other, _role, _ayu, _citra, _task, assignment = plan
    before = revision(team)
    with pytest.raises(RuntimeError), transaction.atomic():
        Assignment.objects.filter(pk=assignment.pk).update(share_percent=10)
        raise RuntimeError
    assert revision(team) == before


def test_the_plan_import_renews_it_once_whatever_it_writes(plan):
    team, *_rest = plan
    document = {
        "team": {"slug": team.slug, "name": team.name},
        "roles": [{"slug": "writer", "name": "Writer", "focus": "operational"}],
        "members": [
            {"full_name": "New", "email": "new@example.com", "roles": [{"role": "writer", "start_date": "2026-11-30"}]}
        ],
        "tasks": [
            {
                "title": f"Imported {n}",
                "role": "writer",
                "cadence": "daily",
                "effort_hours": "1",
                "start_date": "2026-11-30",
                "assignees": [{"member": "new@example.com", "share_percent": 10}],
            }
            for n in range(5)
        ],
    }
    renews(team, lambda: plan_import(document=document))


def test_changing_a_holding_in_the_admin_renews_it(admin_client, plan):
    team, _other, role, ayu, *_rest = plan
    holding = make_holding(ayu, role, start_date=MONDAY)
    make_time_off(ayu, MONDAY, MONDAY)
    renews(team, lambda: admin_client.post(f"/admin/roles/roleholding/{holding.pk}/delete/", {"post": "yes"}))
