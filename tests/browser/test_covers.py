"""Arrange cover, in a real browser: from the flag to a saved cover, the flag gone and the hours moved.

Ayu does "Posting" (daily, 2 h) alone and is away Thursday and Friday of next week; Citra holds the role and
does "Replies" (daily, 4 h): 20 h a week. Covering both days moves 2 × 2 h = 4 h to Citra: 24 h that week.
"""

import datetime

import pytest
from django.utils import timezone

from assignments.calendars import monday_of
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

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-browser-test-password"


@pytest.fixture
def away_team():
    monday = monday_of(timezone.localdate())
    next_monday = monday + datetime.timedelta(days=7)
    team = make_team(slug="marketing", name="Marketing")
    team.managers.add(make_user(username="manager", password=PASSWORD))
    role = make_role(name="Social Media Specialist", slug="specialist")
    ayu = make_member(team, full_name="Ayu Lestari")
    citra = make_member(team, full_name="Citra Dewi")
    for member in (ayu, citra):
        make_holding(member, role, start_date=monday)
    posting = make_task(team, role, title="Posting", cadence="daily", effort_hours=2, start_date=monday)
    make_assignment(posting, ayu)
    make_assignment(make_task(team, role, title="Replies", cadence="daily", effort_hours=4, start_date=monday), citra)
    make_time_off(ayu, next_monday + datetime.timedelta(days=3), next_monday + datetime.timedelta(days=4))
    return next_monday


def citra_next_week(page):
    row = page.locator("table.heatmap tbody tr", has_text="Citra Dewi")
    return row.locator("td").nth(1).locator(".cell__hours")


def test_manager_covers_a_duty_from_its_flag_and_the_numbers_follow(page, live_server, log_in, away_team):
    log_in(page, "manager", PASSWORD)
    page.goto(f"{live_server.url}/teams/marketing/")
    expect(citra_next_week(page)).to_have_text("20.00 / 40.00 h")
    flags = page.locator("#flags")
    expect(flags).to_contain_text("Posting")
    flags.get_by_role("link", name="Arrange cover").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Arrange cover for Ayu Lestari")
    posting = page.locator("section.fix-task", has_text="Posting")
    expect(posting.locator(".cover-day:not(.cover-day--covered)")).to_have_count(2)
    best = posting.locator(".fix-candidate").first
    expect(best.locator(".fix-candidate__name")).to_have_text("Citra Dewi")  # holds the role: ranked first
    expect(best).to_contain_text("20.00 h → 24.00 h of 40.00 h")  # the preview of what it moves
    page.evaluate("window.__noReload = 'still here'")
    best.get_by_role("button", name="Citra Dewi covers").click()
    expect(page.locator("#cover-duties [role=status]")).to_have_text("Citra Dewi covers Posting for Ayu Lestari.")
    expect(page.locator("section.fix-task", has_text="Posting").locator(".cover-day--covered")).to_have_count(2)
    assert page.evaluate("window.__noReload") == "still here"  # saved in place with htmx

    page.goto(f"{live_server.url}/teams/marketing/")
    expect(citra_next_week(page)).to_have_text("24.00 / 40.00 h")  # + 2 days × 2 h
    expect(page.locator("#flags")).not_to_contain_text("a day off")
    expect(page.get_by_role("link", name="Arrange cover")).to_have_count(0)
