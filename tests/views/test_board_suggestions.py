"""Before assigning on the board: the ranked people for a task, and the preview of one choice.

The week of Monday 30 November 2026 (the frozen "today" is Wednesday 2 December) and the board's
four weeks from it. "Q1 campaign plan" is a weekly strategic task of 4 h on Mondays, nobody on it.
Sari (strategist, 40 h) does 8 h of strategy a week; Ayu (specialist, 20 h) replies to DMs, 2 h a
working day (10 h a week); Budi (40 h) has nothing. Taking the whole task adds 4 h a week to whoever
takes it: Sari holds the role (first), Budi would reach 4 of 40 h, Ayu would reach 14 of 20 h and
cover both roles by work (16 h strategic of 56 h over the window, at least 10 %), so she comes last.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from assignments.models import Assignment
from assignments.selectors.assign_preview import SUGGESTIONS_SHOWN
from assignments.suggestions import task_suggestions
from tests.factories import PLAN_MODELS, make_assignment, make_holding, make_member, make_task, make_team
from tests.views.helpers import HTMX, board_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(team, specialist, strategist, this_monday):
    sari = make_member(team, full_name="Sari Wulandari", email="sari@example.com")
    ayu = make_member(team, full_name="Ayu Lestari", email="ayu@example.com", weekly_capacity_hours=Decimal(20))
    budi = make_member(team, full_name="Budi Santoso", email="budi@example.com")
    make_holding(sari, strategist, start_date=this_monday)
    make_holding(ayu, specialist, start_date=this_monday)
    weekly = {"cadence": "weekly", "start_date": this_monday}
    make_assignment(make_task(team, strategist, title="Strategy review", effort_hours=8, **weekly), sari)
    replies = make_task(team, specialist, title="Reply to DMs", cadence="daily", effort_hours=2, start_date=this_monday)
    make_assignment(replies, ayu)
    campaign = make_task(team, strategist, title="Q1 campaign plan", effort_hours=4, **weekly)
    return {"task": campaign, "replies": replies, "sari": sari, "ayu": ayu, "budi": budi}


def suggestions_url(task, **query) -> str:
    params = "&".join(f"{key}={value}" for key, value in query.items())
    return board_url("task_suggestions", task.pk) + (f"?{params}" if params else "")


def preview_url(task) -> str:
    return board_url("assign_preview", task.pk) + "?page=1"


def choice(task, member, share) -> dict:
    return {f"assign-{task.pk}-member": member.pk if member else "", f"assign-{task.pk}-share_percent": share}


def shown_names(response) -> list[str]:
    return [candidate.member.name for candidate in response.context["shown"].candidates]


# ------------------------------------------------------------------ the board loads them on demand


def test_board_computes_no_suggestions(manager_client, plan, monkeypatch):
    def refuse(**kwargs):
        raise AssertionError("the board must not rank people for its cards")

    monkeypatch.setattr("assignments.selectors.assign_preview.task_suggestions", refuse)
    response = manager_client.get(board_url("team_board"))
    assertNotContains(response, "Who should take it?")
    assertContains(response, "Show suggestions")


def test_each_card_links_to_its_suggestions_and_a_folded_one_loads_them_when_opened(manager_client, plan):
    task, replies = plan["task"], plan["replies"]
    page = manager_client.get(board_url("team_board")).content.decode()
    # Without JavaScript a link to the page; with htmx the same URL into the card.
    link = f'href="{suggestions_url(task, page=1)}"'
    assert link in page
    assert f'hx-get="{suggestions_url(task, page=1)}" hx-target="#assign-{task.pk}"' in page
    # "Reply to DMs" is fully assigned: its "Assign someone" is folded and fetches when opened, once.
    assert (
        f'hx-get="{suggestions_url(replies, page=1)}" hx-trigger="toggle once" hx-target="#assign-{replies.pk}"' in page
    )
    # An open one (nobody on "Q1 campaign plan") does not fetch on load: the button does.
    assert f'hx-get="{suggestions_url(task, page=1)}" hx-trigger' not in page


# ------------------------------------------------------------------ the ranked list


def test_suggestions_are_shown_in_the_order_of_task_suggestions(manager_client, plan, today):
    task = plan["task"]
    response = manager_client.get(suggestions_url(task), **HTMX)
    ranked = task_suggestions(task=task, start=today.date, weeks=4).candidates
    assert shown_names(response) == [candidate.member.name for candidate in ranked]
    assert shown_names(response) == ["Sari Wulandari", "Budi Santoso", "Ayu Lestari"]
    page = response.content.decode()
    assert page.index("Sari Wulandari") < page.index("Budi Santoso") < page.index("Ayu Lestari")


def test_each_suggestion_says_its_reasons_joined_by_dots(manager_client, plan):
    response = manager_client.get(suggestions_url(plan["task"]), **HTMX)
    # Sari: 8 + 4 = 12 h of 40 in each week, the first of them the tightest
    assertContains(
        response,
        "holds the role Social Media Strategist · 28.00 h free in the week of 30 Nov 2026 · would not cover both roles",
    )
    assertContains(
        response,
        "does not hold the role Social Media Strategist · 6.00 h free in the week of 30 Nov 2026 · "
        "would then cover both operational and strategic roles",
    )


def test_suggestion_fragment_is_the_assign_form_of_the_card(manager_client, plan):
    task, sari = plan["task"], plan["sari"]
    response = manager_client.get(suggestions_url(task, page=1), **HTMX)
    assert response.templates[0].name == "assignments/_suggestions.html"
    assign = board_url("assign", task.pk) + "?page=1"
    assertContains(response, f'hx-post="{assign}" hx-target="#task-{task.pk}" hx-swap="outerHTML"')
    assertContains(response, f'name="assign-{task.pk}-member" value="{sari.pk}"')
    # the default share is what is left: all of it
    assertContains(response, f'name="assign-{task.pk}-share_percent"')
    assert response.context["form"]["share_percent"].value() == 100
    assertContains(response, "Best first, for a share of 100 % in the 4 weeks from 30 Nov.")


def test_suggestions_rank_for_the_share_asked(manager_client, plan):
    response = manager_client.get(suggestions_url(plan["task"], share=50), **HTMX)
    assert response.context["form"]["share_percent"].value() == 50
    assertContains(response, "30.00 h free in the week of 30 Nov 2026")  # Sari: 8 + 2 of 40


def test_suggestions_show_the_best_few_and_everyone_on_request(manager_client, team, plan):
    for number in range(SUGGESTIONS_SHOWN):
        make_member(team, full_name=f"Extra {number}")
    task = plan["task"]
    response = manager_client.get(suggestions_url(task, page=1), **HTMX)
    assert len(shown_names(response)) == SUGGESTIONS_SHOWN
    assertContains(response, "Show 3 more people")
    everyone = manager_client.get(suggestions_url(task, page=1, all="on"), **HTMX)
    assert len(shown_names(everyone)) == SUGGESTIONS_SHOWN + 3


def test_suggestions_page_without_javascript(manager_client, plan):
    task = plan["task"]
    response = manager_client.get(suggestions_url(task, page=1))
    assert response.status_code == 200
    assert "assignments/assign_preview.html" in [template.name for template in response.templates]
    assertContains(response, "Who should take “Q1 campaign plan”?")
    # a plain form: "Assign" posts to the board's assign view, "Preview" to the preview page
    assertContains(response, f'action="{board_url("assign", task.pk)}?page=1"')
    assertContains(response, f'formaction="{preview_url(task)}"')
    assertNotContains(response, f'hx-target="#task-{task.pk}"')
    assertContains(response, f'href="{board_url("team_board")}?page=1#task-{task.pk}"')  # back to the card


def test_suggestions_when_everyone_is_on_the_task(manager_client, team, strategist, this_monday):
    task = make_task(team, strategist, title="Solo", start_date=this_monday)
    make_assignment(task, make_member(team, full_name="Only One"), share_percent=40)
    response = manager_client.get(suggestions_url(task), **HTMX)
    assertContains(response, "Everyone active on the team already works on this task.")


def test_suggestions_are_for_active_tasks_of_the_team(manager_client, plan, strategist):
    archived = make_task(plan["task"].team, strategist, title="Old", is_active=False)
    elsewhere = make_task(make_team(), strategist, title="Theirs")
    assert manager_client.get(suggestions_url(archived)).status_code == 404
    assert manager_client.get(suggestions_url(elsewhere)).status_code == 404
    assert manager_client.post(preview_url(elsewhere), choice(elsewhere, plan["ayu"], 50)).status_code == 404


# ------------------------------------------------------------------ the preview (htmx)


def test_preview_shows_each_week_before_and_after_with_its_band(manager_client, plan):
    task, ayu = plan["task"], plan["ayu"]
    response = manager_client.post(preview_url(task), choice(task, ayu, 100), **HTMX)
    assert response.status_code == 200
    panel = response.context["panel"]
    assert [change.member.name for change in panel.members] == ["Ayu Lestari"]
    weeks = panel.members[0].weeks
    assert [(week.before.total_hours, week.after.total_hours, week.after.capacity_hours) for week in weeks] == [
        (10, 14, 20)
    ] * 4
    assert [(week.before.band, week.after.band) for week in weeks] == [("under", "healthy")] * 4
    assertContains(response, "If Ayu Lestari takes 100 %")
    assertContains(
        response,
        '<tr class="preview__changed"><th scope="row">30 Nov</th>'
        '<td class="cell cell--under"><span class="cell__hours">10.00 / 20.00 h</span>'
        '<span class="cell__band">under</span></td><td class="preview__arrow">→</td>'
        '<td class="cell cell--healthy"><span class="cell__hours">14.00 / 20.00 h</span>'
        '<span class="cell__band">healthy</span></td></tr>',
        html=True,
    )


def test_preview_says_the_dual_role_plainly_and_lists_the_flags_cleared(manager_client, plan):
    task, ayu = plan["task"], plan["ayu"]
    response = manager_client.post(preview_url(task), choice(task, ayu, 100), **HTMX)
    panel = response.context["panel"]
    assert panel.dual_roles == ["Ayu Lestari would then cover both operational and strategic roles."]
    assert panel.raised == []
    assert panel.cleared == ["Q1 campaign plan is only 0 % assigned."]
    assertContains(
        response,
        '<p class="preview__warning">Ayu Lestari would then cover both operational and strategic roles.</p>',
        html=True,
    )


def test_preview_of_a_holder_raises_no_dual_role(manager_client, plan):
    task, sari = plan["task"], plan["sari"]
    response = manager_client.post(preview_url(task), choice(task, sari, 50), **HTMX)
    panel = response.context["panel"]
    assert panel.dual_roles == []
    week = panel.members[0].weeks[0]
    assert (week.before.total_hours, week.after.total_hours) == (8, 10)
    assert panel.cleared == []  # still half unassigned: the same flag, not a new one
    assertContains(response, "No flag would be raised or cleared.")


def test_preview_raises_an_over_allocation(manager_client, plan):
    task, ayu = plan["task"], plan["ayu"]
    ayu.weekly_capacity_hours = Decimal(12)
    ayu.save()
    response = manager_client.post(preview_url(task), choice(task, ayu, 100), **HTMX)
    assert response.context["panel"].raised == [
        "Ayu Lestari is over capacity in 4 weeks, 30 Nov – 21 Dec: 14.00 h of 12.00 h each."
    ]


def test_preview_writes_nothing(manager_client, plan):
    task, ayu = plan["task"], plan["ayu"]
    counts = [model.objects.count() for model in PLAN_MODELS]
    with CaptureQueriesContext(connection) as queries:
        assert manager_client.post(preview_url(task), choice(task, ayu, 100), **HTMX).status_code == 200
        assert manager_client.post(preview_url(task), choice(task, ayu, 100)).status_code == 200
    writes = [query["sql"] for query in queries if query["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert all('"django_session"' in sql for sql in writes)  # only the session's expiry moves on
    assert [model.objects.count() for model in PLAN_MODELS] == counts


def test_a_broken_rule_shows_beside_its_field(manager_client, plan, team):
    task, ayu, budi = plan["task"], plan["ayu"], plan["budi"]
    make_assignment(task, budi, share_percent=50)
    response = manager_client.post(preview_url(task), choice(task, ayu, 80), **HTMX)
    assert response.context["panel"] is None
    assertContains(
        response,
        f'<ul class="errorlist" id="assign-{task.pk}-share_percent-errors" hx-swap-oob="true">'
        "<li>Only 50 % of this task is left to assign.</li></ul>",
        html=True,
    )
    assertContains(
        response, f'<ul class="errorlist" id="assign-{task.pk}-member-errors" hx-swap-oob="true"></ul>', html=True
    )
    # someone already on the task: beside the person
    response = manager_client.post(preview_url(task), choice(task, budi, 10), **HTMX)
    assertContains(response, "Budi Santoso is already assigned to this task.")
    assert response.context["form"].errors["member"] == ["Budi Santoso is already assigned to this task."]


def test_a_share_out_of_range_shows_beside_the_share(manager_client, plan):
    task, ayu = plan["task"], plan["ayu"]
    response = manager_client.post(preview_url(task), choice(task, ayu, 0), **HTMX)
    assert list(response.context["form"].errors) == ["share_percent"]
    assertContains(response, f'id="assign-{task.pk}-share_percent-errors" hx-swap-oob="true"><li>')


def test_a_share_changed_before_anyone_is_picked_asks_to_pick_someone(manager_client, plan):
    task = plan["task"]
    response = manager_client.post(preview_url(task), choice(task, None, 40), **HTMX)
    assertContains(response, "Pick a person and a share to see what would change before you assign.")
    assertNotContains(response, "This field is required.")


def test_preview_from_the_cards_quick_form_shows_the_ranked_form_with_the_choice_kept(manager_client, plan):
    task, ayu = plan["task"], plan["ayu"]
    page = manager_client.get(board_url("team_board")).content.decode()
    assert f'hx-post="{preview_url(task)}" hx-target="#assign-{task.pk}" hx-swap="innerHTML"' in page
    response = manager_client.post(preview_url(task), choice(task, ayu, 60), HTTP_HX_TARGET=f"assign-{task.pk}", **HTMX)
    assert response.status_code == 200
    assert response.templates[0].name == "assignments/_suggestions.html"
    assert response.context["chosen"] == str(ayu.pk)
    assertContains(response, f'hx-target="#task-{task.pk}"')  # "Assign" swaps the card
    assertContains(response, "Ayu Lestari would then cover both operational and strategic roles.")
    assertContains(response, 'value="60"')


# ------------------------------------------------------------------ without JavaScript


def test_preview_page_keeps_the_form_and_shows_the_preview(manager_client, plan):
    task, ayu = plan["task"], plan["ayu"]
    response = manager_client.post(preview_url(task), choice(task, ayu, 60))
    assert response.status_code == 200
    assert "assignments/assign_preview.html" in [template.name for template in response.templates]
    assertContains(
        response,
        f'<input type="radio" name="assign-{task.pk}-member" value="{ayu.pk}" id="assign-{task.pk}-member-{ayu.pk}"'
        " checked>",
        html=True,
    )
    assertContains(response, 'value="60"')
    assertContains(response, "If Ayu Lestari takes 60 %")
    assertContains(response, "12.40 / 20.00 h")  # 10 + 60 % of 4
    assertContains(response, "Ayu Lestari would then cover both operational and strategic roles.")
    # ranked for the share chosen; "Assign" still posts to the board's assign view
    assertContains(response, "Best first, for a share of 60 %")
    assertContains(response, f'action="{board_url("assign", task.pk)}?page=1"')


def test_preview_page_shows_the_error_beside_the_field(manager_client, plan):
    task, ayu = plan["task"], plan["ayu"]
    make_assignment(task, plan["budi"], share_percent=70)
    response = manager_client.post(preview_url(task), choice(task, ayu, 50))
    assert response.status_code == 400
    assertContains(
        response,
        f'<ul class="errorlist" id="assign-{task.pk}-share_percent-errors">'
        "<li>Only 30 % of this task is left to assign.</li></ul>",
        status_code=400,
        html=True,
    )
    assertContains(response, 'value="50"', status_code=400)  # the form is kept
    no_one = manager_client.post(preview_url(task), choice(task, None, 50))
    assert no_one.status_code == 400
    assert list(no_one.context["form"].errors) == ["member"]


def test_preview_page_lists_everyone_when_the_chosen_person_ranks_low(manager_client, team, plan):
    for number in range(SUGGESTIONS_SHOWN):
        make_member(team, full_name=f"Extra {number}")
    task, ayu = plan["task"], plan["ayu"]  # ranks last: creates a dual role
    response = manager_client.post(preview_url(task), choice(task, ayu, 100))
    assert shown_names(response)[-1] == "Ayu Lestari"
    assert response.context["chosen"] == str(ayu.pk)


def test_assign_from_the_preview_page_lands_on_the_card(manager_client, team, strategist, plan, this_monday):
    for number in range(31):  # "Q1 campaign plan" sorts after these: its card is on page 2
        make_task(team, strategist, title=f"A strategy {number:02d}", start_date=this_monday)
    task, ayu = plan["task"], plan["ayu"]
    response = manager_client.post(board_url("assign", task.pk) + "?page=1", choice(task, ayu, 60))
    assertRedirects(response, f"{board_url('team_board')}?page=2#task-{task.pk}", fetch_redirect_response=False)
    assert Assignment.objects.get(task=task).share_percent == 60
