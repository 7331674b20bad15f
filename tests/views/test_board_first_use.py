"""Issue 10, the board after first use: pages that show both columns and land on the card, undo for
everyday mistakes (restore an archived task, confirm before removing), inactive assignees not counted.

Each test is named after the behaviour that failed before the fix.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from assignments import selectors
from assignments.models import Assignment, Task
from assignments.selectors.board import BOARD_PAGE_SIZE
from tests.factories import make_assignment, make_member, make_role, make_task
from tests.views.helpers import HTMX, board_url

pytestmark = pytest.mark.django_db


def card_titles(column) -> list[str]:
    return [card.task.title for card in column.cards]


@pytest.fixture
def long_board(team, specialist, strategist, this_monday):
    """35 operational tasks (a page and five more) and two strategic ones; returns the last operational task."""
    for number in range(34):
        make_task(team, specialist, title=f"Post {number:02d}", channel="tiktok", start_date=this_monday)
    for title in ["KPI review", "Q1 strategy"]:
        make_task(team, strategist, title=title, start_date=this_monday)
    return make_task(team, specialist, title="Post 34", channel="tiktok", start_date=this_monday)


# ------------------------------------------------------------------ item 11: pages


def test_board_first_page_shows_the_strategic_tasks_when_operational_ones_fill_a_page(manager_client, long_board):
    response = manager_client.get(board_url("team_board"))
    assert card_titles(response.context["columns"].strategic) == ["KPI review", "Q1 strategy"]
    assertNotContains(response, "No strategic tasks match.")


def test_board_column_counts_cover_every_page_not_only_this_one(manager_client, long_board):
    columns = manager_client.get(board_url("team_board")).context["columns"]
    assert (columns.operational.head.count, columns.strategic.head.count) == (35, 2)
    assert len(columns.operational.cards) == BOARD_PAGE_SIZE


def test_board_column_counts_follow_the_filters(manager_client, long_board):
    columns = manager_client.get(board_url("team_board"), {"channel": "tiktok"}).context["columns"]
    assert (columns.operational.head.count, columns.strategic.head.count) == (35, 0)


def test_board_counts_and_pages_run_in_a_fixed_number_of_queries(manager_client, long_board):
    """One query counts both columns (and the archived tasks), one ranks the page's tasks, one lists the archive."""

    def queries(page):
        with CaptureQueriesContext(connection) as captured:
            manager_client.get(board_url("team_board"), {"page": page})
        return len(captured)

    assert queries(1) == queries(2)


def grow_board(team, operational, strategic, size):
    """``size`` more tasks of each focus, each with an active and an inactive assignee, and ``size`` archived ones."""
    for _ in range(size):
        for role in (operational, strategic):
            task = make_task(team, role)
            make_assignment(task, make_member(team), share_percent=40)
            make_assignment(task, make_member(team, is_active=False), share_percent=40)
        make_assignment(make_task(team, operational, is_active=False), make_member(team))


@pytest.mark.parametrize("page", [1, 2])
def test_board_query_count_does_not_grow_with_pages_archive_or_leavers(
    manager_client, team, specialist, strategist, page
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert manager_client.get(board_url("team_board"), {"page": page}).status_code == 200
        return len(captured)

    grow_board(team, specialist, strategist, 3)
    small = queries()
    grow_board(team, specialist, strategist, 2 * BOARD_PAGE_SIZE)
    assert queries() == small


def assign(client, task, member, share_percent, query="", **headers):
    data = {f"assign-{task.pk}-member": member.pk, f"assign-{task.pk}-share_percent": share_percent}
    return client.post(board_url("assign", task.pk) + query, data, **headers)


def test_plain_post_with_an_error_on_a_page_two_card_shows_page_two_with_the_card_and_its_error(
    manager_client, team, long_board
):
    make_assignment(long_board, make_member(team), share_percent=70)
    response = assign(manager_client, long_board, make_member(team), 40, "?page=2")
    assert response.status_code == 400
    assert response.context["summary"].pages.number == 2
    card = next(card for card in response.context["columns"].operational.cards if card.task.pk == long_board.pk)
    assert card.assign_form.errors == {"share_percent": ["Only 30 % of this task is left to assign."]}
    assertContains(response, "Only 30 % of this task is left to assign.", status_code=400)


def test_plain_post_with_an_error_finds_the_cards_page_even_when_posted_from_page_one(manager_client, team, long_board):
    make_assignment(long_board, make_member(team), share_percent=70)
    response = assign(manager_client, long_board, make_member(team), 40)
    assert response.context["summary"].pages.number == 2


def test_plain_post_success_lands_on_the_page_of_the_card(manager_client, team, long_board):
    response = assign(manager_client, long_board, make_member(team), 50)
    assert response["Location"] == f"{board_url('team_board')}?page=2#task-{long_board.pk}"


def test_plain_post_success_keeps_the_boards_filters(manager_client, team, long_board):
    response = assign(manager_client, long_board, make_member(team), 50, "?channel=tiktok&page=2")
    assert response["Location"] == f"{board_url('team_board')}?channel=tiktok&page=2#task-{long_board.pk}"


def test_plain_post_that_takes_the_task_out_of_the_filter_lands_on_its_page_without_the_filter(
    manager_client, team, long_board
):
    response = assign(manager_client, long_board, make_member(team), 100, "?unassigned=on")
    assert response["Location"] == f"{board_url('team_board')}?page=2#task-{long_board.pk}"


def test_plain_post_error_page_links_its_pages_to_the_board_not_to_the_post_url(manager_client, team, long_board):
    make_assignment(long_board, make_member(team), share_percent=70)
    response = assign(manager_client, long_board, make_member(team), 40)
    assertContains(response, f'href="{board_url("team_board")}?page=1"', status_code=400)


def test_new_task_without_javascript_lands_on_its_page(manager_client, long_board, specialist):
    data = {
        "new-title": "Post 99",
        "new-role": specialist.pk,
        "new-cadence": "daily",
        "new-effort_hours": "1",
        "new-start_date": "2026-12-01",
    }
    response = manager_client.post(board_url("task_new"), data)
    assert response["Location"] == f"{board_url('team_board')}?page=2#task-{Task.objects.get(title='Post 99').pk}"


def test_new_task_with_htmx_sends_the_browser_to_its_page(manager_client, long_board, specialist):
    data = {
        "new-title": "Post 99",
        "new-role": specialist.pk,
        "new-cadence": "daily",
        "new-effort_hours": "1",
        "new-start_date": "2026-12-01",
    }
    response = manager_client.post(board_url("task_new"), data, **HTMX)
    assert response["HX-Redirect"] == f"{board_url('team_board')}?page=2#task-{Task.objects.get(title='Post 99').pk}"


def test_board_link_to_a_task_leads_to_the_page_of_its_card(manager_client, long_board):
    """``?task=ID`` (the "fix it" pages link a task's card so) redirects to the page that shows the card."""
    response = manager_client.get(board_url("team_board"), {"task": long_board.pk})
    assert response["Location"] == f"{board_url('team_board')}?page=2#task-{long_board.pk}"


def test_board_link_to_a_task_that_is_no_longer_active_opens_the_board(manager_client, team, specialist):
    archived = make_task(team, specialist, is_active=False)
    response = manager_client.get(board_url("team_board"), {"task": archived.pk})
    assert response["Location"] == board_url("team_board")


@pytest.mark.parametrize("task", ["abc", "-1", "١", "9" * 30])
def test_board_link_to_a_task_that_is_no_number_shows_the_board(manager_client, task):
    assert manager_client.get(board_url("team_board"), {"task": task}).status_code == 200


def test_task_page_lookup_agrees_with_the_boards_order_whatever_the_titles(manager_client, team, specialist):
    """Upper and lower case, accents and digits sort as the database sorts them, on both pages."""
    second = make_role(name="Another role", slug="another", position=specialist.position)
    words = ["apple", "Banana", "éclair", "Zebra", "zulu", "10 posts", "9 posts", "_under", "Äpfel", "mango"]
    for number in range(2 * BOARD_PAGE_SIZE + 4):
        make_task(team, specialist if number % 3 else second, title=f"{words[number % 10]} {number}")
    shown = {}
    for page in (1, 2, 3):
        response = manager_client.get(board_url("team_board"), {"page": page})
        shown |= {card.task.pk: page for card in response.context["columns"].operational.cards}
    assert len(shown) == 2 * BOARD_PAGE_SIZE + 4
    for task_id, page in shown.items():
        assert selectors.board_place(team=team, task_id=task_id, filters={}).page == page


# ------------------------------------------------------------------ item 17: undo


@pytest.fixture
def archived_task(team, specialist, this_monday):
    task = make_task(team, specialist, title="Old campaign", start_date=this_monday, is_active=False)
    make_assignment(task, make_member(team, full_name="Sari"), share_percent=60)
    return task


def test_board_lists_the_archived_tasks_with_a_restore_button(manager_client, archived_task):
    response = manager_client.get(board_url("team_board"))
    assertContains(response, "Archived tasks")
    assertContains(response, f'action="{board_url("task_restore", archived_task.pk)}?page=1"')
    assert response.context["summary"].archived.tasks == [archived_task]


def test_restore_without_javascript_brings_the_task_back_and_lands_on_its_card(manager_client, archived_task):
    response = manager_client.post(board_url("task_restore", archived_task.pk))
    archived_task.refresh_from_db()
    assert archived_task.is_active
    assert response["Location"] == f"{board_url('team_board')}?page=1#task-{archived_task.pk}"


def test_restore_keeps_the_assignees(manager_client, archived_task):
    manager_client.post(board_url("task_restore", archived_task.pk))
    response = manager_client.get(board_url("team_board"))
    assert response.context["columns"].operational.cards[0].assigned_share == 60


def test_restore_with_htmx_from_the_archived_list_sends_the_browser_to_the_card(manager_client, archived_task):
    headers = HTMX | {"HTTP_HX_TARGET": f"archived-task-{archived_task.pk}"}
    response = manager_client.post(board_url("task_restore", archived_task.pk), **headers)
    assert response["HX-Redirect"] == f"{board_url('team_board')}?page=1#task-{archived_task.pk}"


def test_archive_then_restore_with_htmx_gives_the_card_back_in_place(manager_client, team, specialist):
    task = make_task(team, specialist, title="Reply to DMs")
    manager_client.post(board_url("task_archive", task.pk), **HTMX)
    response = manager_client.post(board_url("task_restore", task.pk), **(HTMX | {"HTTP_HX_TARGET": f"task-{task.pk}"}))
    assert response.context["card"].task == task
    assert (
        response.content.decode()
        .lstrip()
        .startswith(f'<article class="task-card task-card--operational" id="task-{task.pk}"')
    )
    assertContains(response, 'id="archived-tasks" hx-swap-oob="true"')  # the archive list loses it


def test_archive_with_htmx_updates_the_column_count_and_the_archived_list(manager_client, team, specialist):
    task = make_task(team, specialist, title="Reply to DMs")
    make_task(team, specialist, title="Publish reels")
    response = manager_client.post(board_url("task_archive", task.pk), **HTMX)
    assert response.context["summary"].operational.count == 1
    assertContains(response, 'id="operational-head" hx-swap-oob="true"')
    assertContains(response, f'id="archived-task-{task.pk}"')


def test_restore_of_another_teams_task_is_404(manager_client, specialist):
    foreign = make_task(role=specialist, is_active=False)
    assert manager_client.post(board_url("task_restore", foreign.pk)).status_code == 404
    foreign.refresh_from_db()
    assert not foreign.is_active


@pytest.fixture
def assignment(team, specialist):
    task = make_task(team, specialist, title="Reply to DMs")
    return make_assignment(task, make_member(team, full_name="Dewi"), share_percent=50)


def test_remove_button_asks_before_removing_with_htmx(manager_client, assignment):
    response = manager_client.get(board_url("team_board"))
    assertContains(response, 'hx-confirm="Remove Dewi from “Reply to DMs”?"')


def test_remove_button_without_javascript_leads_to_a_confirmation_not_a_removal(manager_client, assignment):
    response = manager_client.get(board_url("team_board"))
    remove = board_url("assignment_remove", assignment.pk)
    assertNotContains(response, f'<form method="post" action="{remove}')
    assertContains(response, f'<form method="get" action="{remove}"')


def test_remove_confirmation_page_asks_and_changes_nothing(manager_client, assignment):
    response = manager_client.get(board_url("assignment_remove", assignment.pk))
    assertContains(response, "Remove Dewi from “Reply to DMs”?")
    assertContains(response, f'<form method="post" action="{board_url("assignment_remove", assignment.pk)}?page=1"')
    assertContains(response, f'href="{board_url("team_board")}?page=1#task-{assignment.task_id}"')  # cancel
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_remove_confirmed_without_javascript_removes_and_lands_on_the_card(manager_client, assignment):
    response = manager_client.post(board_url("assignment_remove", assignment.pk))
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert response["Location"] == f"{board_url('team_board')}?page=1#task-{assignment.task_id}"


# ------------------------------------------------------------------ item 5: inactive assignees


@pytest.fixture
def half_held_by_a_leaver(team, specialist):
    """A task 50 % held by an active member and 50 % by one who left."""
    task = make_task(team, specialist, title="Reply to DMs")
    make_assignment(task, make_member(team, full_name="Dewi"), share_percent=50)
    leaver = make_assignment(task, make_member(team, full_name="Lena", is_active=False), share_percent=50)
    return leaver


def test_inactive_assignee_gets_no_share_form_only_remove(manager_client, half_held_by_a_leaver):
    response = manager_client.get(board_url("team_board"))
    assertNotContains(response, f'name="share-{half_held_by_a_leaver.pk}-share_percent"')
    assertNotContains(response, board_url("assignment_share", half_held_by_a_leaver.pk))
    assertContains(response, f'<form method="get" action="{board_url("assignment_remove", half_held_by_a_leaver.pk)}"')


def test_inactive_assignee_is_shown_as_not_counted(manager_client, half_held_by_a_leaver):
    assertContains(manager_client.get(board_url("team_board")), "inactive: not counted")


def test_task_half_held_by_an_inactive_member_shows_50_percent_assigned(manager_client, half_held_by_a_leaver):
    assertContains(manager_client.get(board_url("team_board")), "50 % assigned")


def test_task_half_held_by_an_inactive_member_is_not_fully_assigned(manager_client, half_held_by_a_leaver):
    response = manager_client.get(board_url("team_board"), {"unassigned": "on"})
    assert card_titles(response.context["columns"].operational) == ["Reply to DMs"]


def test_share_post_for_an_inactive_assignee_shows_the_refusal_on_their_row(manager_client, half_held_by_a_leaver):
    """A board opened before they left still has the form: the refusal shows on the card, not lost."""
    data = {f"share-{half_held_by_a_leaver.pk}-share_percent": 40}
    response = manager_client.post(board_url("assignment_share", half_held_by_a_leaver.pk), data, **HTMX)
    assertContains(response, "is not an active team member.")
