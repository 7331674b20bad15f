"""The assignment board: columns, filters, pages, and the writes on its cards (htmx and plain posts)."""

import datetime
import re
from decimal import Decimal

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from assignments.models import Assignment, Task
from tests.factories import make_assignment, make_member, make_task, make_team
from tests.views.helpers import HTMX, board_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def board_task(team, specialist, this_monday):
    return make_task(team, specialist, title="Reply to DMs", cadence="daily", effort_hours=2, start_date=this_monday)


def card_titles(column) -> list[str]:
    return [card.task.title for card in column.cards]


def the_card(response, task):
    """The card of ``task`` in a response: the card fragment (htmx) or the whole board (plain post)."""
    if "card" in response.context:
        return response.context["card"]
    columns = response.context["columns"]
    return next(card for column in columns for card in column.cards if card.task.pk == task.pk)


# ------------------------------------------------------------------ columns, filters and pages


@pytest.fixture
def strategy_task(team, strategist, this_monday):
    return make_task(
        team, strategist, title="Q1 strategy", cadence="once", start_date=this_monday, end_date=this_monday
    )


def test_board_puts_tasks_in_the_column_of_their_focus(manager_client, board_task, strategy_task):
    columns = manager_client.get(board_url("team_board")).context["columns"]
    assert (card_titles(columns.operational), card_titles(columns.strategic)) == (["Reply to DMs"], ["Q1 strategy"])


def test_board_shows_the_operational_column_before_the_strategic_one(manager_client, board_task, strategy_task):
    page = manager_client.get(board_url("team_board")).content.decode()
    assert page.index("Reply to DMs") < page.index('id="strategic-title"') < page.index("Q1 strategy")


def test_board_leaves_archived_tasks_out_of_the_columns(manager_client, team, specialist, board_task):
    make_task(team, specialist, title="Old thing", is_active=False)
    columns = manager_client.get(board_url("team_board")).context["columns"]
    assert card_titles(columns.operational) == ["Reply to DMs"]


def test_board_filters_by_focus(manager_client, board_task, strategy_task):
    response = manager_client.get(board_url("team_board"), {"focus": "strategic"})
    assertContains(response, "Q1 strategy")
    assertNotContains(response, "Reply to DMs")


def test_board_filters_combine(manager_client, board_task, strategy_task):
    response = manager_client.get(board_url("team_board"), {"unassigned": "on", "channel": "instagram"})
    assertNotContains(response, "Q1 strategy")  # not fully assigned, but it has no channel


@pytest.fixture
def thirty_six_tiktok_tasks(team, specialist, strategist, this_monday):
    for number in range(35):
        make_task(team, specialist, title=f"Task {number:02d}", channel="tiktok", start_date=this_monday)
    make_task(team, strategist, title="Strategy", channel="tiktok", start_date=this_monday)


def test_board_shows_thirty_tasks_of_each_column_a_page(manager_client, thirty_six_tiktok_tasks):
    response = manager_client.get(board_url("team_board"), {"channel": "tiktok"})
    columns = response.context["columns"]
    assert (len(columns.operational.cards), card_titles(columns.strategic)) == (30, ["Strategy"])
    assertContains(response, "Tasks 1–30 of 35")
    assertContains(response, "Page 1 of 2")


def test_board_page_links_keep_the_filters(manager_client, thirty_six_tiktok_tasks):
    assertContains(manager_client.get(board_url("team_board"), {"channel": "tiktok"}), "?channel=tiktok&amp;page=2")


def test_board_last_page_shows_the_rest_of_the_longer_column(manager_client, thirty_six_tiktok_tasks):
    response = manager_client.get(board_url("team_board"), {"channel": "tiktok", "page": 2})
    columns = response.context["columns"]
    assert card_titles(columns.operational) == [f"Task {number}" for number in range(30, 35)]
    assert card_titles(columns.strategic) == []


def test_board_page_past_the_shorter_column_says_where_its_tasks_are(manager_client, thirty_six_tiktok_tasks):
    response = manager_client.get(board_url("team_board"), {"channel": "tiktok", "page": 2})
    assertContains(response, "The tasks of this column end on page 1.")
    assertNotContains(response, "No strategic tasks match.")


def test_board_page_beyond_the_last_shows_the_last(manager_client, thirty_six_tiktok_tasks):
    response = manager_client.get(board_url("team_board"), {"channel": "tiktok", "page": 99})
    assert response.context["summary"].pages.number == 2


def test_board_renders_the_member_options_once_for_every_card(manager_client, team, board_task, strategy_task):
    make_member(team, full_name="Sari")
    columns = manager_client.get(board_url("team_board")).context["columns"]
    first, second = columns.operational.cards[0], columns.strategic.cards[0]
    assert first.member_options is second.member_options
    assert ">Sari</option>" in first.member_options


# ------------------------------------------------------------------ assigning


def assign(client, task, member, share_percent, **headers):
    data = {f"assign-{task.pk}-member": member.pk, f"assign-{task.pk}-share_percent": share_percent}
    return client.post(board_url("assign", task.pk), data, **headers)


def test_assign_with_htmx_returns_the_card(manager_client, team, board_task):
    response = assign(manager_client, board_task, make_member(team), 50, **HTMX)
    assert response.status_code == 200
    card = f'<article class="task-card task-card--operational" id="task-{board_task.pk}"'
    assert response.content.decode().lstrip().startswith(card)
    assertContains(response, "50 % assigned")


def test_assign_with_htmx_updates_the_assignees_badge_out_of_band_and_no_one_elses(manager_client, team, board_task):
    bystander = make_member(team)
    make_assignment(board_task, bystander, share_percent=10)
    member = make_member(team)
    response = assign(manager_client, board_task, member, 50, **HTMX)
    assertContains(response, f'<li class="load" id="load-{member.pk}" hx-swap-oob="true">')
    # this week, from its Monday: 5 working days × 2 h × 50 %
    assertContains(response, "<span data-hours>5.00</span>")
    assertNotContains(response, 'id="team-loads"')  # not the whole panel
    assertNotContains(response, f'id="load-{bystander.pk}"')
    assert [badge.member.id for badge, _ in response.context["badges"]] == [member.pk]


def test_assign_adds_the_badge_the_load_panel_lacks(manager_client, team, board_task, strategy_task):
    """The assign requests send the panel's member ids (``loads``): someone not among them is added to it."""
    shown = make_member(team)
    make_assignment(strategy_task, shown)
    member = make_member(team)
    data = {
        f"assign-{board_task.pk}-member": member.pk,
        f"assign-{board_task.pk}-share_percent": 50,
        "loads": ["", str(shown.pk)],
    }
    response = manager_client.post(board_url("assign", board_task.pk), data, **HTMX)
    added = f'<ul hx-swap-oob="beforeend:#loads-list">\\s*<li class="load" id="load-{member.pk}">'
    assert re.search(added, response.content.decode())
    assertNotContains(response, f'id="load-{member.pk}" hx-swap-oob')
    # already on the panel: replaced in place
    data["loads"].append(str(member.pk))
    other = make_task(team, board_task.role, title="Publish reels")
    data = {f"assign-{other.pk}-member": member.pk, f"assign-{other.pk}-share_percent": 50, "loads": data["loads"]}
    response = manager_client.post(board_url("assign", other.pk), data, **HTMX)
    assertContains(response, f'<li class="load" id="load-{member.pk}" hx-swap-oob="true">')
    assertNotContains(response, "beforeend:#loads-list")


def test_assign_records_who_assigned(manager_client, team, board_task):
    assign(manager_client, board_task, make_member(team), 50, **HTMX)
    assert Assignment.objects.get().assigned_by.username == "boss"


def test_assign_without_javascript_redirects_back_to_the_card(manager_client, team, board_task):
    response = assign(manager_client, board_task, make_member(team), 100)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#task-{board_task.pk}")


def test_assign_more_than_is_left_is_refused(manager_client, team, board_task):
    make_assignment(board_task, make_member(team), share_percent=70)
    assign(manager_client, board_task, make_member(team), 40, **HTMX)
    assert Assignment.objects.count() == 1


def test_assign_more_than_is_left_shows_the_error_beside_the_share(manager_client, team, board_task):
    make_assignment(board_task, make_member(team), share_percent=70)
    response = assign(manager_client, board_task, make_member(team), 40, **HTMX)
    assert response.status_code == 200
    message = "Only 30 % of this task is left to assign."
    assert the_card(response, board_task).assign_form.errors == {"share_percent": [message]}
    error_list = f'<ul class="errorlist" id="id_assign-{board_task.pk}-share_percent_error"><li>{message}</li></ul>'
    assertContains(response, error_list, html=True)


def test_assign_a_member_of_another_team_without_javascript_shows_the_board_with_the_error(manager_client, board_task):
    response = assign(manager_client, board_task, make_member(make_team()), 10)
    assert response.status_code == 400  # plain post: the whole board, with the error on the card
    errors = the_card(response, board_task).assign_form.errors["member"]
    assert errors[0].startswith("Select a valid choice")
    assertContains(response, "Select a valid choice", status_code=400)


def test_assign_a_member_of_another_team_is_refused(manager_client, board_task):
    assign(manager_client, board_task, make_member(make_team()), 10)
    assert not Assignment.objects.exists()


# ------------------------------------------------------------------ changing a share, removing an assignee


@pytest.fixture
def two_assignees(team, board_task):
    """40 % and 50 % of the task assigned."""
    first = make_assignment(board_task, make_member(team), share_percent=40)
    make_assignment(board_task, make_member(team), share_percent=50)
    return first


def change_share(client, assignment, share_percent, **headers):
    data = {f"share-{assignment.pk}-share_percent": share_percent}
    return client.post(board_url("assignment_share", assignment.pk), data, **headers)


def test_share_beyond_what_is_left_shows_the_error_on_that_assignee(manager_client, board_task, two_assignees):
    response = change_share(manager_client, two_assignees, 60, **HTMX)
    row = next(row for row in the_card(response, board_task).assignees if row.assignment.pk == two_assignees.pk)
    assert row.share_form.errors == {"share_percent": ["Only 50 % of this task is left to assign."]}
    assertContains(response, "Only 50 % of this task is left to assign.")


def test_share_beyond_what_is_left_changes_nothing(manager_client, two_assignees):
    change_share(manager_client, two_assignees, 60, **HTMX)
    two_assignees.refresh_from_db()
    assert two_assignees.share_percent == 40


def test_share_change_is_saved(manager_client, two_assignees):
    change_share(manager_client, two_assignees, 50, **HTMX)
    two_assignees.refresh_from_db()
    assert two_assignees.share_percent == 50


def test_remove_with_htmx_returns_the_card_with_the_share_left(manager_client, two_assignees):
    response = manager_client.post(board_url("assignment_remove", two_assignees.pk), **HTMX)
    assertContains(response, "50 % assigned")


def test_remove_deletes_the_assignment(manager_client, two_assignees):
    manager_client.post(board_url("assignment_remove", two_assignees.pk), **HTMX)
    assert not Assignment.objects.filter(pk=two_assignees.pk).exists()


# ------------------------------------------------------------------ creating, editing and archiving tasks


@pytest.fixture
def new_task(specialist):
    """A one-off task without its (required) end date."""
    return {
        "new-title": "Launch campaign",
        "new-role": specialist.pk,
        "new-channel": "tiktok",
        "new-cadence": "once",
        "new-effort_hours": "8",
        "new-start_date": "2026-12-01",
        "new-end_date": "",
        "new-description": "",
    }


def test_create_task_with_errors_returns_the_new_task_panel(manager_client, new_task):
    response = manager_client.post(board_url("task_new"), new_task, **HTMX)
    assert response.content.decode().lstrip().startswith('<section class="panel" id="new-task"')


def test_create_task_with_errors_shows_them_beside_the_field(manager_client, new_task):
    response = manager_client.post(board_url("task_new"), new_task, **HTMX)
    message = "A one-off task needs an end date."
    assert response.context["task_form"].errors == {"end_date": [message]}
    assertContains(response, f'<ul class="errorlist" id="id_new-end_date_error"><li>{message}</li></ul>', html=True)


def test_create_task_with_errors_creates_nothing(manager_client, new_task):
    manager_client.post(board_url("task_new"), new_task, **HTMX)
    assert not Task.objects.exists()


def test_create_task_with_htmx_sends_the_browser_to_the_new_card(manager_client, new_task):
    response = manager_client.post(board_url("task_new"), new_task | {"new-end_date": "2026-12-05"}, **HTMX)
    assert response["HX-Redirect"].endswith(f"#task-{Task.objects.get().pk}")


def test_create_task_saves_it_in_the_team(manager_client, team, new_task):
    manager_client.post(board_url("task_new"), new_task | {"new-end_date": "2026-12-05"}, **HTMX)
    task = Task.objects.get()
    assert (task.team, task.effort_hours) == (team, Decimal("8"))


def test_create_task_with_a_title_the_team_has_is_refused_beside_the_title(manager_client, new_task):
    data = new_task | {"new-end_date": "2026-12-05"}
    manager_client.post(board_url("task_new"), data, **HTMX)
    response = manager_client.post(board_url("task_new"), data)
    assert response.status_code == 400
    assert response.context["task_form"].errors == {"title": ["This team already has a task with this title."]}


@pytest.fixture
def edit(board_task):
    """The edit form's data for ``board_task``, with an end date before its start."""
    prefix = f"edit-{board_task.pk}"
    return {
        f"{prefix}-title": "Reply to comments",
        f"{prefix}-role": board_task.role_id,
        f"{prefix}-channel": "instagram",
        f"{prefix}-cadence": "daily",
        f"{prefix}-effort_hours": "1.5",
        f"{prefix}-start_date": board_task.start_date.isoformat(),
        f"{prefix}-end_date": (board_task.start_date - datetime.timedelta(days=1)).isoformat(),
        f"{prefix}-description": "",
    }


def test_edit_task_with_errors_shows_them_on_the_card(manager_client, board_task, edit):
    response = manager_client.post(board_url("task_edit", board_task.pk), edit, **HTMX)
    errors = the_card(response, board_task).edit_form.errors
    assert errors == {"end_date": ["The end date must be on or after the start date."]}


def test_edit_task_with_errors_keeps_the_saved_task_on_the_card(manager_client, board_task, edit):
    response = manager_client.post(board_url("task_edit", board_task.pk), edit, **HTMX)
    assert the_card(response, board_task).task.title == "Reply to DMs"
    board_task.refresh_from_db()
    assert board_task.title == "Reply to DMs"


def test_edit_task_saves_the_changes(manager_client, board_task, edit):
    manager_client.post(board_url("task_edit", board_task.pk), edit | {f"edit-{board_task.pk}-end_date": ""}, **HTMX)
    board_task.refresh_from_db()
    assert (board_task.title, board_task.effort_hours) == ("Reply to comments", Decimal("1.50"))


def test_archive_with_htmx_puts_a_restore_note_in_place_of_the_card_and_updates_the_badges(
    manager_client, team, board_task
):
    member = make_member(team)
    make_assignment(board_task, member, share_percent=50)
    response = manager_client.post(board_url("task_archive", board_task.pk), **HTMX)
    assert response.context["card"] is None
    assertContains(response, "Task “Reply to DMs” archived.")
    assertContains(response, f'hx-post="{board_url("task_restore", board_task.pk)}?page=1"')
    assertContains(response, f'<li class="load" id="load-{member.pk}" hx-swap-oob="true">')
    assertContains(response, "<span data-hours>0.00</span>")  # the archived task counts nowhere


def test_archive_keeps_the_task_inactive(manager_client, board_task):
    manager_client.post(board_url("task_archive", board_task.pk), **HTMX)
    board_task.refresh_from_db()
    assert not board_task.is_active


# ------------------------------------------------------------------ another team's tasks


@pytest.fixture
def foreign_assignment(specialist):
    foreign = make_task(make_team(), specialist)
    return make_assignment(foreign, make_member(foreign.team))


def test_archiving_another_teams_task_is_404_and_changes_nothing(manager_client, foreign_assignment):
    assert manager_client.post(board_url("task_archive", foreign_assignment.task.pk)).status_code == 404
    foreign_assignment.task.refresh_from_db()
    assert foreign_assignment.task.is_active


def test_removing_from_another_teams_task_is_404_and_changes_nothing(manager_client, foreign_assignment):
    assert manager_client.post(board_url("assignment_remove", foreign_assignment.pk)).status_code == 404
    assert Assignment.objects.filter(pk=foreign_assignment.pk).exists()
