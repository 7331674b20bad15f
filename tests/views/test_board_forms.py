"""Issue 13, "render less": the board renders what is unfolded, fetches a folded form when it is opened, and
its load panel shows (and computes) only the people the cards on the page concern.

The demo board measured before the change (``seed_demo``, the Marketing team: 6 people, 25 tasks, as its
manager) was 206,539 bytes of HTML: every card rendered its folded edit form and, fully assigned, its
folded assign form. After it: about 85,000.
"""

import datetime
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects, assertTemplateUsed

from assignments.models import Task
from tests.factories import make_assignment, make_member, make_task, make_team, make_user
from tests.views.helpers import HTMX, board_url

pytestmark = pytest.mark.django_db

DEMO_BOARD_BEFORE = 206_539  # bytes, measured on the demo board before the change


@pytest.fixture
def tasks(team, specialist, strategist, this_monday):
    """A fully assigned task (its "Assign someone" folded) and a half assigned one (open)."""
    full = make_task(team, specialist, title="Reply to DMs", cadence="daily", effort_hours=2, start_date=this_monday)
    half = make_task(team, strategist, title="Q1 strategy", cadence="weekly", effort_hours=4, start_date=this_monday)
    dewi, sari = make_member(team, full_name="Dewi Lestari"), make_member(team, full_name="Sari Wulandari")
    make_assignment(full, dewi)
    make_assignment(half, sari, share_percent=50)
    return {"full": full, "half": half, "dewi": dewi, "sari": sari}


def edit_data(task, **changes) -> dict:
    prefix = f"edit-{task.pk}"
    data = {
        "title": task.title,
        "role": task.role_id,
        "channel": task.channel,
        "cadence": task.cadence,
        "effort_hours": str(task.effort_hours),
        "start_date": task.start_date.isoformat(),
        "end_date": "",
        "description": "",
    } | changes
    return {f"{prefix}-{name}": value for name, value in data.items()}


# ------------------------------------------------------------------ the board renders no folded form


def test_board_renders_no_folded_form(manager_client, tasks):
    page = manager_client.get(board_url("team_board")).content.decode()
    full, half = tasks["full"], tasks["half"]
    for task in (full, half):
        assert f'name="edit-{task.pk}-title"' not in page  # "Edit or archive" is folded
        assert f'action="{board_url("task_archive", task.pk)}' not in page
    assert f'name="assign-{full.pk}-member"' not in page  # fully assigned: "Assign someone" is folded
    assert 'name="new-title"' not in page  # "New task" is folded
    # what is unfolded is there: the open assign form, the assignees' shares and "Remove"
    assert f'name="assign-{half.pk}-member"' in page
    assert 'name="share-' in page
    assert 'aria-label="Remove Dewi Lestari"' in page


def test_a_folded_edit_form_is_fetched_when_opened_and_linked_without_javascript(manager_client, tasks):
    task = tasks["full"]
    page = manager_client.get(board_url("team_board")).content.decode()
    url = f"{board_url('task_edit_form', task.pk)}?page=1"
    assert f'hx-get="{url}" hx-trigger="toggle once" hx-target="#edit-{task.pk}"' in page
    assert f'<a class="button button--quiet button--small" href="{url}">Open the form</a>' in page
    new = f"{board_url('task_new_form')}?page=1"
    assert f'hx-get="{new}" hx-trigger="toggle once" hx-target="#new-task-form"' in page


def test_a_folded_assign_section_keeps_only_its_link_to_the_suggestions(manager_client, tasks):
    task = tasks["full"]
    page = manager_client.get(board_url("team_board")).content.decode()
    url = f"{board_url('task_suggestions', task.pk)}?page=1"
    assert f'hx-get="{url}" hx-trigger="toggle once" hx-target="#assign-{task.pk}"' in page
    assert f'href="{url}">Show suggestions</a>' in page


def test_the_board_keeps_its_forms_beside_a_failed_post(manager_client, tasks):
    """A plain post with errors shows the board with that card's form open, errors beside the field."""
    task = tasks["full"]
    data = edit_data(task, end_date=(task.start_date - datetime.timedelta(days=1)).isoformat())
    response = manager_client.post(board_url("task_edit", task.pk) + "?page=1", data)
    assert response.status_code == 400
    assertContains(response, f'name="edit-{task.pk}-title"', status_code=400)
    assertContains(response, f'id="id_edit-{task.pk}-end_date_error"', status_code=400)
    assertContains(response, '<details class="edit" open>', status_code=400)


def test_the_demo_board_is_less_than_half_its_old_size(settings, client):
    settings.DEBUG = True  # seed_demo's guard
    call_command("seed_demo", stdout=StringIO())
    client.force_login(get_user_model().objects.get(username="manager"))
    response = client.get(board_url("team_board"))
    assert response.status_code == 200
    assert Task.objects.filter(team__slug="marketing", is_active=True).count() >= 17
    assert len(response.content) < DEMO_BOARD_BEFORE / 2
    assert "csrfmiddlewaretoken" in response.content.decode()  # still a page of working forms


# ------------------------------------------------------------------ the fetched forms


def test_edit_fragment_is_the_form_for_the_card(manager_client, tasks):
    task = tasks["full"]
    response = manager_client.get(board_url("task_edit_form", task.pk) + "?page=1", **HTMX)
    assert response.status_code == 200
    assertTemplateUsed(response, "assignments/_task_edit.html")
    assertNotContains(response, "<html")
    edit = f"{board_url('task_edit', task.pk)}?page=1"
    assertContains(response, f'hx-post="{edit}" hx-target="#task-{task.pk}" hx-swap="outerHTML"')
    assertContains(response, f'name="edit-{task.pk}-title" value="Reply to DMs"')
    assertContains(response, f'hx-post="{board_url("task_archive", task.pk)}?page=1"')
    assertContains(response, "Archive this task? It will no longer count in anyone’s workload.")


def test_edit_fragment_keeps_the_boards_filters_in_its_posts(manager_client, tasks):
    task = tasks["full"]
    response = manager_client.get(board_url("task_edit_form", task.pk) + "?channel=tiktok&page=1", **HTMX)
    assertContains(response, f'hx-post="{board_url("task_edit", task.pk)}?channel=tiktok&amp;page=1"')


def test_saving_the_fetched_form_with_htmx_returns_the_changed_card_folded_again(manager_client, tasks):
    task = tasks["full"]
    data = edit_data(task, title="Reply to comments", effort_hours="1")
    response = manager_client.post(board_url("task_edit", task.pk) + "?page=1", data, **HTMX)
    assert response.status_code == 200
    assertContains(response, "Reply to comments")
    assertNotContains(response, f'name="edit-{task.pk}-title"')  # folded again, fetched when opened
    # the assignee's hours changed: their badge, out of band (5 working days × 1 h this week)
    assertContains(response, f'<li class="load" id="load-{tasks["dewi"].pk}" hx-swap-oob="true">')
    assertContains(response, "<span data-hours>5.00</span>")


def test_the_fetched_edit_form_with_an_error_comes_back_open_on_its_card(manager_client, tasks):
    task = tasks["full"]
    response = manager_client.post(board_url("task_edit", task.pk), edit_data(task, effort_hours="0"), **HTMX)
    assertContains(response, '<details class="edit" open>')
    assertContains(response, f'id="id_edit-{task.pk}-effort_hours_error"')
    assert response.context["badges"] == []  # nothing changed: no badge


def test_edit_page_without_javascript_posts_and_lands_back_on_the_card(manager_client, tasks):
    task = tasks["full"]
    page = manager_client.get(board_url("task_edit_form", task.pk) + "?page=1")
    assert page.status_code == 200
    assertTemplateUsed(page, "assignments/task_form.html")
    assertContains(page, "Edit “Reply to DMs”")
    assertContains(page, f'<form method="post" action="{board_url("task_edit", task.pk)}?page=1" novalidate>')
    assertNotContains(page, "hx-post=")  # a plain page: its forms post as forms
    assertContains(page, f'href="{board_url("team_board")}?page=1#task-{task.pk}"')  # back to the card
    response = manager_client.post(board_url("task_edit", task.pk) + "?page=1", edit_data(task, title="Replies"))
    assertRedirects(response, f"{board_url('team_board')}?page=1#task-{task.pk}", fetch_redirect_response=False)
    task.refresh_from_db()
    assert task.title == "Replies"


def test_new_task_form_fetched_and_as_a_page(manager_client, tasks, specialist):
    fragment = manager_client.get(board_url("task_new_form") + "?page=1", **HTMX)
    assertTemplateUsed(fragment, "assignments/_task_new.html")
    assertContains(fragment, f'hx-post="{board_url("task_new")}?page=1" hx-target="#new-task" hx-swap="outerHTML"')
    assertContains(fragment, 'name="new-title"')
    page = manager_client.get(board_url("task_new_form") + "?page=1")
    assertContains(page, f'<form method="post" action="{board_url("task_new")}?page=1" novalidate>')
    assertContains(page, f'href="{board_url("team_board")}?page=1"')
    data = {
        "new-title": "Launch",
        "new-role": specialist.pk,
        "new-cadence": "weekly",
        "new-effort_hours": "2",
        "new-start_date": "2026-12-01",
    }
    response = manager_client.post(board_url("task_new") + "?page=1", data)
    assert response["Location"].endswith(f"#task-{Task.objects.get(title='Launch').pk}")


def test_new_task_with_errors_with_htmx_returns_the_panel_open(manager_client, tasks):
    response = manager_client.post(board_url("task_new"), {"new-title": ""}, **HTMX)
    assert response.content.decode().lstrip().startswith('<section class="panel" id="new-task"')
    assertContains(response, "<details open>")
    assertContains(response, 'id="id_new-title_error"')


def test_another_teams_manager_gets_404_from_the_task_forms(client, tasks):
    stranger = make_user()
    make_team().managers.add(stranger)
    client.force_login(stranger)
    task = tasks["full"]
    assert client.get(board_url("task_edit_form", task.pk), **HTMX).status_code == 404
    assert client.get(board_url("task_edit_form", task.pk)).status_code == 404
    assert client.get(board_url("task_new_form")).status_code == 404


def test_the_edit_form_of_an_archived_or_foreign_task_is_404(manager_client, tasks, specialist):
    archived = make_task(tasks["full"].team, specialist, is_active=False)
    foreign = make_task(make_team(), specialist)
    assert manager_client.get(board_url("task_edit_form", archived.pk)).status_code == 404
    assert manager_client.get(board_url("task_edit_form", foreign.pk)).status_code == 404


# ------------------------------------------------------------------ the load panel: the people the cards concern


def panel_ids(response) -> list[int]:
    return [badge.member.id for badge in response.context["loads"].badges]


def test_load_panel_shows_only_the_people_on_the_cards_shown(manager_client, team, tasks):
    idle = make_member(team, full_name="Idle Person")
    response = manager_client.get(board_url("team_board"))
    assert panel_ids(response) == [tasks["dewi"].pk, tasks["sari"].pk]  # by name
    assertNotContains(response, f'id="load-{idle.pk}"')
    assertContains(response, f'<a href="{board_url("team_overview")}">All members’ load</a>')


def test_load_panel_follows_the_filters(manager_client, tasks):
    response = manager_client.get(board_url("team_board"), {"focus": "strategic"})
    assert panel_ids(response) == [tasks["sari"].pk]


def test_load_panel_computes_only_the_people_it_shows(manager_client, team, tasks, monkeypatch):
    from assignments.selectors import board as board_selectors

    asked = []
    real = board_selectors.members_report

    def members_report(**arguments):
        asked.append(sorted(arguments["member_ids"]))
        return real(**arguments)

    monkeypatch.setattr(board_selectors, "members_report", members_report)
    monkeypatch.setattr(board_selectors, "team_report", None)  # never the whole team while some are left out
    make_member(team, full_name="Idle Person")
    manager_client.get(board_url("team_board"))
    assert asked == [sorted([tasks["dewi"].pk, tasks["sari"].pk])]


def test_load_panel_figures_are_the_team_reports(manager_client, team, tasks, this_monday):
    """Whether computed alone or read from the team's report, a badge says what the overview says."""
    from assignments.formatting import hours_display
    from assignments.report import team_report

    make_member(team, full_name="Idle Person")  # so the panel is computed for its people alone
    badges = manager_client.get(board_url("team_board")).context["loads"].badges
    report = {load.member.id: load for load in team_report(team=team, start=this_monday, weeks=4).workload.members}
    for badge in badges:
        weeks = report[badge.member.id].weeks
        assert [week.hours for week in badge.weeks] == [hours_display(week.total_hours) for week in weeks]


def test_load_panel_of_the_whole_team_is_the_teams_report(manager_client, tasks, monkeypatch):
    """Everyone active is on the cards shown: their badges are the team's report, kept under its plan revision."""
    from assignments.selectors import board as board_selectors

    def members_report(**arguments):
        raise AssertionError("the whole team's badges come from its report")

    monkeypatch.setattr(board_selectors, "members_report", members_report)
    response = manager_client.get(board_url("team_board"))
    assert panel_ids(response) == [tasks["dewi"].pk, tasks["sari"].pk]


def test_load_panel_says_when_nobody_works_on_the_tasks_shown(manager_client, team, specialist):
    make_task(team, specialist, title="Nobody's")
    response = manager_client.get(board_url("team_board"))
    assertContains(response, "Nobody works on the tasks shown.")
    assert panel_ids(response) == []


def test_another_page_with_htmx_brings_its_cards_and_its_people_badges(manager_client, tasks):
    headers = HTMX | {"HTTP_HX_TARGET": "board-columns"}
    page = manager_client.get(board_url("team_board"), {"focus": "strategic"}, **headers).content.decode()
    assert page.lstrip().startswith('<div id="board-columns"')
    assert re.search(r'<section class="panel sticky" id="team-loads"[^>]*hx-swap-oob="true">', page)
    assert re.findall(r'<li class="load" id="load-(\d+)"', page) == [str(tasks["sari"].pk)]


def test_a_share_change_updates_only_that_persons_badge(manager_client, team, tasks):
    assignment = tasks["half"].assignments.get()
    data = {f"share-{assignment.pk}-share_percent": 100}
    response = manager_client.post(board_url("assignment_share", assignment.pk), data, **HTMX)
    ids = re.findall(r'<li class="load" id="load-(\d+)" hx-swap-oob="true">', response.content.decode())
    assert ids == [str(tasks["sari"].pk)]
    assertNotContains(response, 'id="team-loads"')


def test_removing_updates_the_removed_persons_badge(manager_client, tasks):
    assignment = tasks["full"].assignments.get()
    response = manager_client.post(board_url("assignment_remove", assignment.pk), **HTMX)
    assertContains(response, f'<li class="load" id="load-{tasks["dewi"].pk}" hx-swap-oob="true">')
    assertContains(response, "<span data-hours>0.00</span>")
