"""No page is wider than the window, whatever the data: a long unbroken name wraps instead of widening the page.

Before the fix a 200-character title without spaces made the board 2,572 px wide in a 1,280 px
window (2,588 px on a phone), and the overview grew too.
"""

import datetime

import pytest
from django.utils import timezone

from assignments.calendars import monday_of
from roles.models import Responsibility, Role
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

pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-browser-test-password"
WIDTHS = [1280, 390]


def unbroken(letter: str, length: int) -> str:
    """A word of ``length`` characters without a space or a hyphen: the longest each field takes (200 at most)."""
    return letter * length


@pytest.fixture
def long_names():
    """A team whose every name is one long word, in every place the pages show one (and every flag kind)."""
    monday = monday_of(timezone.localdate())
    team = make_team(slug="marketing", name=unbroken("T", 120))
    manager = make_user(username="manager", password=PASSWORD)
    team.managers.add(manager)
    operational = make_role(name=unbroken("O", 120), slug="long-operational", summary=unbroken("s", 200))
    strategic = make_role(Role.Focus.STRATEGIC, name=unbroken("S", 120), slug="long-strategic")
    make_role(Role.Focus.STRATEGIC, name=unbroken("U", 120), slug="long-uncovered")  # nobody holds it
    Responsibility.objects.create(role=operational, title=unbroken("R", 200), description=unbroken("d", 200))
    member = make_member(
        team,
        full_name=unbroken("M", 150),
        job_title=unbroken("J", 150),
        email=f"{'e' * 60}@example.com",
        user=make_user(username="member", password=PASSWORD),
    )
    make_holding(member, operational, start_date=monday)
    make_holding(member, strategic, start_date=monday)
    make_time_off(member, monday, monday + datetime.timedelta(days=1), reason=unbroken("V", 200))
    task = make_task(team, operational, title=unbroken("W", 200), cadence="daily", effort_hours=20, start_date=monday)
    make_assignment(task, member, share_percent=50)
    make_assignment(task, make_member(team, full_name=unbroken("L", 150), is_active=False), share_percent=30)
    strategy = make_task(team, strategic, title=unbroken("X", 200), cadence="weekly", effort_hours=1, start_date=monday)
    make_assignment(strategy, member, share_percent=100)
    make_task(team, operational, title=unbroken("A", 200), is_active=False)  # in the archived list
    make_member(team, full_name=unbroken("N", 150))
    return {"team": team, "member": member, "assignment": task.assignments.get(member=member)}


def page_widths(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def assert_fits(page, url: str, width: int):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    page.wait_for_load_state("networkidle")
    scroll_width, window_width = page_widths(page)
    assert scroll_width <= window_width, f"{url} is {scroll_width} px wide in a {window_width} px window"
    page.evaluate("document.querySelectorAll('details').forEach(details => details.open = true)")
    scroll_width, window_width = page_widths(page)
    assert scroll_width <= window_width, f"{url}, every <details> open, is {scroll_width} px in {window_width} px"


@pytest.mark.parametrize("width", WIDTHS)
def test_manager_pages_are_never_wider_than_the_window(page, live_server, log_in, long_names, width):
    log_in(page, "manager", PASSWORD)
    member, assignment = long_names["member"], long_names["assignment"]
    for path in [
        "/teams/marketing/",
        "/teams/marketing/board/",
        f"/members/{member.pk}/",
        "/roles/",
        f"/teams/marketing/board/assignments/{assignment.pk}/remove/",
    ]:
        assert_fits(page, f"{live_server.url}{path}", width)


@pytest.mark.parametrize("width", WIDTHS)
def test_member_pages_are_never_wider_than_the_window(page, live_server, log_in, long_names, width):
    log_in(page, "member", PASSWORD)
    for path in ["/me/", f"/members/{long_names['member'].pk}/", "/roles/"]:
        assert_fits(page, f"{live_server.url}{path}", width)
