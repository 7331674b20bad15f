"""A member's page: what it shows, to whom, and the manager's writes there (holdings, time off)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from assignments.models import DualRoleAcknowledgement
from assignments.selectors.member import MEMBER_WEEKS
from assignments.selectors.overview import OVERVIEW_WEEKS
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
from tests.views.helpers import HTMX

pytestmark = pytest.mark.django_db


def member_url(member) -> str:
    return reverse("assignments:member", args=[member.pk])


@pytest.fixture
def rina(team, specialist, strategist, this_monday):
    rina = make_member(team, full_name="Rina", job_title="Lead")
    make_holding(rina, specialist, start_date=this_monday)
    make_holding(rina, strategist, start_date=this_monday)
    specialist.responsibilities.create(title="Publish and schedule posts")
    task = make_task(team, specialist, title="Weekly post", cadence="weekly", effort_hours=3, start_date=this_monday)
    make_assignment(task, rina)
    make_time_off(rina, this_monday + datetime.timedelta(days=14), this_monday + datetime.timedelta(days=15), "Leave")
    return rina


def test_member_page_shows_the_person(manager_client, rina):
    response = manager_client.get(member_url(rina))
    assertContains(response, "Rina")
    assertContains(response, "Lead")


def test_member_page_shows_roles_and_their_responsibilities(manager_client, rina):
    response = manager_client.get(member_url(rina))
    assertContains(response, "Social Media Specialist")
    assertContains(response, "Publish and schedule posts")


def test_member_page_shows_tasks_and_time_off(manager_client, rina):
    response = manager_client.get(member_url(rina))
    assertContains(response, "Weekly post")
    assertContains(response, "Leave")


def test_member_page_shows_the_load_as_a_chart(manager_client, rina):
    response = manager_client.get(member_url(rina))
    assertContains(response, "<svg")
    assertContains(response, 'class="bar-operational"')


def test_member_page_shows_the_flags_that_name_the_person(manager_client, rina):
    assertContains(manager_client.get(member_url(rina)), "Rina covers both operational and strategic roles")


def test_member_page_gives_the_manager_the_forms(manager_client, rina):
    response = manager_client.get(member_url(rina))
    assertContains(response, "Add a role")
    assertContains(response, "Record time off")


def test_member_page_offers_to_end_only_holdings_still_running(manager_client, team, specialist, strategist):
    member = make_member(team)
    ended = make_holding(member, specialist, start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 6, 30))
    running = make_holding(member, strategist, start_date=datetime.date(2026, 1, 1))
    ends_later = make_holding(
        member, specialist, start_date=datetime.date(2026, 7, 1), end_date=datetime.date(2027, 1, 1)
    )
    response = manager_client.get(member_url(member))
    rows = {row.holding.pk: row.can_end for row in response.context["holdings"]}
    assert (rows[ended.pk], rows[running.pk], rows[ends_later.pk]) == (False, True, True)
    page = response.content.decode()
    form_url = "assignments:holding_end_form"
    assert reverse(form_url, args=[member.pk, ended.pk]) not in page
    assert reverse(form_url, args=[member.pk, running.pk]) in page
    assert manager_client.get(reverse(form_url, args=[member.pk, ended.pk])).status_code == 404


def test_member_sees_their_own_page(client, team):
    user = make_user()
    member = make_member(team, user=user)
    client.force_login(user)
    assertContains(client.get(member_url(member)), member.full_name)


def test_member_sees_their_own_page_without_the_manager_forms(client, team):
    user = make_user()
    member = make_member(team, user=user)
    client.force_login(user)
    assertNotContains(client.get(member_url(member)), "Record time off")


def test_member_cannot_record_their_own_time_off(client, team):
    user = make_user()
    member = make_member(team, user=user)
    client.force_login(user)
    assert client.post(reverse("assignments:time_off_add", args=[member.pk])).status_code == 404


# ------------------------------------------------------------------ the manager's writes


def add_holding(client, member, data, **headers):
    return client.post(reverse("assignments:holding_add", args=[member.pk]), data, **headers)


def test_add_holding_ending_before_it_starts_shows_the_error_beside_the_end(manager_client, team, strategist):
    member = make_member(team)
    data = {"holding-role": strategist.pk, "holding-start_date": "2026-12-01", "holding-end_date": "2026-11-01"}
    response = add_holding(manager_client, member, data, **HTMX)
    message = "The end date must be on or after the start date."
    assert response.context["holding_form"].errors == {"end_date": [message]}
    assertContains(response, message)


def test_add_holding_ending_before_it_starts_adds_nothing(manager_client, team, strategist):
    member = make_member(team)
    data = {"holding-role": strategist.pk, "holding-start_date": "2026-12-01", "holding-end_date": "2026-11-01"}
    add_holding(manager_client, member, data, **HTMX)
    assert not RoleHolding.objects.exists()


def test_add_holding_saves_it(manager_client, team, strategist):
    member = make_member(team)
    add_holding(manager_client, member, {"holding-role": strategist.pk, "holding-start_date": "2026-12-01"}, **HTMX)
    holding = RoleHolding.objects.get()
    assert (holding.member, holding.role, holding.start_date) == (member, strategist, datetime.date(2026, 12, 1))


@pytest.fixture
def holding(team, strategist):
    return make_holding(make_member(team), strategist, start_date=datetime.date(2026, 12, 1))


def test_end_holding_without_javascript_redirects_back(manager_client, holding):
    url = reverse("assignments:holding_end", args=[holding.member.pk, holding.pk])
    assert manager_client.post(url, {f"end-{holding.pk}-end_date": "2026-12-31"}).status_code == 302


def test_end_holding_saves_the_last_day(manager_client, holding):
    url = reverse("assignments:holding_end", args=[holding.member.pk, holding.pk])
    manager_client.post(url, {f"end-{holding.pk}-end_date": "2026-12-31"})
    holding.refresh_from_db()
    assert holding.end_date == datetime.date(2026, 12, 31)


def test_record_time_off_with_htmx_shows_it_on_the_page(manager_client, team):
    member = make_member(team)
    data = {"off-start_date": "2026-12-24", "off-end_date": "2026-12-26", "off-reason": "Holiday"}
    response = manager_client.post(reverse("assignments:time_off_add", args=[member.pk]), data, **HTMX)
    assert response.status_code == 200
    assertContains(response, "Holiday")


def test_record_time_off_saves_it(manager_client, team):
    member = make_member(team)
    data = {"off-start_date": "2026-12-24", "off-end_date": "2026-12-26", "off-reason": "Holiday"}
    manager_client.post(reverse("assignments:time_off_add", args=[member.pk]), data, **HTMX)
    assert TimeOff.objects.get().reason == "Holiday"


# ------------------------------------------------------------------ the chart with large hours


def test_member_page_with_huge_daily_hours_stays_small(manager_client, team, specialist, this_monday):
    """A daily task of 9,999.99 h once drew a grid line per 20 h: 3,036 lines and a 567 KB page."""
    member = make_member(team)
    task = make_task(team, specialist, cadence="daily", effort_hours="9999.99", start_date=this_monday)
    make_assignment(task, member)
    response = manager_client.get(member_url(member))
    page = response.content.decode()
    assert page.count('class="grid"') <= 8
    assert len(response.content) < 40_000


# ------------------------------------------------------------------ the task list


def test_member_page_shows_each_tasks_dates(manager_client, team, specialist, this_monday):
    member = make_member(team)
    task = make_task(team, specialist, cadence="weekly", start_date=this_monday, end_date=datetime.date(2027, 1, 29))
    make_assignment(task, member, start_date=this_monday + datetime.timedelta(days=7))
    assertContains(manager_client.get(member_url(member)), "7 Dec 2026 – 29 Jan 2027")


def test_member_page_leaves_out_tasks_that_have_ended(manager_client, team, specialist):
    member = make_member(team)
    ended = make_task(
        team,
        specialist,
        title="Autumn launch",
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2026, 11, 1),
    )
    make_assignment(ended, member)
    assert "Autumn launch" not in tasks_section(manager_client.get(member_url(member)))


def test_member_page_leaves_out_assignments_that_have_ended(manager_client, team, specialist):
    member = make_member(team)
    task = make_task(team, specialist, title="Reply to DMs", start_date=datetime.date(2026, 9, 1))
    make_assignment(task, member, end_date=datetime.date(2026, 11, 27))
    assert "Reply to DMs" not in tasks_section(manager_client.get(member_url(member)))


def tasks_section(response) -> str:
    """The page's Tasks panel (its recent changes still tell that the task was assigned)."""
    html = response.content.decode()
    start = html.index('id="tasks-title"')
    return html[start : html.index("</section>", start)]


# ------------------------------------------------------------------ flags as lines


@pytest.fixture
def overloaded(team, specialist, this_monday):
    """45 h a week against 40 for all eight weeks of the page: eight over_allocated flags."""
    member = make_member(team, full_name="Eko")
    make_assignment(make_task(team, specialist, cadence="daily", effort_hours=9, start_date=this_monday), member)
    return member


def test_member_page_folds_weeks_over_capacity_into_one_line(manager_client, overloaded):
    page = manager_client.get(member_url(overloaded)).content.decode()
    assert page.count('class="flag flag--over_allocated') == 1
    assert f"Eko is over capacity in {MEMBER_WEEKS} weeks" in page


def test_member_page_flag_line_links_to_what_fixes_it(manager_client, overloaded):
    response = manager_client.get(member_url(overloaded))
    assertContains(response, f'href="/teams/marketing/fix/members/{overloaded.pk}/hand-over/?flag=over_allocated')


def test_member_page_flag_lines_show_the_member_no_managers_links(client, team, specialist, this_monday):
    user = make_user()
    member = make_member(team, user=user, full_name="Eko")
    make_assignment(make_task(team, specialist, cadence="daily", effort_hours=9, start_date=this_monday), member)
    client.force_login(user)
    response = client.get(member_url(member))
    assertContains(response, f"Eko is over capacity in {MEMBER_WEEKS} weeks")
    assertNotContains(response, "/board/")


# ------------------------------------------------------------------ undoing everyday mistakes: time off


@pytest.fixture
def leave(team):
    member = make_member(team, full_name="Sari")
    return make_time_off(member, datetime.date(2026, 12, 14), datetime.date(2026, 12, 18), "Leave")


def time_off_url(name, time_off) -> str:
    return reverse(f"assignments:{name}", args=[time_off.member_id, time_off.pk])


def edit_data(time_off, start, end, reason="Leave") -> dict:
    prefix = f"off-{time_off.pk}"
    return {f"{prefix}-start_date": start, f"{prefix}-end_date": end, f"{prefix}-reason": reason}


def test_edit_time_off_saves_the_new_dates(manager_client, leave):
    manager_client.post(time_off_url("time_off_edit", leave), edit_data(leave, "2026-12-21", "2026-12-23"), **HTMX)
    leave.refresh_from_db()
    assert (leave.start_date, leave.end_date) == (datetime.date(2026, 12, 21), datetime.date(2026, 12, 23))


def test_edit_time_off_with_htmx_shows_the_new_dates_on_the_page(manager_client, leave):
    response = manager_client.post(
        time_off_url("time_off_edit", leave), edit_data(leave, "2026-12-21", "2026-12-23"), **HTMX
    )
    assert response.status_code == 200
    assertContains(response, "21 Dec 2026 – 23 Dec 2026")


def test_edit_time_off_without_javascript_redirects_back(manager_client, leave):
    response = manager_client.post(time_off_url("time_off_edit", leave), edit_data(leave, "2026-12-21", "2026-12-23"))
    assert (response.status_code, response["Location"]) == (302, member_url(leave.member))


def test_edit_time_off_overlapping_other_time_off_shows_the_error_beside_the_first_day(manager_client, leave):
    make_time_off(leave.member, datetime.date(2026, 12, 28), datetime.date(2026, 12, 31))
    response = manager_client.post(time_off_url("time_off_edit", leave), edit_data(leave, "2026-12-14", "2026-12-29"))
    assert response.status_code == 400
    edit_form = next(row.edit_form for row in response.context["time_off"] if row.time_off.pk == leave.pk)
    assert list(edit_form.errors) == ["start_date"]
    leave.refresh_from_db()
    assert leave.end_date == datetime.date(2026, 12, 18)


def test_edit_time_off_ending_before_it_starts_shows_the_error_beside_the_last_day(manager_client, leave):
    response = manager_client.post(
        time_off_url("time_off_edit", leave), edit_data(leave, "2026-12-14", "2026-12-01"), **HTMX
    )
    edit_form = next(row.edit_form for row in response.context["time_off"] if row.time_off.pk == leave.pk)
    assert edit_form.errors == {"end_date": ["The end date must be on or after the start date."]}


def test_delete_time_off_with_htmx_asks_for_confirmation_first(manager_client, leave):
    page = manager_client.get(member_url(leave.member)).content.decode()
    delete_url = time_off_url("time_off_delete", leave)
    assert f'hx-post="{delete_url}" hx-confirm=' in page


def test_delete_time_off_without_javascript_shows_a_confirmation_step(manager_client, leave):
    response = manager_client.get(time_off_url("time_off_delete", leave))
    assertContains(response, "Delete this time off?")
    assertContains(response, f'<form method="post" action="{time_off_url("time_off_delete", leave)}"')
    assert TimeOff.objects.filter(pk=leave.pk).exists()


def test_delete_time_off_deletes_it(manager_client, leave):
    response = manager_client.post(time_off_url("time_off_delete", leave))
    assert response.status_code == 302
    assert not TimeOff.objects.filter(pk=leave.pk).exists()


def test_delete_time_off_with_htmx_returns_the_page_without_it(manager_client, leave):
    response = manager_client.post(time_off_url("time_off_delete", leave), **HTMX)
    assertContains(response, "No time off recorded.")


def test_member_cannot_change_or_delete_their_own_time_off(client, team):
    user = make_user()
    member = make_member(team, user=user)
    leave = make_time_off(member, datetime.date(2026, 12, 14), datetime.date(2026, 12, 18))
    client.force_login(user)
    data = edit_data(leave, "2026-12-01", "2026-12-02")
    assert client.post(time_off_url("time_off_edit", leave), data).status_code == 404
    assert client.post(time_off_url("time_off_delete", leave)).status_code == 404
    assert client.get(time_off_url("time_off_delete", leave)).status_code == 404
    leave.refresh_from_db()
    assert leave.start_date == datetime.date(2026, 12, 14)


def test_another_teams_manager_cannot_delete_time_off(client, leave):
    other_manager = make_user()
    make_team().managers.add(other_manager)
    client.force_login(other_manager)
    assert client.post(time_off_url("time_off_delete", leave)).status_code == 404
    assert TimeOff.objects.filter(pk=leave.pk).exists()


def test_time_off_of_another_member_is_not_found_under_this_member(manager_client, team, leave):
    someone_else = make_member(team)
    url = reverse("assignments:time_off_delete", args=[someone_else.pk, leave.pk])
    assert manager_client.post(url).status_code == 404


# ------------------------------------------------------------------ undoing everyday mistakes: role holdings


def test_delete_holding_removes_it_rather_than_ending_it(manager_client, holding):
    url = reverse("assignments:holding_delete", args=[holding.member.pk, holding.pk])
    assert manager_client.post(url).status_code == 302
    assert not RoleHolding.objects.filter(pk=holding.pk).exists()


def test_delete_holding_without_javascript_shows_a_confirmation_step(manager_client, holding):
    url = reverse("assignments:holding_delete", args=[holding.member.pk, holding.pk])
    response = manager_client.get(url)
    assertContains(response, "Delete this role holding?")
    assert RoleHolding.objects.filter(pk=holding.pk).exists()


def test_delete_holding_is_offered_with_hx_confirm_beside_end(manager_client, holding):
    page = manager_client.get(member_url(holding.member)).content.decode()
    url = reverse("assignments:holding_delete", args=[holding.member.pk, holding.pk])
    assert f'hx-post="{url}" hx-confirm=' in page
    assert "End this role" in page


def test_member_cannot_delete_their_own_holding(client, team, strategist):
    user = make_user()
    holding = make_holding(make_member(team, user=user), strategist)
    client.force_login(user)
    assert client.post(reverse("assignments:holding_delete", args=[holding.member.pk, holding.pk])).status_code == 404
    assert RoleHolding.objects.filter(pk=holding.pk).exists()


# ------------------------------------------------------------------ the member's details


def member_data(**overrides) -> dict:
    data = {
        "full_name": "Rina Hartono",
        "email": "rina@example.com",
        "job_title": "Content lead",
        "weekly_capacity_hours": "32",
        "is_active": "on",
    }
    data.update(overrides)
    return {f"member-{name}": value for name, value in data.items() if value is not None}


def edit_member(client, member, data, **headers):
    return client.post(reverse("assignments:member_edit", args=[member.pk]), data, **headers)


def test_edit_member_saves_name_job_title_and_capacity(manager_client, team):
    member = make_member(team)
    edit_member(manager_client, member, member_data())
    member.refresh_from_db()
    assert (member.full_name, member.job_title, member.weekly_capacity_hours) == ("Rina Hartono", "Content lead", 32)


def test_edit_member_with_htmx_shows_the_new_name_and_capacity(manager_client, team):
    member = make_member(team)
    response = edit_member(manager_client, member, member_data(), **HTMX)
    assertContains(response, "<h1>Rina Hartono</h1>", html=True)
    assertContains(response, "32.00 h a week")


def test_edit_member_without_javascript_redirects_back(manager_client, team):
    member = make_member(team)
    response = edit_member(manager_client, member, member_data())
    assert (response.status_code, response["Location"]) == (302, member_url(member))


def test_edit_member_unticking_active_deactivates_them(manager_client, team):
    member = make_member(team)
    edit_member(manager_client, member, member_data(is_active=None))
    member.refresh_from_db()
    assert member.is_active is False


def test_edit_member_capacity_above_168_shows_the_error_beside_capacity(manager_client, team):
    member = make_member(team)
    response = edit_member(manager_client, member, member_data(weekly_capacity_hours="200"))
    assert response.status_code == 400
    assert list(response.context["member_form"].errors) == ["weekly_capacity_hours"]


def test_edit_member_with_another_members_email_shows_the_error_beside_the_email(manager_client, team):
    make_member(team, email="taken@example.com")
    member = make_member(team)
    response = edit_member(manager_client, member, member_data(email="TAKEN@example.com"), **HTMX)
    assert response.context["member_form"].errors == {"email": ["A member with this email already exists."]}


def test_edit_member_refused_keeps_the_saved_name_in_the_heading(manager_client, team):
    member = make_member(team, full_name="Sari")
    response = edit_member(manager_client, member, member_data(weekly_capacity_hours="-1"), **HTMX)
    assertContains(response, "<h1>Sari</h1>", html=True)


def test_reactivating_a_member_whose_task_was_handed_over_shows_the_error_beside_active(
    manager_client, team, specialist
):
    member = make_member(team, is_active=False)
    task = make_task(team, specialist)
    make_assignment(task, member, share_percent=50)
    make_assignment(task, make_member(team), share_percent=100)
    response = edit_member(manager_client, member, member_data(email=member.email))
    assert response.status_code == 400
    assert list(response.context["member_form"].errors) == ["is_active"]
    member.refresh_from_db()
    assert member.is_active is False


def test_member_cannot_edit_their_own_details(client, team):
    user = make_user()
    member = make_member(team, user=user, weekly_capacity_hours=40)
    client.force_login(user)
    assert edit_member(client, member, member_data()).status_code == 404
    member.refresh_from_db()
    assert member.weekly_capacity_hours == 40


def test_member_page_edit_form_shows_the_saved_details(manager_client, team):
    member = make_member(team, full_name="Sari", weekly_capacity_hours=24)
    response = manager_client.get(reverse("assignments:member_edit_form", args=[member.pk]), HTTP_HX_REQUEST="true")
    form = response.context["form"]
    assert (form["full_name"].value(), form["weekly_capacity_hours"].value()) == ("Sari", 24)


# ------------------------------------------------------------------ queries


def grow_person(member, role, monday, first, last):
    """More of the person's own rows: time off (each with its edit form), tasks and ended holdings."""
    for index in range(first, last):
        start = monday + datetime.timedelta(weeks=3 * index + 1)
        make_time_off(member, start, start + datetime.timedelta(days=1))
        make_assignment(make_task(member.team, role, cadence="weekly", start_date=monday), member, share_percent=10)
        past = datetime.date(2020, 1, 1) + datetime.timedelta(weeks=4 * index)
        make_holding(member, role, start_date=past, end_date=past + datetime.timedelta(days=7))


def test_member_page_query_count_does_not_grow_with_the_persons_rows(
    manager_client, team, specialist, strategist, this_monday
):
    member = make_member(team)
    strategist.responsibilities.create(title="Set the quarter's goals")
    url = member_url(member)
    grow_person(member, strategist, this_monday, 0, 2)
    with CaptureQueriesContext(connection) as small:
        manager_client.get(url)
    grow_person(member, strategist, this_monday, 2, 10)
    with CaptureQueriesContext(connection) as large:
        manager_client.get(url)
    assert len(large) == len(small)


# ------------------------------------------------------------------ never a 500


@pytest.mark.parametrize(
    "values",
    [
        {"start": "2026-02-30", "end": "2026-12-18"},
        {"start": "10000-01-01", "end": "10000-01-02"},
        {"start": "1899-12-31", "end": "2026-12-18"},
        {"start": "", "end": ""},
        {"start": "2026-12-14", "end": "2026-12-18", "reason": "x" * 201},
    ],
    ids=["no-such-day", "year-10000", "before-1900", "empty", "reason-too-long"],
)
def test_edit_time_off_with_bad_values_answers_400_with_the_errors(manager_client, leave, values):
    data = edit_data(leave, values["start"], values["end"], values.get("reason", "Leave"))
    response = manager_client.post(time_off_url("time_off_edit", leave), data)
    assert response.status_code == 400
    leave.refresh_from_db()
    assert (leave.start_date, leave.end_date) == (datetime.date(2026, 12, 14), datetime.date(2026, 12, 18))


@pytest.mark.parametrize("capacity", ["NaN", "Infinity", "1e400", "-0.01", "168.001", "abc"])
def test_edit_member_with_a_bad_capacity_answers_400_beside_capacity(manager_client, team, capacity):
    member = make_member(team)
    response = edit_member(manager_client, member, member_data(weekly_capacity_hours=capacity))
    assert response.status_code == 400
    assert "weekly_capacity_hours" in response.context["member_form"].errors


def test_edit_time_off_deleted_meanwhile_is_not_found(manager_client, leave, monkeypatch):
    def deleted_meanwhile(**_arguments):
        raise TimeOff.DoesNotExist

    monkeypatch.setattr("assignments.views.member.time_off_update", deleted_meanwhile)
    data = edit_data(leave, "2026-12-21", "2026-12-23")
    assert manager_client.post(time_off_url("time_off_edit", leave), data).status_code == 404


def test_edit_member_deleted_meanwhile_is_not_found(manager_client, team, monkeypatch):
    member = make_member(team)

    def deleted_meanwhile(**_arguments):
        raise type(member).DoesNotExist

    monkeypatch.setattr("assignments.views.member.member_update", deleted_meanwhile)
    assert edit_member(manager_client, member, member_data()).status_code == 404


def test_member_page_and_overview_agree_that_a_dual_role_is_acknowledged(manager_client, team, this_monday):
    """Acknowledged on the overview for its weeks: the member page, which links there, says the same."""
    ayu = make_member(team, full_name="Ayu")
    make_holding(ayu, make_role(Role.Focus.OPERATIONAL))
    make_holding(ayu, make_role(Role.Focus.STRATEGIC))
    last_day_shown = this_monday + datetime.timedelta(weeks=OVERVIEW_WEEKS, days=-1)  # the overview's last day
    DualRoleAcknowledgement.objects.create(member=ayu, valid_until=last_day_shown)
    overview = manager_client.get(reverse("assignments:team_overview", args=[team.slug]))
    assert "Acknowledged by a manager." in overview.content.decode()
    assertContains(manager_client.get(member_url(ayu)), "Acknowledged by a manager.")


# ------------------------------------------------------------------ folded forms


def test_member_page_folds_its_forms_and_fetches_each_when_opened(manager_client, rina):
    leave = rina.time_off.get()
    page = manager_client.get(member_url(rina)).content.decode()
    assert 'name="member-full_name"' not in page and 'name="holding-role"' not in page  # no form rendered
    for name, args in [
        ("member_edit_form", [rina.pk]),
        ("holding_add_form", [rina.pk]),
        ("time_off_add_form", [rina.pk]),
        ("time_off_edit_form", [rina.pk, leave.pk]),
    ]:
        url = reverse(f"assignments:{name}", args=args)
        assert f'hx-get="{url}" hx-trigger="toggle once"' in page  # htmx fetches it when opened
        assert f'href="{url}"' in page  # without JavaScript, a link to a page with it


@pytest.mark.parametrize("htmx", [True, False], ids=["fragment", "page"])
def test_a_folded_form_posts_to_its_action(manager_client, rina, htmx):
    url = reverse("assignments:time_off_add_form", args=[rina.pk])
    response = manager_client.get(url, **(HTMX if htmx else {}))
    action = reverse("assignments:time_off_add", args=[rina.pk])
    assertContains(response, f'action="{action}"')
    assertContains(response, 'name="off-start_date"')
    assert (f'hx-post="{action}"' in response.content.decode()) is htmx  # without JavaScript a plain post
    if not htmx:
        assertContains(response, "<h1>Record time off</h1>", html=True)


def test_the_time_off_form_shows_its_saved_dates(manager_client, rina):
    leave = rina.time_off.get()
    url = reverse("assignments:time_off_edit_form", args=[rina.pk, leave.pk])
    form = manager_client.get(url, **HTMX).context["form"]
    assert form["start_date"].value() == leave.start_date


def test_a_failed_post_shows_its_form_open_with_the_errors(manager_client, rina):
    url = reverse("assignments:time_off_add", args=[rina.pk])
    response = manager_client.post(url, {"off-start_date": "2026-12-10", "off-end_date": "2026-12-01"}, **HTMX)
    page = response.content.decode()
    assert 'name="off-start_date"' in page and 'value="2026-12-10"' in page
    assert "The end date must be on or after the start date." in page
    assert 'hx-get="{}"'.format(reverse("assignments:time_off_add_form", args=[rina.pk])) not in page  # open
