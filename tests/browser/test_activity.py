"""The plan's history in a real browser: a change on the board said as a sentence on the activity page,
reverted from there, and listed in the task card's "Recent changes"."""

import pytest
from django.utils import timezone

from assignments.calendars import monday_of
from assignments.models import Assignment
from tests.browser.htmx import settled
from tests.factories import make_assignment, make_member, make_role, make_task, make_team, make_user

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-browser-test-password"
CHANGED = "Dewi Sari changed Citra Dewi's share of Schedule posts from 50 % to 20 %."
REVERTED = "Dewi Sari changed Citra Dewi's share of Schedule posts from 20 % to 50 %."


@pytest.fixture
def board(live_server):
    monday = monday_of(timezone.localdate())
    team = make_team(slug="marketing", name="Marketing")
    team.managers.add(make_user(username="dewi", password=PASSWORD, first_name="Dewi", last_name="Sari"))
    role = make_role(name="Social Media Specialist", slug="specialist")
    task = make_task(team, role, title="Schedule posts", cadence="daily", effort_hours=2, start_date=monday)
    assignment = make_assignment(task, make_member(team, full_name="Citra Dewi"), share_percent=50)
    return {"url": f"{live_server.url}/teams/marketing/board/", "task": task, "assignment": assignment}


def change_share_to_20(page, board):
    card = page.locator(f"#task-{board['task'].pk}")
    card.get_by_label("Share of Citra Dewi (%)").fill("20")
    card.get_by_role("button", name="Save").click()
    expect(card.locator(".task-card__share")).to_have_text("20 % assigned")
    settled(page)  # the card is swapped in: its "Recent changes" fetches only once bound
    return card


def follow_navigation(page, name, path):
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()
    page.wait_for_url(f"**{path}")  # until the new page has loaded: htmx has bound its hx- attributes then


def open_recent_changes(page, card):
    with page.expect_response(lambda response: "/recent/" in response.url) as response:
        card.locator("details.recent summary").click()
    assert response.value.ok
    return card.locator(".recent-changes")


def test_a_share_changed_on_the_board_is_said_on_the_activity_page_and_reverted_there(page, log_in, board):
    log_in(page, "dewi", PASSWORD)
    page.goto(board["url"])
    change_share_to_20(page, board)
    assert Assignment.objects.get(pk=board["assignment"].pk).share_percent == 20

    follow_navigation(page, "Activity", "/teams/marketing/activity/")
    expect(page.get_by_role("heading", name="Activity of Marketing")).to_be_visible()
    entry = page.locator(".activity-entry").filter(has_text=CHANGED)
    expect(entry).to_have_count(1)
    with page.expect_response(lambda response: "/revert/" in response.url) as response:
        entry.get_by_role("button", name="Revert").click()
    assert response.value.ok
    expect(entry.locator(".activity-entry__outcome")).to_contain_text("Reverted.")
    assert Assignment.objects.get(pk=board["assignment"].pk).share_percent == 50

    follow_navigation(page, "Board", "/teams/marketing/board/")
    card = page.locator(f"#task-{board['task'].pk}")
    expect(card.get_by_label("Share of Citra Dewi (%)")).to_have_value("50")
    expect(card.locator(".task-card__share")).to_have_text("50 % assigned")
    # the revert is a change of its own, newest first on the card too
    recent = open_recent_changes(page, card)
    expect(recent.locator("li").first).to_contain_text(REVERTED)
    expect(recent).to_contain_text(CHANGED)


def test_a_task_cards_recent_changes_lists_the_change_just_made(page, log_in, board):
    log_in(page, "dewi", PASSWORD)
    page.goto(board["url"])
    card = change_share_to_20(page, board)
    recent = open_recent_changes(page, card)
    expect(recent.locator("li").first).to_contain_text(CHANGED)
    all_changes = recent.get_by_role("link", name="All changes")
    expect(all_changes).to_have_attribute("href", f"/teams/marketing/activity/?task={board['task'].pk}")
