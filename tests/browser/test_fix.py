"""Behind the flags, in a real browser: a preview opens in place, and a hand-over updates the list."""

import pytest
from django.utils import timezone

from assignments.calendars import monday_of
from tests.factories import make_assignment, make_holding, make_member, make_role, make_task, make_team, make_user

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-browser-test-password"


@pytest.fixture
def overloaded_team():
    """Eko has 45 h a week against 40 (over capacity); Sari holds the role and has nothing."""
    monday = monday_of(timezone.localdate())
    team = make_team(slug="marketing", name="Marketing")
    team.managers.add(make_user(username="manager", password=PASSWORD))
    role = make_role(name="Social Media Specialist", slug="specialist")
    eko = make_member(team, full_name="Eko Wibowo")
    sari = make_member(team, full_name="Sari Wulandari")
    make_holding(sari, role, start_date=monday)
    replies = make_task(team, role, title="Replies", cadence="daily", effort_hours=5, start_date=monday)
    make_assignment(replies, eko)
    posts = make_task(team, role, title="Posts", cadence="weekly", effort_hours=20, start_date=monday)
    make_assignment(posts, eko)
    return {"eko": eko, "sari": sari, "replies": replies}


def test_manager_previews_a_hand_over_in_place_then_hands_it_over(page, live_server, log_in, overloaded_team):
    log_in(page, "manager", PASSWORD)
    page.goto(f"{live_server.url}/teams/marketing/")
    page.get_by_role("link", name="Hand over tasks").click()
    page.evaluate("window.__noReload = 'still here'")
    replies = page.locator("section.fix-task", has_text="Replies")
    replies.locator(".fix-candidate", has_text="Sari Wulandari").get_by_role("link", name="Preview the move").click()
    preview = replies.locator(".fix-preview-slot .fix-preview")
    expect(preview).to_contain_text("Eko Wibowo is over capacity")  # the flag it clears
    expect(preview.locator("caption", has_text="Sari Wulandari")).to_be_visible()
    replies.get_by_role("button", name="Hand over to Sari Wulandari").click()
    expect(page.locator("#hand-over [role=status]")).to_have_text(
        "“Replies” is handed over from Eko Wibowo to Sari Wulandari."
    )
    expect(page.locator("section.fix-task", has_text="Replies")).to_have_count(0)
    assert page.evaluate("window.__noReload") == "still here"
    assert overloaded_team["replies"].assignments.get().member == overloaded_team["sari"]
