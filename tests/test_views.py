"""The pages and their htmx endpoints: what they show, what they change, and in how many queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assignments.calendars import monday_of
from assignments.models import Assignment, DualRoleAcknowledgement, Task
from roles.models import Role, RoleHolding, TimeOff
from tests.factories import (
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

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def this_monday():
    return monday_of(timezone.localdate())


@pytest.fixture
def team():
    return make_team(slug="marketing", name="Marketing")


@pytest.fixture
def manager(team):
    user = make_user(username="boss")
    team.managers.add(user)
    return user


@pytest.fixture
def specialist():
    return make_role(Role.Focus.OPERATIONAL, name="Social Media Specialist", slug="specialist")


@pytest.fixture
def strategist():
    return make_role(Role.Focus.STRATEGIC, name="Social Media Strategist", slug="strategist")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


# ------------------------------------------------------------------ home and login


def test_home_sends_each_person_where_their_work_is(client, team, manager):
    client.force_login(manager)
    assert client.get("/")["Location"] == reverse("assignments:team_overview", args=["marketing"])
    second = make_team(slug="sales")
    second.managers.add(manager)
    assert b"Your teams" in client.get("/").content  # a picker for two teams
    member_user = make_user()
    make_member(team, user=member_user)
    client.force_login(member_user)
    assert client.get("/")["Location"] == reverse("assignments:my_duties")
    client.force_login(make_user(is_staff=True))
    assert client.get("/")["Location"] == reverse("admin:index")
    client.force_login(make_user())
    response = client.get("/")
    assert response.status_code == 200
    assert b"not on a team yet" in response.content


def test_login_page_logs_in_and_out(client, manager):
    manager.set_password("a-good-password")
    manager.save()
    assert b"Log in to Teamplanner" in client.get(reverse("login")).content
    response = client.post(reverse("login"), {"username": "boss", "password": "a-good-password"})
    assert response.status_code == 302
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get("/")["Location"].startswith(reverse("login"))


# ------------------------------------------------------------------ overview


def test_overview_shows_the_heatmap_totals_and_flags(manager_client, team, specialist, strategist, this_monday):
    rina = make_member(team, full_name="Rina", weekly_capacity_hours=40)
    make_holding(rina, specialist, start_date=this_monday)
    make_holding(rina, strategist, start_date=this_monday)
    make_assignment(make_task(team, specialist, cadence="weekly", effort_hours=45, start_date=this_monday), rina)
    page = manager_client.get(reverse("assignments:team_overview", args=["marketing"])).content.decode()
    assert "45.00 / 40.00 h" in page  # hours / capacity ...
    assert 'class="cell cell--over"' in page  # ... in colour ...
    assert ">over<" in page.replace("\n", "")  # ... and in text
    assert "Rina covers both operational and strategic roles" in page
    assert "Rina is over capacity in the week of" in page
    assert reverse("assignments:member", args=[rina.pk]) in page
    assert "Acknowledge: this is intended" in page


def test_overview_week_navigation_with_htmx_returns_the_body_only(manager_client, team, this_monday):
    make_member(team)
    next_week = this_monday + datetime.timedelta(days=7)
    url = reverse("assignments:team_overview", args=["marketing"])
    response = manager_client.get(url, {"start": next_week.isoformat()}, HTTP_HX_TARGET="overview-body", **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="overview-body">')
    assert "<html" not in body
    assert f"?start={(next_week + datetime.timedelta(days=7)).isoformat()}" in body
    plain = manager_client.get(url, {"start": "not-a-date"})  # a bad start falls back to this week
    assert plain.status_code == 200


def test_acknowledge_and_withdraw_a_dual_role(manager_client, manager, team, specialist, strategist, this_monday):
    rina = make_member(team, full_name="Rina")
    make_holding(rina, specialist, start_date=this_monday)
    make_holding(rina, strategist, start_date=this_monday)
    url = reverse("assignments:acknowledge_dual_role", args=["marketing", rina.pk])
    response = manager_client.post(url, {"note": "Small team, on purpose"}, **HTMX)
    assert response.status_code == 200
    assert "Acknowledged by a manager." in response.content.decode()
    assert "Withdraw acknowledgement" in response.content.decode()
    acknowledgement = DualRoleAcknowledgement.objects.get()
    assert (acknowledgement.note, acknowledgement.acknowledged_by) == ("Small team, on purpose", manager)
    response = manager_client.post(reverse("assignments:withdraw_acknowledgement", args=["marketing", rina.pk]))
    assert response.status_code == 302
    acknowledgement.refresh_from_db()
    assert (acknowledgement.withdrawn_by, acknowledgement.withdrawn_at is not None) == (manager, True)


def test_acknowledging_a_member_of_another_team_is_404(manager_client):
    outsider = make_member(make_team())
    url = reverse("assignments:acknowledge_dual_role", args=["marketing", outsider.pk])
    assert manager_client.post(url).status_code == 404
    assert not DualRoleAcknowledgement.objects.exists()


# ------------------------------------------------------------------ board


@pytest.fixture
def board_task(team, specialist, this_monday):
    return make_task(team, specialist, title="Reply to DMs", cadence="daily", effort_hours=2, start_date=this_monday)


def board_url(name, *args):
    return reverse(f"assignments:{name}", args=["marketing", *args])


def test_board_lists_active_tasks_by_focus_and_filters(
    manager_client, team, specialist, strategist, board_task, this_monday
):
    make_task(team, strategist, title="Q1 strategy", cadence="once", start_date=this_monday, end_date=this_monday)
    make_task(team, specialist, title="Old thing", is_active=False)
    page = manager_client.get(board_url("team_board")).content.decode()
    assert page.index("Reply to DMs") < page.index('id="strategic-title"') < page.index("Q1 strategy")
    assert "Old thing" not in page
    filtered = manager_client.get(board_url("team_board"), {"focus": "strategic"}).content.decode()
    assert "Q1 strategy" in filtered and "Reply to DMs" not in filtered
    unassigned = manager_client.get(
        board_url("team_board"), {"unassigned": "on", "channel": "instagram"}
    ).content.decode()
    assert "Q1 strategy" not in unassigned  # no channel


def test_assign_with_htmx_returns_the_card_and_updated_workload(manager_client, team, board_task):
    sari = make_member(team, full_name="Sari")
    response = manager_client.post(
        board_url("assign", board_task.pk),
        {f"assign-{board_task.pk}-member": sari.pk, f"assign-{board_task.pk}-share_percent": 50},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<article class="task-card task-card--operational" id="task-{board_task.pk}"')
    assert "50 % assigned" in body
    assert 'id="team-loads"' in body and 'hx-swap-oob="true"' in body
    # this week: 5 days (or what is left of them from Monday) × 2 h × 50 %; the first week starts today's Monday
    assert "<span data-hours>5.00</span>" in body
    assert Assignment.objects.get().assigned_by.username == "boss"


def test_assign_errors_appear_beside_the_field(manager_client, team, board_task):
    sari, dewi = make_member(team), make_member(team)
    make_assignment(board_task, sari, share_percent=70)
    response = manager_client.post(
        board_url("assign", board_task.pk),
        {f"assign-{board_task.pk}-member": dewi.pk, f"assign-{board_task.pk}-share_percent": 40},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    field = body[body.index(f'id="id_assign-{board_task.pk}-share_percent"') - 600 :]
    assert "Only 30 % of this task is left to assign." in field[:1200]
    assert Assignment.objects.count() == 1


def test_assign_member_of_another_team_is_refused_beside_the_field(manager_client, board_task):
    outsider = make_member(make_team())
    response = manager_client.post(
        board_url("assign", board_task.pk),
        {f"assign-{board_task.pk}-member": outsider.pk, f"assign-{board_task.pk}-share_percent": 10},
    )
    assert response.status_code == 400  # plain post: the whole board, with the error on the card
    assert "Select a valid choice" in response.content.decode()
    assert not Assignment.objects.exists()


def test_assign_without_javascript_redirects_back_to_the_card(manager_client, team, board_task):
    sari = make_member(team)
    response = manager_client.post(
        board_url("assign", board_task.pk),
        {f"assign-{board_task.pk}-member": sari.pk, f"assign-{board_task.pk}-share_percent": 100},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#task-{board_task.pk}")


def test_change_share_and_remove(manager_client, team, board_task):
    assignment = make_assignment(board_task, make_member(team), share_percent=40)
    make_assignment(board_task, make_member(team), share_percent=50)
    url = board_url("assignment_share", assignment.pk)
    response = manager_client.post(url, {f"share-{assignment.pk}-share_percent": 60}, **HTMX)
    assert "Only 50 % of this task is left to assign." in response.content.decode()
    manager_client.post(url, {f"share-{assignment.pk}-share_percent": 50}, **HTMX)
    assignment.refresh_from_db()
    assert assignment.share_percent == 50
    response = manager_client.post(board_url("assignment_remove", assignment.pk), **HTMX)
    assert "50 % assigned" in response.content.decode()
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_create_task_errors_and_success(manager_client, team, specialist):
    data = {
        "new-title": "Launch campaign",
        "new-role": specialist.pk,
        "new-channel": "tiktok",
        "new-cadence": "once",
        "new-effort_hours": "8",
        "new-start_date": "2026-12-01",
        "new-end_date": "",
        "new-description": "",
    }
    response = manager_client.post(board_url("task_new"), data, **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="panel" id="new-task"')
    end_field = body[body.index('for="id_new-end_date"') :]
    assert "A one-off task needs an end date." in end_field[:800]
    assert not Task.objects.exists()
    response = manager_client.post(board_url("task_new"), data | {"new-end_date": "2026-12-05"}, **HTMX)
    task = Task.objects.get()
    assert response["HX-Redirect"].endswith(f"#task-{task.pk}")
    assert (task.team, task.effort_hours) == (team, Decimal("8"))
    response = manager_client.post(board_url("task_new"), data | {"new-end_date": "2026-12-05"})
    assert "This team already has a task with this title." in response.content.decode()


def test_edit_and_archive_task(manager_client, team, board_task):
    prefix = f"edit-{board_task.pk}"
    data = {
        f"{prefix}-title": "Reply to comments",
        f"{prefix}-role": board_task.role_id,
        f"{prefix}-channel": "instagram",
        f"{prefix}-cadence": "daily",
        f"{prefix}-effort_hours": "1.5",
        f"{prefix}-start_date": board_task.start_date.isoformat(),
        f"{prefix}-end_date": (board_task.start_date - datetime.timedelta(days=1)).isoformat(),
        f"{prefix}-description": "",
    }
    response = manager_client.post(board_url("task_edit", board_task.pk), data, **HTMX)
    assert "The end date must be on or after the start date." in response.content.decode()
    board_task.refresh_from_db()
    assert board_task.title == "Reply to DMs"
    manager_client.post(board_url("task_edit", board_task.pk), data | {f"{prefix}-end_date": ""}, **HTMX)
    board_task.refresh_from_db()
    assert (board_task.title, board_task.effort_hours) == ("Reply to comments", Decimal("1.50"))
    response = manager_client.post(board_url("task_archive", board_task.pk), **HTMX)
    assert f'id="task-{board_task.pk}"' not in response.content.decode()  # the card goes
    assert 'id="team-loads"' in response.content.decode()
    board_task.refresh_from_db()
    assert not board_task.is_active


def test_board_writes_on_another_teams_task_are_404(manager_client, specialist):
    foreign = make_task(make_team(), specialist)
    assignment = make_assignment(foreign, make_member(foreign.team))
    assert manager_client.post(board_url("task_archive", foreign.pk)).status_code == 404
    assert manager_client.post(board_url("assignment_remove", assignment.pk)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active and Assignment.objects.filter(pk=assignment.pk).exists()


# ------------------------------------------------------------------ member page


def test_member_page_shows_roles_tasks_time_off_chart_and_flags(
    manager_client, team, specialist, strategist, this_monday
):
    rina = make_member(team, full_name="Rina", job_title="Lead")
    make_holding(rina, specialist, start_date=this_monday)
    make_holding(rina, strategist, start_date=this_monday)
    specialist.responsibilities.create(title="Publish and schedule posts")
    make_assignment(
        make_task(team, specialist, title="Weekly post", cadence="weekly", effort_hours=3, start_date=this_monday), rina
    )
    make_time_off(rina, this_monday + datetime.timedelta(days=14), this_monday + datetime.timedelta(days=15), "Leave")
    page = manager_client.get(reverse("assignments:member", args=[rina.pk])).content.decode()
    for text in ["Rina", "Lead", "Social Media Specialist", "Publish and schedule posts", "Weekly post", "Leave"]:
        assert text in page
    assert "<svg" in page and 'class="bar-operational"' in page
    assert "Rina covers both operational and strategic roles" in page
    assert "Add a role" in page and "Record time off" in page


def test_member_sees_their_own_page_without_the_manager_forms(client, team):
    user = make_user()
    member = make_member(team, user=user)
    client.force_login(user)
    page = client.get(reverse("assignments:member", args=[member.pk])).content.decode()
    assert member.full_name in page
    assert "Record time off" not in page
    assert client.post(reverse("assignments:time_off_add", args=[member.pk])).status_code == 404


def test_manager_adds_and_ends_a_holding_and_records_time_off(manager_client, team, strategist):
    member = make_member(team)
    response = manager_client.post(
        reverse("assignments:holding_add", args=[member.pk]),
        {"holding-role": strategist.pk, "holding-start_date": "2026-12-01", "holding-end_date": "2026-11-01"},
        **HTMX,
    )
    assert "The end date must be on or after the start date." in response.content.decode()
    assert not RoleHolding.objects.exists()
    manager_client.post(
        reverse("assignments:holding_add", args=[member.pk]),
        {"holding-role": strategist.pk, "holding-start_date": "2026-12-01"},
        **HTMX,
    )
    holding = RoleHolding.objects.get()
    response = manager_client.post(
        reverse("assignments:holding_end", args=[member.pk, holding.pk]), {f"end-{holding.pk}-end_date": "2026-12-31"}
    )
    assert response.status_code == 302
    holding.refresh_from_db()
    assert holding.end_date == datetime.date(2026, 12, 31)
    response = manager_client.post(
        reverse("assignments:time_off_add", args=[member.pk]),
        {"off-start_date": "2026-12-24", "off-end_date": "2026-12-26", "off-reason": "Holiday"},
        **HTMX,
    )
    assert response.status_code == 200 and "Holiday" in response.content.decode()
    assert TimeOff.objects.get().reason == "Holiday"


# ------------------------------------------------------------------ roles and my duties


def test_role_catalog_shows_roles_side_by_side_and_the_teams_holders(client, team, specialist, strategist):
    user = make_user()
    me = make_member(team, user=user, full_name="Sari")
    make_holding(me, specialist, start_date=datetime.date(2020, 1, 1))
    make_holding(make_member(make_team(), full_name="Outsider"), strategist, start_date=datetime.date(2020, 1, 1))
    client.force_login(user)
    page = client.get(reverse("roles:catalog")).content.decode()
    assert page.index("Social Media Specialist") < page.index("Social Media Strategist")
    assert "Sari" in page
    assert "Outsider" not in page  # another team's role map is not theirs


def test_my_duties_lists_today_this_week_roles_and_the_dual_role_flag(
    client, team, specialist, strategist, this_monday
):
    user = make_user()
    me = make_member(team, user=user, full_name="Rina")
    make_holding(me, specialist, start_date=this_monday)
    make_holding(me, strategist, start_date=this_monday)
    task = make_task(team, specialist, title="Reply to DMs", cadence="daily", effort_hours=1, start_date=this_monday)
    make_assignment(task, me)
    client.force_login(user)
    page = client.get(reverse("assignments:my_duties")).content.decode()
    assert "Hello, Rina" in page
    assert "You cover both operational and strategic roles." in page
    assert "Social Media Strategist" in page
    today = timezone.localdate()
    if today.weekday() < 5:
        assert page.count("Reply to DMs") >= 2  # today and this week
    assert "Nothing planned for today." in page or today.weekday() < 5


# ------------------------------------------------------------------ query counts


def grow_team(team, role, strategist, size, monday):
    for _ in range(size):
        member = make_member(team)
        make_holding(member, role, start_date=monday)
        make_holding(member, strategist, start_date=monday)
        make_time_off(member, monday, monday)
        task = make_task(team, role, cadence="daily", start_date=monday)
        make_assignment(task, member, share_percent=60)
        make_assignment(make_task(team, strategist, cadence="once", start_date=monday, end_date=monday), member)
        DualRoleAcknowledgement.objects.create(member=member)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["overview", "board", "member", "my_duties", "roles"])
def test_page_query_count_does_not_grow_with_the_team(client, team, manager, specialist, strategist, this_monday, page):
    user = make_user()
    me = make_member(team, user=user)
    team.managers.add(user)
    make_holding(me, specialist, start_date=this_monday)
    url = {
        "overview": reverse("assignments:team_overview", args=["marketing"]),
        "board": reverse("assignments:team_board", args=["marketing"]),
        "member": reverse("assignments:member", args=[me.pk]),
        "my_duties": reverse("assignments:my_duties"),
        "roles": reverse("roles:catalog"),
    }[page]
    client.force_login(user)
    grow_team(team, specialist, strategist, 2, this_monday)
    small = count_queries(client, url)
    grow_team(team, specialist, strategist, 12, this_monday)
    assert count_queries(client, url) == small


def test_board_pages_large_teams_and_keeps_the_filters(manager_client, team, specialist, strategist, this_monday):
    for number in range(35):
        make_task(team, specialist, title=f"Task {number:02d}", channel="tiktok", start_date=this_monday)
    make_task(team, strategist, title="Strategy", channel="tiktok", start_date=this_monday)
    first = manager_client.get(board_url("team_board"), {"channel": "tiktok"}).content.decode()
    assert first.count('class="task-card ') == 30
    assert "Tasks 1–30 of 36" in first
    assert "?channel=tiktok&amp;page=2" in first
    second = manager_client.get(board_url("team_board"), {"channel": "tiktok", "page": 2}).content.decode()
    assert second.count('class="task-card ') == 6
    assert "Task 34" in second and "Strategy" in second  # operational first, then strategic


def test_overview_lists_a_readable_number_of_flags_per_kind(manager_client, team, specialist, this_monday):
    for _ in range(60):
        make_task(team, specialist, start_date=this_monday)  # 60 tasks nobody is assigned to
    make_member(team)
    page = manager_client.get(reverse("assignments:team_overview", args=["marketing"])).content.decode()
    assert page.count("is only 0 % assigned") == 50
    assert "And 10 more of this kind" in page
