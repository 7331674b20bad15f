"""What managers and members do, in a real browser."""

import pytest
from django.utils import timezone

from assignments.calendars import monday_of
from tests.factories import make_assignment, make_member, make_role, make_task, make_team, make_user

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-browser-test-password"


@pytest.fixture
def planned_team():
    monday = monday_of(timezone.localdate())
    team = make_team(slug="marketing", name="Marketing")
    manager = make_user(username="manager", password=PASSWORD)
    team.managers.add(manager)
    role = make_role(name="Social Media Specialist", slug="specialist")
    sari = make_member(team, full_name="Sari Wulandari", user=make_user(username="sari", password=PASSWORD))
    dewi = make_member(team, full_name="Dewi Lestari")
    task = make_task(team, role, title="Reply to DMs", cadence="daily", effort_hours=2, start_date=monday)
    make_assignment(task, dewi, share_percent=50)
    weekly = make_task(team, role, title="Publish reels", cadence="weekly", effort_hours=3, start_date=monday)
    make_assignment(weekly, sari)
    return {"team": team, "task": task, "sari": sari, "dewi": dewi, "monday": monday}


def test_manager_assigns_on_the_board_and_the_load_updates_without_a_reload(page, live_server, log_in, planned_team):
    task, sari = planned_team["task"], planned_team["sari"]
    log_in(page, "manager", PASSWORD)
    page.goto(f"{live_server.url}/teams/marketing/board/")
    page.evaluate("window.__noReload = 'still here'")
    badge = page.locator(f"#load-{sari.pk} [data-hours]").first
    assert badge.inner_text() == "3.00"  # this week: the weekly 3 h task
    card = page.locator(f"#task-{task.pk}")
    card.get_by_label("Member").select_option(label="Sari Wulandari")
    card.get_by_label("Share (%)").fill("50")
    card.get_by_role("button", name="Assign").click()
    # the week from Monday: 3 h + 5 working days × 2 h × 50 % = 8 h
    expect(badge).to_have_text("8.00")
    assert page.evaluate("window.__noReload") == "still here"
    assert "100 % assigned" in page.locator(f"#task-{task.pk}").inner_text()


def test_a_validation_error_appears_beside_the_field(page, live_server, log_in, planned_team):
    task = planned_team["task"]
    log_in(page, "manager", PASSWORD)
    page.goto(f"{live_server.url}/teams/marketing/board/")
    card = page.locator(f"#task-{task.pk}")
    card.get_by_label("Member").select_option(label="Sari Wulandari")
    card.get_by_label("Share (%)").fill("80")
    card.get_by_role("button", name="Assign").click()
    error = page.locator(f"#task-{task.pk} .field--error").filter(has_text="Only 50 % of this task is left to assign.")
    error.wait_for()
    assert error.locator("input").get_attribute("name") == f"assign-{task.pk}-share_percent"


def test_member_sees_their_duties_and_cannot_open_the_board(page, live_server, log_in, planned_team):
    log_in(page, "sari", PASSWORD)
    assert page.url.endswith("/me/")
    assert page.get_by_role("heading", name="Hello, Sari Wulandari").is_visible()
    assert "Publish reels" in page.locator("#week-title").locator("..").inner_text()
    assert page.get_by_role("link", name="Board").count() == 0
    response = page.goto(f"{live_server.url}/teams/marketing/board/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Not found").is_visible()
