"""The Django admin: every model listed without N+1 queries, and the cross-row rules held."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments.models import Assignment, Cover, DualRoleAcknowledgement, Task
from roles.models import Responsibility, Role, Team, UserPreferences
from tests.factories import (
    PLAN_MODELS,
    make_assignment,
    make_holding,
    make_member,
    make_role,
    make_task,
    make_team,
    make_time_off,
    make_user,
)

pytestmark = pytest.mark.django_db

MODELS = [*PLAN_MODELS, UserPreferences]


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def build_team(size: int) -> Team:
    """A team with ``size`` members, each holding two roles with time off (covered), a task and an acknowledgement."""
    team = make_team()
    team.managers.add(make_user())
    operational, strategic = make_role(), make_role(focus=Role.Focus.STRATEGIC)
    for _ in range(size):
        member = make_member(team=team)
        make_holding(member, operational)
        make_holding(member, strategic)
        make_time_off(member, "2026-12-01", "2026-12-02")
        Responsibility.objects.create(role=operational, title=f"Duty of {member.email}")
        task = make_task(team=team, role=strategic)
        mine = make_assignment(task, member, share_percent=50)
        colleague = make_member(team=team)
        make_assignment(task, colleague, share_percent=50)
        Cover.objects.create(assignment=mine, member=colleague, start_date="2026-12-01", end_date="2026-12-02")
        DualRoleAcknowledgement.objects.create(member=member)
        UserPreferences.objects.create(user=make_user(), language="id")
    return team


def changelist_queries(client, model) -> int:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, model):
    build_team(2)
    small = changelist_queries(admin_client, model)
    build_team(12)
    assert changelist_queries(admin_client, model) == small


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_add_and_change_pages_open(admin_client, model):
    build_team(1)
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert admin_client.get(reverse(f"{prefix}_add")).status_code == 200
    obj = model.objects.first()
    assert admin_client.get(reverse(f"{prefix}_change", args=[obj.pk])).status_code == 200


def test_changelists_show_the_columns_that_matter(admin_client):
    team = build_team(1)
    task = team.tasks.first()
    page = admin_client.get(reverse("admin:assignments_task_changelist")).content.decode()
    assert task.role.name in page and "Strategic" in page
    for assignment in task.assignments.all():
        assert f"{assignment.member.full_name} 50 %" in page
    page = admin_client.get(reverse("admin:roles_teammember_changelist")).content.decode()
    member = team.members.filter(role_holdings__isnull=False).first()
    assert member.role_holdings.first().role.name in page
    assert team.name in page


def test_changelist_search_and_filter(admin_client):
    team = build_team(2)
    make_task(team=make_team(), title="Somebody else's task")
    url = reverse("admin:assignments_task_changelist")
    page = admin_client.get(url, {"team__id__exact": team.pk}).content.decode()
    assert "Somebody else" not in page
    page = admin_client.get(url, {"q": "Somebody"}).content.decode()
    assert "Somebody else" in page


def task_form_data(task: Task, assignees=(), *, accountable=None, involvements=()) -> dict:
    """The admin's task form as the task is, with new assignee rows (member, share), an Accountable and new
    Consulted or Informed rows (member, kind)."""
    data = {
        "team": task.team_id,
        "role": task.role_id,
        "title": task.title,
        "description": "",
        "channel": "",
        "cadence": task.cadence,
        "effort_hours": "1.00",
        "start_date": str(task.start_date),
        "end_date": "",
        "is_active": "on",
        "accountable": accountable.pk if accountable else "",
        "assignments-TOTAL_FORMS": str(len(assignees)),
        "assignments-INITIAL_FORMS": "0",
        "assignments-MIN_NUM_FORMS": "0",
        "assignments-MAX_NUM_FORMS": "1000",
        "involvements-TOTAL_FORMS": str(len(involvements)),
        "involvements-INITIAL_FORMS": "0",
        "involvements-MIN_NUM_FORMS": "0",
        "involvements-MAX_NUM_FORMS": "1000",
    }
    for index, (member, share) in enumerate(assignees):
        data |= {f"assignments-{index}-member": member.pk, f"assignments-{index}-share_percent": share}
    for index, (member, kind) in enumerate(involvements):
        data |= {f"involvements-{index}-member": member.pk, f"involvements-{index}-kind": kind}
    return data


def test_task_inline_refuses_shares_above_100(admin_client):
    task = make_task()
    members = [make_member(team=task.team), make_member(team=task.team)]
    url = reverse("admin:assignments_task_change", args=[task.pk])
    response = admin_client.post(url, task_form_data(task, [(members[0], 60), (members[1], 50)]))
    assert response.status_code == 200
    # The services' own rule and message, on the row that passes 100 %.
    assert "Only 40 % of this task is left to assign." in response.content.decode()
    assert not Assignment.objects.exists()
    response = admin_client.post(url, task_form_data(task, [(members[0], 60), (members[1], 40)]))
    assert response.status_code == 302
    assert Assignment.objects.count() == 2


def test_task_inline_refuses_a_member_of_another_team(admin_client):
    task = make_task()
    outsider = make_member(team=make_team())
    url = reverse("admin:assignments_task_change", args=[task.pk])
    response = admin_client.post(url, task_form_data(task, [(outsider, 10)]))
    assert "is not in this task&#x27;s team" in response.content.decode()
    assert not Assignment.objects.exists()


def test_assignment_admin_refuses_shares_above_100_and_records_who_assigned(admin_client):
    task = make_task()
    make_assignment(task, make_member(team=task.team), share_percent=80)
    member = make_member(team=task.team)
    url = reverse("admin:assignments_assignment_add")
    data = {
        "task": task.pk,
        "member": member.pk,
        "share_percent": 30,
        "covers-TOTAL_FORMS": 0,
        "covers-INITIAL_FORMS": 0,
    }
    response = admin_client.post(url, data)
    assert "Only 20 % of this task is left to assign." in response.content.decode()
    response = admin_client.post(url, data | {"share_percent": 20})
    assert response.status_code == 302
    assert Assignment.objects.get(member=member).assigned_by.is_staff


def test_autocomplete_finds_members_by_name(admin_client):
    member = make_member(full_name="Sari Wulandari")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "Wulan", "app_label": "assignments", "model_name": "assignment", "field_name": "member"},
    )
    assert [result["text"] for result in response.json()["results"]] == [member.full_name]


def test_admin_is_refused_to_non_staff(client):
    client.force_login(make_user())
    response = client.get(reverse("admin:assignments_task_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
