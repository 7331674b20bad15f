"""The RACI page (issue 17): the matrix of tasks × members with R hours and A/C/I, a cell changed in place (htmx)
or by a plain post, the refusals, the filters, the members' summary row, the warning, the switch and paging.

"Today" is Wednesday 2 December 2026 (tests/views/conftest.py); the window asked for is the week of Monday
30 November, five working days.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from assignments.models import Task, TaskInvolvement
from assignments.raci import raci_set
from assignments.selectors.raci import raci_window
from assignments.selectors.raci_page import RACI_MEMBER_PAGE_SIZE, RACI_TASK_PAGE_SIZE
from assignments.workload import team_workload
from tests.factories import make_assignment, make_member, make_task, make_team, make_time_off, make_user
from tests.views.helpers import HTMX

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 30)
WINDOW = "?start=2026-11-30&weeks=1"


def raci_url(*args, query: str = WINDOW) -> str:
    name = "assignments:raci_cell" if args else "assignments:team_raci"
    return reverse(name, args=["marketing", *args]) + query


@pytest.fixture
def plan(team, specialist, strategist):
    """Three people, an inactive fourth; two operational tasks and three strategic ones. Worked by hand for the
    week of 30 November (Monday to Friday), Dewi away on Tuesday:

    - Reply to DMs, daily 2 h: Rina 75 % → 5 days × 1.5 h = 7.50 h; Dewi 25 % → 4 days × 0.5 h = 2.00 h
    - Weekly ads report, weekly 3 h on Mondays: Rina 100 % → 3.00 h
    - Harbolnas 12.12 campaign plan, once, 12 h over its 10 working days: Dewi 50 % → 4 days × 0.6 h = 2.40 h
    - Content pillars review, 2027 social strategy: nobody assigned
    """
    rina = make_member(team, full_name="Rina Hartono")
    dewi = make_member(team, full_name="Dewi Sari")
    budi = make_member(team, full_name="Budi Santoso")
    former = make_member(team, full_name="Andi Former", is_active=False)
    make_time_off(dewi, MONDAY + datetime.timedelta(days=1), MONDAY + datetime.timedelta(days=1))
    dms = make_task(team, specialist, title="Reply to DMs", cadence="daily", effort_hours=Decimal(2))
    report = make_task(team, specialist, title="Weekly ads report", cadence="weekly", effort_hours=Decimal(3))
    harbolnas = make_task(
        team,
        strategist,
        title="Harbolnas 12.12 campaign plan",
        cadence="once",
        effort_hours=Decimal(12),
        end_date=datetime.date(2026, 12, 11),
    )
    pillars = make_task(team, strategist, title="Content pillars review", cadence="weekly")
    strategy = make_task(team, strategist, title="2027 social strategy", cadence="monthly")
    make_assignment(dms, rina, share_percent=75)
    make_assignment(dms, dewi, share_percent=25)
    make_assignment(report, rina)
    make_assignment(harbolnas, dewi, share_percent=50)
    return {
        "rina": rina,
        "dewi": dewi,
        "budi": budi,
        "former": former,
        "dms": dms,
        "report": report,
        "harbolnas": harbolnas,
        "pillars": pillars,
        "strategy": strategy,
    }


def cell(content: str, task, member) -> str:
    """The cell of ``member`` on ``task``, as written on the page."""
    found = re.search(rf'<td class="[^"]*" id="cell-{task.pk}-{member.pk}">.*?</td>', content, re.S)
    assert found, f"no cell for {member} on {task}"
    return found.group(0)


def marks(content: str, task, member) -> str:
    """The visible marks of a cell: "R 7.50 h A", "–"."""
    shown = re.search(
        r'<span class="raci-marks" aria-hidden="true">(.*?)</span><span class="visually', cell(content, task, member)
    )
    return " ".join(re.sub(r"<[^>]+>", " ", shown.group(1)).split())


# ------------------------------------------------------------------ who may see it


def test_anonymous_is_sent_to_log_in(client, team):
    response = client.get(raci_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["member", "other_manager"])
def test_a_member_and_another_teams_manager_get_404(client, team, plan, who):
    user = make_user()
    if who == "member":
        plan["rina"].user = user
        plan["rina"].save()
    else:
        make_team().managers.add(user)
    client.force_login(user)
    assert client.get(raci_url()).status_code == 404
    assert client.get(raci_url(plan["harbolnas"].pk, plan["dewi"].pk)).status_code == 404
    assert client.post(raci_url(plan["harbolnas"].pk, plan["dewi"].pk), {"letter": "A"}).status_code == 404
    assert client.post(reverse("assignments:raci_switch", args=["marketing"]), {"enabled": "on"}).status_code == 404
    team.refresh_from_db()
    assert Task.objects.get(pk=plan["harbolnas"].pk).accountable is None
    assert not team.raci_enabled


def test_the_manager_and_staff_see_it(client, manager_client, team, plan):
    assert manager_client.get(raci_url()).status_code == 200
    staff = make_user(is_staff=True)
    client.force_login(staff)
    assert client.get(raci_url()).status_code == 200


def test_the_navigation_links_to_it(manager_client, team):
    response = manager_client.get(raci_url())
    assertContains(response, f'<a href="{reverse("assignments:team_raci", args=["marketing"])}" aria-current="page">')


# ------------------------------------------------------------------ the matrix


def test_r_shows_each_assignees_exact_hours_over_the_window(manager_client, plan):
    content = manager_client.get(raci_url()).content.decode()
    assert marks(content, plan["dms"], plan["rina"]) == "R 7.50 h"
    assert marks(content, plan["dms"], plan["dewi"]) == "R 2.00 h"  # away on Tuesday
    assert marks(content, plan["report"], plan["rina"]) == "R 3.00 h"
    assert marks(content, plan["harbolnas"], plan["dewi"]) == "R 2.40 h"
    assert marks(content, plan["harbolnas"], plan["rina"]) == "–"
    assert "Responsible, 7.50 h" in cell(content, plan["dms"], plan["rina"])  # in words, for screen readers
    assert "Andi Former" not in content  # an inactive member has no column


def test_r_hours_add_up_to_the_engines_workload(team, plan):
    """Without covers, a member's R over every task is their workload's hours (the engine's own step)."""
    window = raci_window(team=team, start=MONDAY, weeks=3)
    for load in team_workload(team=team, start=MONDAY, weeks=3).members:
        responsible = sum(hours for (_task, member), hours in window.responsible.items() if member == load.member.id)
        assert responsible == load.operational_hours + load.strategic_hours


def test_an_assignment_whose_own_dates_miss_the_window_is_not_r(manager_client, team, plan):
    make_assignment(plan["pillars"], plan["budi"], end_date=MONDAY - datetime.timedelta(days=1))
    assert marks(manager_client.get(raci_url()).content.decode(), plan["pillars"], plan["budi"]) == "–"


def test_a_c_and_i_are_shown_beside_r(manager_client, plan):
    raci_set(task=plan["dms"], member=plan["rina"], letter="A")
    raci_set(task=plan["dms"], member=plan["dewi"], letter="C")
    raci_set(task=plan["dms"], member=plan["budi"], letter="I")
    content = manager_client.get(raci_url()).content.decode()
    assert marks(content, plan["dms"], plan["rina"]) == "R 7.50 h A"
    assert marks(content, plan["dms"], plan["dewi"]) == "R 2.00 h C"
    assert marks(content, plan["dms"], plan["budi"]) == "I"
    assert "Responsible, 7.50 h; Accountable" in cell(content, plan["dms"], plan["rina"])


def test_tasks_are_grouped_operational_then_strategic(manager_client, plan):
    content = manager_client.get(raci_url()).content.decode()
    rows = re.findall(r'<tr id="task-(\d+)"', content)
    order = [plan[name].pk for name in ("dms", "report", "strategy", "pillars", "harbolnas")]
    assert [int(row) for row in rows] == order  # each group by title
    assert content.index("raci-group--operational") < content.index("raci-group--strategic")


def test_a_task_without_an_active_accountable_says_so(manager_client, plan):
    raci_set(task=plan["dms"], member=plan["rina"], letter="A")
    Task.objects.filter(pk=plan["report"].pk).update(accountable=plan["former"])
    content = manager_client.get(raci_url()).content.decode()
    row = re.search(rf'<tr id="task-{plan["report"].pk}".*?</th>', content, re.S).group(0)
    assert "Nobody accountable" in row and "Was Andi Former, no longer active" in row
    held = re.search(rf'<tr id="task-{plan["dms"].pk}".*?</th>', content, re.S).group(0)
    assert "Nobody accountable" not in held and "no longer active" not in held


# ------------------------------------------------------------------ a cell's form and saving it


def test_a_cell_is_a_link_to_its_form_fetched_with_htmx(manager_client, plan):
    content = manager_client.get(raci_url()).content.decode()
    url = raci_url(
        plan["harbolnas"].pk, plan["dewi"].pk, query="?start=2026-11-30&amp;weeks=1&amp;page=1&amp;member_page=1"
    )
    assert f'href="{url}" hx-get="{url}"' in cell(content, plan["harbolnas"], plan["dewi"])
    assertContains(manager_client.get(raci_url()), 'hx-target="closest td" hx-swap="outerHTML"')


def test_the_cell_form_fetched_with_htmx_is_the_cell_with_its_choices(manager_client, plan):
    raci_set(task=plan["harbolnas"], member=plan["dewi"], letter="C")
    response = manager_client.get(raci_url(plan["harbolnas"].pk, plan["dewi"].pk), **HTMX)
    content = response.content.decode()
    assert content.strip().startswith(f'<td class="raci-cell raci-cell--editing" id="cell-{plan["harbolnas"].pk}-')
    assert '<input type="radio" name="letter" value="C" checked autofocus>' in content
    assert f'hx-target="#task-{plan["harbolnas"].pk}"' in content
    assertNotContains(response, "<html")


def test_cancel_fetches_the_cell_again(manager_client, plan):
    raci_set(task=plan["harbolnas"], member=plan["dewi"], letter="I")
    url = raci_url(plan["harbolnas"].pk, plan["dewi"].pk, query=WINDOW + "&cancel=1")
    content = manager_client.get(url, **HTMX).content.decode()
    assert content.startswith(f'<td class="raci-cell raci-cell--r raci-cell--i" id="cell-{plan["harbolnas"].pk}-')
    assert marks(content, plan["harbolnas"], plan["dewi"]) == "R 2.40 h I"


def test_without_javascript_the_cell_form_is_a_page(manager_client, plan):
    response = manager_client.get(raci_url(plan["harbolnas"].pk, plan["dewi"].pk))
    assertContains(response, "<html")
    assertContains(response, "Dewi Sari on Harbolnas 12.12 campaign plan")
    assertContains(response, "Responsible: 2.40 h in these weeks")
    assertContains(response, '<input type="radio" name="letter" value="" checked>')


def test_saving_with_htmx_returns_the_row_and_out_of_band_the_summary_and_status(manager_client, plan):
    harbolnas, dewi = plan["harbolnas"], plan["dewi"]
    response = manager_client.post(raci_url(harbolnas.pk, dewi.pk), {"letter": "A"}, **HTMX)
    assert response.status_code == 200
    assert Task.objects.get(pk=harbolnas.pk).accountable == dewi
    content = response.content.decode()
    assert content.strip().startswith(f'<tr id="task-{harbolnas.pk}"')
    assert marks(content, harbolnas, dewi) == "R 2.40 h A"
    assert "autofocus" in cell(content, harbolnas, dewi)  # the changed cell keeps the focus
    assert '<tr id="raci-summary" class="raci-summary" hx-swap-oob="true">' in content
    assert '<div id="raci-warning" hx-swap-oob="true">' in content
    assert "Dewi Sari is now accountable for Harbolnas 12.12 campaign plan." in content  # the status line
    again = manager_client.post(raci_url(harbolnas.pk, dewi.pk), {"letter": "A"}, **HTMX).content.decode()
    assert "Nothing changed: Dewi Sari keeps the same letter on Harbolnas 12.12 campaign plan." in again


def test_a_plain_post_saves_and_goes_back_to_the_matrix_with_a_message(manager_client, plan):
    harbolnas, dewi = plan["harbolnas"], plan["dewi"]
    query = "?start=2026-11-30&weeks=1&focus=strategic"
    response = manager_client.post(raci_url(harbolnas.pk, dewi.pk, query=query), {"letter": "I"})
    assert response.status_code == 302
    assert response["Location"] == raci_url(
        query=f"?start=2026-11-30&weeks=1&focus=strategic&page=1&member_page=1#task-{harbolnas.pk}"
    )
    assert TaskInvolvement.objects.get(task=harbolnas, member=dewi).kind == "informed"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Dewi Sari is now informed of Harbolnas 12.12 campaign plan."
    ]


def test_the_a_moves_from_one_person_to_another(manager_client, plan):
    harbolnas, rina, dewi = plan["harbolnas"], plan["rina"], plan["dewi"]
    raci_set(task=harbolnas, member=rina, letter="A")
    response = manager_client.post(raci_url(harbolnas.pk, dewi.pk), {"letter": "A"}, **HTMX)
    content = response.content.decode()
    assert Task.objects.get(pk=harbolnas.pk).accountable == dewi
    assert marks(content, harbolnas, dewi) == "R 2.40 h A"
    assert marks(content, harbolnas, rina) == "–"  # the previous Accountable's cell, in the same row
    assert "Dewi Sari is now accountable for Harbolnas 12.12 campaign plan, instead of Rina Hartono." in content


def test_taking_a_letter_away_says_which(manager_client, plan):
    raci_set(task=plan["dms"], member=plan["budi"], letter="C")
    response = manager_client.post(raci_url(plan["dms"].pk, plan["budi"].pk), {"letter": ""})
    assert not TaskInvolvement.objects.exists()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Budi Santoso is no longer consulted on Reply to DMs."
    ]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("inactive member", "Andi Former is not an active team member."),
        ("archived task", "This task is archived."),
        ("bad letter", "Choose A, C, I or none."),
        ("no letter", "Choose A, C, I or none."),
    ],
)
def test_a_refusal_shows_the_message_beside_the_choices_and_writes_nothing(manager_client, plan, case, message):
    task, member, data = plan["harbolnas"], plan["dewi"], {"letter": "A"}
    if case == "inactive member":
        member = plan["former"]
    elif case == "archived task":
        Task.objects.filter(pk=task.pk).update(is_active=False)
    elif case == "bad letter":
        data = {"letter": "R"}
    else:
        data = {}
    response = manager_client.post(raci_url(task.pk, member.pk), data)
    assert response.status_code == 400
    assertContains(response, message, status_code=400)
    assertContains(
        response, f'<ul class="errorlist" id="raci-error-{task.pk}-{member.pk}" role="alert">', status_code=400
    )
    htmx = manager_client.post(raci_url(task.pk, member.pk), data, **HTMX)
    assert htmx.status_code == 200  # htmx swaps no 4xx: the cell's form again, with the message
    assert htmx.content.decode().strip().startswith('<td class="raci-cell raci-cell--editing"')
    # in place of its cell, not of the task's row that a saved cell replaces
    assert (htmx["HX-Retarget"], htmx["HX-Reswap"]) == (f"#cell-{task.pk}-{member.pk}", "outerHTML")
    assertContains(htmx, message)
    assert Task.objects.get(pk=task.pk).accountable is None
    assert not TaskInvolvement.objects.exists()


def test_a_member_or_task_of_another_team_is_404(manager_client, plan):
    elsewhere = make_member(make_team())
    assert manager_client.post(raci_url(plan["harbolnas"].pk, elsewhere.pk), {"letter": "A"}).status_code == 404
    assert Task.objects.get(pk=plan["harbolnas"].pk).accountable is None


# ------------------------------------------------------------------ filters


def columns(content: str) -> list[str]:
    return re.findall(r'<th scope="col" class="raci-member"><a href="[^"]+">([^<]+)</a></th>', content)


def task_rows(content: str) -> list[int]:
    return [int(found) for found in re.findall(r'<tr id="task-(\d+)"', content)]


def test_the_focus_filter_keeps_the_tasks_of_that_focus(manager_client, plan):
    content = manager_client.get(raci_url(query=WINDOW + "&focus=strategic")).content.decode()
    assert sorted(task_rows(content)) == sorted(plan[name].pk for name in ("harbolnas", "pillars", "strategy"))
    assert "raci-group--operational" not in content


def test_the_role_filter_keeps_the_tasks_of_that_role(manager_client, plan, specialist):
    content = manager_client.get(raci_url(query=WINDOW + f"&role={specialist.pk}")).content.decode()
    assert task_rows(content) == [plan["dms"].pk, plan["report"].pk]


def test_the_member_filter_shows_one_column(manager_client, plan):
    content = manager_client.get(raci_url(query=WINDOW + f"&member={plan['dewi'].pk}")).content.decode()
    assert columns(content) == ["Dewi Sari"]
    assert marks(content, plan["dms"], plan["dewi"]) == "R 2.00 h"


def test_without_filters_every_active_member_is_a_column_by_name(manager_client, plan):
    assert columns(manager_client.get(raci_url()).content.decode()) == ["Budi Santoso", "Dewi Sari", "Rina Hartono"]


def test_a_bad_filter_value_is_ignored_and_shown_beside_its_field(manager_client, plan):
    response = manager_client.get(raci_url(query=WINDOW + "&focus=strategic&member=999999&weeks=99"))
    content = response.content.decode()
    assert response.status_code == 200
    assert columns(content) == ["Budi Santoso", "Dewi Sari", "Rina Hartono"]  # the member filter is ignored
    assert "raci-group--operational" not in content  # the good filter still applies
    assert 'id="id_member_error"' in content
    assert 'id="raci-weeks_error"' in content  # and the window falls back to the overview's six weeks
    assert "6 weeks from the week of 30 Nov 2026" in content


def test_filters_do_not_change_the_query_count(manager_client, plan, specialist):
    def count(query: str) -> int:
        manager_client.get(raci_url(query=query))  # the window is computed once, then cached
        with CaptureQueriesContext(connection) as queries:
            assert manager_client.get(raci_url(query=query)).status_code == 200
        return len(queries)

    plain = count(WINDOW)
    assert count(WINDOW + "&focus=strategic") == plain
    assert count(WINDOW + f"&role={specialist.pk}&member={plan['rina'].pk}") == plain


def test_htmx_filters_swap_the_body(manager_client, plan):
    response = manager_client.get(raci_url(query=WINDOW + "&focus=strategic"), HTTP_HX_TARGET="raci-body", **HTMX)
    content = response.content.decode()
    assert content.strip().startswith('<div id="raci-body">')
    assert "<html" not in content


# ------------------------------------------------------------------ the summary row and the warning


def summary(content: str) -> str:
    row = re.search(r'<tr id="raci-summary".*?</tr>', content, re.S).group(0)
    return " ".join(re.findall(r'<span class="visually-hidden">([^<]+)</span>', row))


def test_the_summary_row_gives_each_members_hours_and_accountable_tasks(manager_client, plan):
    raci_set(task=plan["harbolnas"], member=plan["rina"], letter="A")
    raci_set(task=plan["pillars"], member=plan["rina"], letter="A")
    content = manager_client.get(raci_url()).content.decode()
    assert summary(content) == (
        "responsible for 0.00 h, accountable for 0 tasks "  # Budi
        "responsible for 4.40 h, accountable for 0 tasks "  # Dewi: 2.00 + 2.40
        "responsible for 10.50 h, accountable for 2 tasks"  # Rina: 7.50 + 3.00
    )


def test_the_summary_counts_every_task_whatever_the_filters(manager_client, plan):
    raci_set(task=plan["harbolnas"], member=plan["rina"], letter="A")
    content = manager_client.get(raci_url(query=WINDOW + f"&focus=strategic&member={plan['rina'].pk}")).content.decode()
    assert summary(content) == "responsible for 10.50 h, accountable for 1 task"  # her hours are operational


WARNING = (
    "Rina Hartono is accountable for 2 of 3 strategic tasks and does 84 % of the operational hours: daily work "
    "can crowd out the strategy they answer for."
)


def test_the_warning_shows_when_one_person_is_accountable_for_most_strategy_and_does_most_operations(
    manager_client, plan
):
    raci_set(task=plan["harbolnas"], member=plan["rina"], letter="A")
    assertNotContains(manager_client.get(raci_url()), "daily work can crowd out")  # 1 of 3: not most
    raci_set(task=plan["pillars"], member=plan["rina"], letter="A")
    assertContains(manager_client.get(raci_url()), WARNING)  # 2 of 3, and 10.50 of 12.50 operational hours


def test_no_warning_when_the_accountable_does_not_do_most_operational_hours(manager_client, plan):
    raci_set(task=plan["harbolnas"], member=plan["dewi"], letter="A")
    raci_set(task=plan["pillars"], member=plan["dewi"], letter="A")
    assertNotContains(manager_client.get(raci_url()), "daily work can crowd out")  # Dewi: 2.00 of 12.50


def test_the_warning_comes_with_the_write_that_raises_it(manager_client, plan):
    raci_set(task=plan["harbolnas"], member=plan["rina"], letter="A")
    response = manager_client.post(raci_url(plan["pillars"].pk, plan["rina"].pk), {"letter": "A"}, **HTMX)
    assertContains(response, WARNING)
    assertContains(response, "accountable for 2 tasks")  # her summary cell, out of band


# ------------------------------------------------------------------ the switch


def switch_url(query: str = WINDOW) -> str:
    return reverse("assignments:raci_switch", args=["marketing"]) + query


def test_the_switch_turns_raci_flags_on_and_off(manager_client, team, plan):
    assertContains(manager_client.get(raci_url()), "RACI flags are off for this team.")
    response = manager_client.post(switch_url(), {"enabled": "on"})
    assert response.status_code == 302
    assert response["Location"] == raci_url(query=WINDOW + "&page=1&member_page=1")
    team.refresh_from_db()
    assert team.raci_enabled
    page = manager_client.get(response["Location"])
    assertContains(page, "RACI flags are now on: the overview flags every task nobody is accountable for.")
    assertContains(page, "RACI flags are on for this team.")
    assertContains(page, '<input type="hidden" name="enabled" value="off">')
    manager_client.post(switch_url(), {"enabled": "off"})
    team.refresh_from_db()
    assert not team.raci_enabled


def test_a_bad_switch_value_is_refused_beside_the_button(manager_client, team, plan):
    response = manager_client.post(switch_url(), {"enabled": "maybe"})
    assertContains(
        response, '<ul class="errorlist" id="raci-switch-error"><li>Choose on or off.</li></ul>', status_code=400
    )
    team.refresh_from_db()
    assert not team.raci_enabled


# ------------------------------------------------------------------ large teams: constant queries, paging


def grow(team, specialist, strategist, size):
    for number in range(size):
        member = make_member(team)
        task = make_task(team, specialist if number % 2 else strategist, cadence="daily")
        make_assignment(task, member, share_percent=60)
        raci_set(task=task, member=member, letter="A")
        make_time_off(member, MONDAY, MONDAY)
        TaskInvolvement.objects.create(task=task, member=make_member(team), kind="consulted")


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "saving a cell"])
def test_the_page_runs_the_same_queries_at_two_team_sizes(manager_client, team, specialist, strategist, plan, htmx):
    def count() -> int:
        """One GET of the page, or one save that gives Budi a C (the same write at each size)."""
        raci_set(task=plan["dms"], member=plan["budi"], letter="")
        with CaptureQueriesContext(connection) as queries:
            if htmx:
                response = manager_client.post(raci_url(plan["dms"].pk, plan["budi"].pk), {"letter": "C"}, **HTMX)
            else:
                response = manager_client.get(raci_url())
        assert response.status_code == 200
        return len(queries)

    grow(team, specialist, strategist, 3)
    small = count()
    grow(team, specialist, strategist, 12)
    assert count() == small


def test_member_columns_are_paged_and_the_links_keep_the_filters(manager_client, team, plan):
    for number in range(RACI_MEMBER_PAGE_SIZE):
        make_member(team, full_name=f"Zz Member {number:02}")
    query = WINDOW + "&focus=operational"
    first = manager_client.get(raci_url(query=query)).content.decode()
    assert len(columns(first)) == RACI_MEMBER_PAGE_SIZE
    assert "Members: page 1 of 2" in first
    next_link = "?start=2026-11-30&amp;weeks=1&amp;focus=operational&amp;page=1&amp;member_page=2"
    assert f'href="{next_link}"' in first
    second = manager_client.get(raci_url(query=query + "&member_page=2")).content.decode()
    assert columns(second) == ["Zz Member 22", "Zz Member 23", "Zz Member 24"]
    assert "raci-group--strategic" not in second
    assert summary(second).count("responsible for 0.00 h") == 3  # the summary row is this page's columns


def test_the_tasks_of_each_focus_are_paged_in_step(manager_client, team, specialist, strategist, plan):
    for number in range(RACI_TASK_PAGE_SIZE):
        make_task(team, specialist, title=f"Zz operational {number:02}", cadence="weekly")
    first = manager_client.get(raci_url(query=WINDOW + f"&member={plan['rina'].pk}")).content.decode()
    assert len(task_rows(first)) == RACI_TASK_PAGE_SIZE + 3  # a page of operational tasks, and the 3 strategic
    assert "Tasks: page 1 of 2" in first
    next_link = f"?start=2026-11-30&amp;weeks=1&amp;member={plan['rina'].pk}&amp;member_page=1&amp;page=2"
    assert f'href="{next_link}"' in first
    second = manager_client.get(raci_url(query=WINDOW + f"&member={plan['rina'].pk}&page=2")).content.decode()
    assert len(task_rows(second)) == 2  # 27 operational tasks in all; the strategic ones end on page 1
    assert "raci-group--strategic" not in second
    assert columns(second) == ["Rina Hartono"]


def test_a_flags_link_asks_for_a_task_and_gets_the_page_holding_it(manager_client, team, specialist, plan):
    for number in range(RACI_TASK_PAGE_SIZE):
        make_task(team, specialist, title=f"Zz operational {number:02}", cadence="weekly")
    last = Task.objects.get(team=team, title=f"Zz operational {RACI_TASK_PAGE_SIZE - 1:02}")
    page = manager_client.get(raci_url(query=WINDOW + f"&task={last.pk}")).content.decode()
    assert "Tasks: page 2 of 2" in page
    assert f'id="task-{last.pk}"' in page
    for bad in ("x", "-1", "9" * 30):  # not a task: the first page, as without it
        assert "Tasks: page 1 of 2" in manager_client.get(raci_url(query=WINDOW + f"&task={bad}")).content.decode()


def test_the_page_offers_its_weeks_as_raci_csv(manager_client, team, plan):
    page = manager_client.get(raci_url(query=WINDOW)).content.decode()
    export = reverse("assignments:export_raci_csv", args=[team.slug])
    assert f'href="{export}?start=2026-11-30&amp;weeks=1" download>RACI (CSV)</a>' in page
