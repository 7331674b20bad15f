"""Suggestions and the preview on the board, in a real browser: who should take a task, and what one choice changes.

Sari holds the strategist role; Ayu is a specialist who replies to DMs, 2 h a working day (10 h a
week). "Q1 campaign plan" is a weekly strategic task of 4 h that nobody has yet.
"""

import pytest
from django.utils import timezone

from assignments.calendars import monday_of
from roles.models import Role
from tests.factories import make_assignment, make_holding, make_member, make_role, make_task, make_team, make_user

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-browser-test-password"


@pytest.fixture
def plan(live_server):
    monday = monday_of(timezone.localdate())
    team = make_team(slug="marketing", name="Marketing")
    team.managers.add(make_user(username="manager", password=PASSWORD))
    specialist = make_role(name="Social Media Specialist", slug="specialist")
    strategist = make_role(Role.Focus.STRATEGIC, name="Social Media Strategist", slug="strategist")
    sari = make_member(team, full_name="Sari Wulandari")
    ayu = make_member(team, full_name="Ayu Lestari")
    make_holding(sari, strategist, start_date=monday)
    make_holding(ayu, specialist, start_date=monday)
    replies = make_task(team, specialist, title="Reply to DMs", cadence="daily", effort_hours=2, start_date=monday)
    make_assignment(replies, ayu)
    campaign = make_task(
        team, strategist, title="Q1 campaign plan", cadence="weekly", effort_hours=4, start_date=monday
    )
    return {
        "url": f"{live_server.url}/teams/marketing/board/",
        "campaign": campaign,
        "replies": replies,
        "ayu": ayu,
    }


def test_manager_picks_a_specialist_over_the_suggested_strategist_sees_the_warning_and_assigns(page, log_in, plan):
    campaign, ayu = plan["campaign"], plan["ayu"]
    log_in(page, "manager", PASSWORD)
    page.goto(plan["url"])
    page.evaluate("window.__noReload = 'still here'")
    badge = page.locator(f"#load-{ayu.pk} [data-hours]").first
    expect(badge).to_have_text("10.00")
    card = page.locator(f"#task-{campaign.pk}")
    card.get_by_role("link", name="Show suggestions").click()

    first = card.locator(".suggestion").first
    expect(first).to_contain_text("Sari Wulandari")
    expect(first).to_contain_text("holds the role Social Media Strategist")
    card.get_by_label("Ayu Lestari").check()

    preview = card.locator(f"#preview-{campaign.pk}")
    expect(preview.locator(".preview__warning")).to_have_text(
        "Ayu Lestari would then cover both operational and strategic roles."
    )
    expect(preview.locator("tbody tr").first).to_contain_text("10.00 / 40.00 h")
    expect(preview.locator("tbody tr").first).to_contain_text("14.00 / 40.00 h")
    card.get_by_role("button", name="Assign").click()

    expect(card.locator(".task-card__share")).to_have_text("100 % assigned")
    expect(card.locator(".assignees")).to_contain_text("Ayu Lestari")
    expect(badge).to_have_text("14.00")  # 10 h of replies and the 4 h campaign this week
    assert page.evaluate("window.__noReload") == "still here"


def test_a_folded_assign_section_loads_its_suggestions_when_opened_and_the_board_loads_none(page, log_in, plan):
    replies = plan["replies"]
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/suggestions/" in request.url else None)
    log_in(page, "manager", PASSWORD)
    page.goto(plan["url"])
    page.wait_for_load_state("networkidle")
    assert asked == []
    card = page.locator(f"#task-{replies.pk}")  # fully assigned: "Assign someone" is folded
    card.get_by_text("Assign someone").click()
    expect(card.locator(".suggestion").first).to_contain_text("Sari Wulandari")
    assert len(asked) == 1


def test_a_share_over_what_is_left_shows_its_error_beside_the_share(page, log_in, plan):
    campaign = plan["campaign"]
    make_assignment(campaign, make_member(campaign.team, full_name="Budi Santoso"), share_percent=70)
    log_in(page, "manager", PASSWORD)
    page.goto(plan["url"])
    card = page.locator(f"#task-{campaign.pk}")
    card.get_by_role("link", name="Show suggestions").click()
    card.get_by_label("Sari Wulandari").check()
    card.get_by_label("Share (%)").fill("50")
    card.get_by_role("button", name="Preview").click()
    error = card.locator(f"#assign-{campaign.pk}-share_percent-errors")
    expect(error).to_have_text("Only 30 % of this task is left to assign.")


@pytest.mark.parametrize("width", [1280, 390])
def test_suggestions_and_preview_of_long_names_fit_the_window(page, log_in, plan, width):
    campaign = plan["campaign"]
    make_member(campaign.team, full_name="M" * 150)
    campaign.role.name = "S" * 120
    campaign.role.save()
    log_in(page, "manager", PASSWORD)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(plan["url"])
    card = page.locator(f"#task-{campaign.pk}")
    card.get_by_role("link", name="Show suggestions").click()
    card.get_by_label("M" * 150).check()
    card.locator(".preview__title").wait_for()
    scroll_width, window_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= window_width
