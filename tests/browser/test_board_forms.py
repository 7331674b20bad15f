"""The board's folded forms in a real browser (issue 13): a card's "Edit or archive" loads its form when
opened, saves with htmx and the card and its assignee's badge update in place; without JavaScript the
same section links to a page with the form, which lands back on the card. The load panel lists the
people on the cards shown, and an assignment adds the person it lacks."""

import pytest
from django.utils import timezone

from assignments.calendars import monday_of
from assignments.models import Task
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
    dewi = make_member(team, full_name="Dewi Lestari")
    make_assignment(task, dewi, share_percent=100)
    open_task = make_task(team, role, title="Publish reels", cadence="weekly", effort_hours=3, start_date=monday)
    idle = make_member(team, full_name="Sari Wulandari")
    return {
        "url": f"{live_server.url}/teams/marketing/board/",
        "task": task,
        "open_task": open_task,
        "dewi": dewi,
        "idle": idle,
    }


def test_edit_form_loads_when_opened_and_saving_updates_the_card_in_place(page, log_in, board):
    task, dewi = board["task"], board["dewi"]
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/edit/form/" in request.url else None)
    log_in(page, "manager", PASSWORD)
    page.goto(board["url"])
    page.evaluate("window.__noReload = 'still here'")
    card = page.locator(f"#task-{task.pk}")
    title = card.get_by_label("Title")
    expect(title).to_have_count(0)  # not on the board
    badge = page.locator(f"#load-{dewi.pk} [data-hours]").first
    expect(badge).to_have_text("10.00")  # 5 working days × 2 h this week
    card.get_by_text("Edit or archive").click()
    expect(title).to_have_value("Reply to DMs")  # fetched into the card
    assert len(asked) == 1
    title.fill("Reply to comments")
    card.get_by_label("Effort (hours)").fill("1")
    card.get_by_role("button", name="Save task").click()
    expect(card.locator(".task-card__title")).to_have_text("Reply to comments")
    expect(card.get_by_label("Title")).to_have_count(0)  # the card again, its form folded
    expect(badge).to_have_text("5.00")  # the assignee's badge, out of band
    assert page.evaluate("window.__noReload") == "still here"
    assert Task.objects.get(pk=task.pk).title == "Reply to comments"


def test_an_error_in_the_fetched_form_shows_beside_its_field(page, log_in, board):
    task = board["task"]
    log_in(page, "manager", PASSWORD)
    page.goto(board["url"])
    card = page.locator(f"#task-{task.pk}")
    card.get_by_text("Edit or archive").click()
    card.get_by_label("Effort (hours)").fill("0")
    card.get_by_role("button", name="Save task").click()
    error = card.locator(".field--error").filter(has=page.locator(f"[name='edit-{task.pk}-effort_hours']"))
    expect(error.locator(".errorlist")).to_be_visible()
    assert Task.objects.get(pk=task.pk).effort_hours == 2


def test_assigning_someone_the_panel_lacks_adds_their_badge(page, log_in, board):
    open_task, idle = board["open_task"], board["idle"]
    log_in(page, "manager", PASSWORD)
    page.goto(board["url"])
    expect(page.locator(f"#load-{idle.pk}")).to_have_count(0)  # on no card: not on the panel
    card = page.locator(f"#task-{open_task.pk}")
    card.get_by_label("Member").select_option(label="Sari Wulandari")
    card.get_by_role("button", name="Assign").click()
    expect(card.locator(".task-card__share")).to_have_text("100 % assigned")
    expect(page.locator(f"#load-{idle.pk} [data-hours]").first).to_have_text("3.00")
    expect(page.locator(f"#load-{idle.pk}")).to_have_count(1)
    expect(page.locator("#team-loads .load--none")).to_be_hidden()  # "Nobody works on…" shows only on an empty panel


def test_edit_without_javascript_opens_a_page_and_lands_back_on_the_card(browser, live_server, board):
    task = board["task"]
    context = browser.new_context(java_script_enabled=False, locale="en")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(board["url"])
    card = page.locator(f"#task-{task.pk}")
    card.get_by_text("Edit or archive").click()
    card.get_by_role("link", name="Open the form").click()
    assert page.get_by_role("heading", name="Edit “Reply to DMs”").is_visible()
    page.get_by_label("Title").fill("Reply to comments")
    page.get_by_role("button", name="Save task").click()
    assert page.url.endswith(f"/board/?page=1#task-{task.pk}")
    assert page.locator(f"#task-{task.pk} .task-card__title").inner_text() == "Reply to comments"
    context.close()
