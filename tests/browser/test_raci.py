"""The RACI page in a real browser (issue 17): a manager of a team with RACI on sees on the overview that nobody
is accountable for a campaign task, names the strategist Accountable in the task's cell of the RACI matrix
(the cell's form fetched and saved with htmx, the page not reloaded), and the overview's flag is gone."""

import pytest
from django.utils import timezone

from assignments.calendars import monday_of
from assignments.models import Task
from roles.models import Role
from tests.browser.htmx import settled
from tests.factories import make_assignment, make_holding, make_member, make_role, make_task, make_team, make_user

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-browser-test-password"


@pytest.fixture
def raci_team():
    monday = monday_of(timezone.localdate())
    team = make_team(slug="marketing", name="Marketing", raci_enabled=True)
    team.managers.add(make_user(username="manager", password=PASSWORD))
    specialist = make_role(name="Social Media Specialist", slug="specialist")
    strategist_role = make_role(Role.Focus.STRATEGIC, name="Social Media Strategist", slug="strategist")
    strategist = make_member(team, full_name="Rina Hartono")
    make_holding(strategist, strategist_role, start_date=monday)
    dewi = make_member(team, full_name="Dewi Lestari")
    replies = make_task(team, specialist, title="Reply to DMs", cadence="daily", start_date=monday)
    make_assignment(replies, dewi)
    replies.accountable = dewi
    replies.save()
    campaign = make_task(
        team,
        strategist_role,
        title="Harbolnas 12.12 campaign plan",
        cadence="weekly",
        effort_hours=4,
        start_date=monday,
    )
    make_assignment(campaign, strategist)
    return {"campaign": campaign, "strategist": strategist}


def test_naming_the_accountable_in_the_matrix_clears_the_overview_flag(page, live_server, log_in, raci_team):
    campaign, strategist = raci_team["campaign"], raci_team["strategist"]
    log_in(page, "manager", PASSWORD)
    page.goto(f"{live_server.url}/teams/marketing/")
    flag = page.locator(".flag--accountable_missing", has_text="Harbolnas 12.12 campaign plan")
    expect(flag).to_have_count(1)

    page.locator(".site-nav").get_by_role("link", name="RACI").click()
    page.evaluate("window.__noReload = 'still here'")
    cell = page.locator(f"#cell-{campaign.pk}-{strategist.pk}")
    expect(cell).to_contain_text("R")
    cell.get_by_role("link").click()
    editing = page.locator(f"#cell-{campaign.pk}-{strategist.pk}.raci-cell--editing")
    expect(editing.get_by_role("radio", name="Accountable")).to_be_visible()  # the form, fetched into the cell
    settled(page)
    editing.get_by_role("radio", name="Accountable").check()
    editing.get_by_role("button", name="Save").click()
    expect(page.locator("#raci-status")).to_have_text(
        "Rina Hartono is now accountable for Harbolnas 12.12 campaign plan."
    )
    shown = page.locator(f"#cell-{campaign.pk}-{strategist.pk}")
    expect(shown.locator(".raci-letter--a")).to_have_text("A")  # the cell again, with its A
    expect(page.locator(f"#task-{campaign.pk} .raci-missing")).to_have_count(0)
    assert page.evaluate("window.__noReload") == "still here"
    assert Task.objects.get(pk=campaign.pk).accountable == strategist

    page.locator(".site-nav").get_by_role("link", name="Overview").click()
    expect(page.locator("#flags")).to_be_visible()
    expect(page.locator(".flag--accountable_missing")).to_have_count(0)
