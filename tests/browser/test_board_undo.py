"""Undo on the board, in a real browser: archive and restore in place, and "Remove" always asks first."""

import pytest
from django.utils import timezone

from assignments.calendars import monday_of
from assignments.models import Assignment
from tests.factories import make_assignment, make_member, make_role, make_task, make_team, make_user

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-browser-test-password"


@pytest.fixture
def board(live_server):
    monday = monday_of(timezone.localdate())
    team = make_team(slug="marketing", name="Marketing")
    team.managers.add(make_user(username="manager", password=PASSWORD))
    role = make_role(name="Social Media Specialist", slug="specialist")
    task = make_task(team, role, title="Reply to DMs", cadence="daily", effort_hours=2, start_date=monday)
    assignment = make_assignment(task, make_member(team, full_name="Dewi Lestari"), share_percent=50)
    return {"url": f"{live_server.url}/teams/marketing/board/", "task": task, "assignment": assignment}


def test_archive_then_restore_in_place_without_a_reload(page, log_in, board):
    task = board["task"]
    log_in(page, "manager", PASSWORD)
    page.goto(board["url"])
    page.evaluate("window.__noReload = 'still here'")
    card = page.locator(f"#task-{task.pk}")
    page.once("dialog", lambda dialog: dialog.accept())
    archive = card.get_by_role("button", name="Archive task")
    expect(archive).to_have_count(0)  # folded, not on the board: it loads when "Edit or archive" is opened
    card.get_by_text("Edit or archive").click()
    archive.click()
    expect(card).to_contain_text("Task “Reply to DMs” archived.")
    expect(page.locator("#archived-tasks")).to_contain_text("Reply to DMs")
    expect(page.locator("#operational-head .flag-count")).to_have_text("0")
    card.get_by_role("button", name="Restore").click()
    expect(card.locator(".task-card__share")).to_have_text("50 % assigned")
    expect(page.locator("#operational-head .flag-count")).to_have_text("1")
    expect(page.locator(f"#archived-task-{task.pk}")).to_have_count(0)
    assert page.evaluate("window.__noReload") == "still here"


def test_remove_asks_and_a_no_keeps_the_assignee(page, log_in, board):
    log_in(page, "manager", PASSWORD)
    page.goto(board["url"])
    questions = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Remove Dewi Lestari").click()
    page.wait_for_timeout(300)
    assert questions == ["Remove Dewi Lestari from “Reply to DMs”?"]
    assert Assignment.objects.filter(pk=board["assignment"].pk).exists()


def test_remove_asks_and_a_yes_removes_in_place(page, log_in, board):
    task = board["task"]
    log_in(page, "manager", PASSWORD)
    page.goto(board["url"])
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Remove Dewi Lestari").click()
    expect(page.locator(f"#task-{task.pk} .task-card__share")).to_have_text("0 % assigned")
    expect(page.locator(f"#task-{task.pk}")).to_contain_text("Nobody is assigned yet.")
    assert not Assignment.objects.filter(pk=board["assignment"].pk).exists()


def test_remove_without_javascript_asks_on_a_page_then_returns_to_the_card(browser, live_server, board):
    context = browser.new_context(java_script_enabled=False, locale="en")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(board["url"])
    page.get_by_role("button", name="Remove Dewi Lestari").click()
    assert page.get_by_role("heading", name="Remove Dewi Lestari from “Reply to DMs”?").is_visible()
    assert Assignment.objects.filter(pk=board["assignment"].pk).exists()
    page.get_by_role("button", name="Remove", exact=True).click()
    assert page.url.endswith(f"/board/?page=1#task-{board['task'].pk}")
    assert not Assignment.objects.filter(pk=board["assignment"].pk).exists()
    context.close()
