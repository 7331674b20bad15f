"""The overview of a larger team in a real browser: paging and filtering swap the heatmap in place, and a
dual-role line of a folded kind fetches its acknowledgement form when opened, then saves it."""

import re

import pytest
from django.utils import timezone

from assignments.calendars import monday_of
from tests.browser.htmx import settled
from tests.factories import make_assignment, make_holding, make_member, make_role, make_task, make_team, make_user

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-browser-test-password"


@pytest.fixture
def large_team():
    """30 people: "Busy 00" to "Busy 14" over capacity (20 to 34 h of 10 h) and holding both kinds of role,
    "Calm 00" to "Calm 14" at 5 h of 40 h with one role."""
    monday = monday_of(timezone.localdate())
    team = make_team(slug="marketing", name="Marketing")
    team.managers.add(make_user(username="manager", password=PASSWORD))
    operational = make_role(name="Social Media Specialist", slug="specialist")
    strategic = make_role("strategic", name="Social Media Strategist", slug="strategist")
    for number in range(15):
        busy = make_member(team, full_name=f"Busy {number:02}", weekly_capacity_hours=10)
        make_holding(busy, operational, start_date=monday)
        make_holding(busy, strategic, start_date=monday)
        task = make_task(team, operational, cadence="weekly", effort_hours=20 + number, start_date=monday)
        make_assignment(task, busy)
        calm = make_member(team, full_name=f"Calm {number:02}", weekly_capacity_hours=40)
        make_holding(calm, operational, start_date=monday)
        make_assignment(make_task(team, operational, cadence="weekly", effort_hours=5, start_date=monday), calm)
    return team


def names(page) -> list[str]:
    return page.locator("table.heatmap tbody th").all_inner_texts()


def test_manager_pages_filters_and_acknowledges_from_a_folded_line(page, live_server, log_in, large_team):
    log_in(page, "manager", PASSWORD)
    page.goto(f"{live_server.url}/teams/marketing/")
    expect(page.locator("table.heatmap tbody tr")).to_have_count(25)
    assert names(page)[:2] == ["Busy 14", "Busy 13"]  # most loaded first
    page.evaluate("window.__noReload = 'still here'")

    page.locator("#heatmap .pagination").get_by_role("link", name="Next →").click()
    expect(page.locator("#heatmap .pagination")).to_contain_text("Page 2 of 2")
    expect(page.locator("table.heatmap tbody tr")).to_have_count(5)
    settled(page)  # the swapped-in filters listen for changes only from here
    assert re.search(r"page=2", page.url)

    with page.expect_response(lambda response: "band=over" in response.url):  # the filter's htmx request
        page.get_by_label("Band in some week").select_option("over")
    expect(page.locator("table.heatmap tbody tr")).to_have_count(15)
    expect(page.locator(".heatmap-summary")).to_contain_text("15 of 30 members match")
    assert "band=over" in page.url and "page=" not in page.url
    assert page.evaluate("window.__noReload") == "still here"  # swapped in place, no reload

    flags = page.locator("#flags")
    flags.get_by_role("heading", name="Covers both operational and strategic roles").click()  # the folded kind opens
    line = flags.locator("li.flag--dual_role", has_text="Busy 00")  # its lines are fetched as it opens
    expect(flags.locator("li.flag--dual_role")).to_have_count(15)
    expect(line.locator("form.ack-form")).to_have_count(0)
    line.get_by_text("Acknowledge…").click()  # fetches the form
    line.get_by_placeholder("Note (optional)").fill("Small team, on purpose")
    line.get_by_role("button", name="Acknowledge: this is intended").click()
    expect(flags.locator("li.flag--dual_role", has_text="Busy 00")).to_contain_text("Acknowledged by a manager.")
    assert page.evaluate("window.__noReload") == "still here"
