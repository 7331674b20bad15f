"""Behind every flag that needs a person: the overview's links land on the suggestion for that case.

Today is Wednesday 2 December 2026; the window is the overview's, six weeks from Monday 30 November.
The plan (hand-worked, 40 h a week each, Monday to Friday):

- Rina holds the strategist role: "Replies" (specialist, daily 9 h) and "Strategy" (strategist, weekly
  4 h), 49 h a week: over capacity every week, and strategy squeezed (24 of 294 h, 8 %).
- Sari holds the specialist role and half of "Monthly report" (strategist, weekly 2 h): 1 h a week.
- Dewi holds the specialist role and "Posting" (daily 1 h); she is away on Thursday 3 December, so that
  day's Posting is a duty on a day off, and her capacity that week is 32 h.
- Budi holds nothing and has nothing planned.
- "Campaign plan" (strategist, weekly 4 h) has nobody; "Pillars" (content strategist, weekly 2 h) has
  nobody, and nobody holds the content strategist role.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from assignments.models import Assignment
from roles.models import Role
from tests.factories import make_assignment, make_holding, make_member, make_role, make_task, make_time_off, make_user
from tests.views.helpers import HTMX

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("assignments:team_overview", args=["marketing"])
START = "2026-11-30"


@pytest.fixture
def plan(team, specialist, strategist, this_monday):
    people = {name: make_member(team, full_name=name, weekly_capacity_hours=Decimal(40)) for name in PEOPLE}
    make_holding(people["Rina"], strategist, start_date=this_monday)
    make_holding(people["Sari"], specialist, start_date=this_monday)
    make_holding(people["Dewi"], specialist, start_date=this_monday)
    content = make_role(Role.Focus.STRATEGIC, name="Content Strategist", slug="content-strategist")

    def task(title, role, cadence, hours):
        return make_task(team, role, title=title, cadence=cadence, effort_hours=hours, start_date=this_monday)

    tasks = {
        "Replies": task("Replies", specialist, "daily", 9),
        "Strategy": task("Strategy", strategist, "weekly", 4),
        "Monthly report": task("Monthly report", strategist, "weekly", 2),
        "Posting": task("Posting", specialist, "daily", 1),
        "Campaign plan": task("Campaign plan", strategist, "weekly", 4),
        "Pillars": task("Pillars", content, "weekly", 2),
    }
    make_assignment(tasks["Replies"], people["Rina"])
    make_assignment(tasks["Strategy"], people["Rina"])
    make_assignment(tasks["Monthly report"], people["Sari"], share_percent=50)
    make_assignment(tasks["Posting"], people["Dewi"])
    make_time_off(people["Dewi"], datetime.date(2026, 12, 3), datetime.date(2026, 12, 3))
    return people, tasks, content


PEOPLE = ["Rina", "Sari", "Dewi", "Budi"]


def url(name, *args, **query):
    base = reverse(f"assignments:{name}", args=["marketing", *args])
    return base + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def names_in_order(response) -> list[str]:
    return re.findall(r'class="fix-candidate__name" href="[^"]+">([^<]+)</a>', response.content.decode())


# ------------------------------------------------------------------ the overview's links


def test_overview_flags_link_to_the_page_that_fixes_each(manager_client, plan):
    people, tasks, content = plan
    page = manager_client.get(OVERVIEW).content.decode().replace("&amp;", "&")
    rina, dewi = people["Rina"].pk, people["Dewi"].pk
    for link in [
        url("fix_task", tasks["Campaign plan"].pk, start=START),  # task_unassigned
        url("fix_hand_over", rina, flag="over_allocated", start=START),
        url("fix_hand_over", rina, flag="strategy_squeezed", start=START),
        url("fix_role", role=content.pk, start=START),  # role_uncovered
        url("arrange_cover", dewi, date="2026-12-03", start=START),  # duty_uncovered
    ]:
        assert f'href="{link}"' in page, link


def test_overview_flags_no_longer_send_to_the_whole_board(manager_client, plan):
    people, _tasks, _content = plan
    assertNotContains(manager_client.get(OVERVIEW), f"/board/?member={people['Rina'].pk}")


def test_overview_links_carry_the_window_the_manager_looks_at(manager_client, plan):
    _people, tasks, _content = plan
    response = manager_client.get(OVERVIEW, {"start": "2026-12-09"})
    assertContains(response, url("fix_task", tasks["Campaign plan"].pk, start="2026-12-07"))


def test_member_page_flags_link_to_the_fix_pages_for_managers_only(client, manager_client, plan):
    people, _tasks, _content = plan
    page = manager_client.get(reverse("assignments:member", args=[people["Rina"].pk])).content.decode()
    assert url("fix_hand_over", people["Rina"].pk, flag="strategy_squeezed", start=START) in page.replace("&amp;", "&")
    dewi_page = manager_client.get(reverse("assignments:member", args=[people["Dewi"].pk])).content.decode()
    assert url("arrange_cover", people["Dewi"].pk, date="2026-12-03", start=START) in dewi_page.replace("&amp;", "&")
    user = make_user()
    people["Rina"].user = user
    people["Rina"].save()
    client.force_login(user)
    assertNotContains(client.get(reverse("assignments:member", args=[people["Rina"].pk])), "/fix/")


# ------------------------------------------------------------------ task_unassigned: who should take the rest


def test_task_page_ranks_who_should_take_the_share_left(manager_client, plan):
    _people, tasks, _content = plan
    response = manager_client.get(url("fix_task", tasks["Monthly report"].pk, start=START))
    assert response.context["fix"].suggestions.share_percent == 50  # the half nobody holds
    # Rina holds the role (over capacity or not), Dewi and Budi do not: Budi's busiest week is lighter
    assert names_in_order(response) == ["Rina", "Budi", "Dewi"]
    assertContains(response, "holds the role Social Media Strategist · over capacity in the week of 30 Nov 2026")
    assertContains(response, "Adds 6.00 h in these weeks")  # 2 h × 50 % × 6 weeks


def test_task_page_assign_button_posts_the_boards_fields_and_lands_on_the_card(manager_client, plan):
    people, tasks, _content = plan
    task = tasks["Monthly report"]
    page = manager_client.get(url("fix_task", task.pk, start=START)).content.decode()
    form = re.search(r'<form method="post" action="([^"]+/assign/)" class="inline-form">(.*?)</form>', page, re.S)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]+)"', form.group(2)))
    assert form.group(1) == reverse("assignments:assign", args=["marketing", task.pk])
    assert fields[f"assign-{task.pk}-member"] == str(people["Rina"].pk)
    assert fields[f"assign-{task.pk}-share_percent"] == "50"
    response = manager_client.post(form.group(1), fields)
    assert response.status_code == 302 and response["Location"].endswith(f"#task-{task.pk}")
    assert task.assignments.get(member=people["Rina"]).share_percent == 50


def test_task_page_ranks_for_another_share(manager_client, plan):
    _people, tasks, _content = plan
    response = manager_client.get(url("fix_task", tasks["Monthly report"].pk, share=100))
    assert response.context["fix"].suggestions.share_percent == 100
    assertContains(response, "Adds 12.00 h in these weeks")


@pytest.mark.parametrize("share", ["0", "101", "half"])
def test_task_page_shows_a_bad_share_beside_its_field(manager_client, plan, share):
    _people, tasks, _content = plan
    response = manager_client.get(url("fix_task", tasks["Monthly report"].pk, share=share))
    assert response.status_code == 400
    assert response.context["form"].errors == {"share": ["Must be a whole number from 1 to 100."]}
    assert names_in_order(response) == ["Rina", "Budi", "Dewi"]  # still the suggestions for the share left


def test_task_preview_says_before_and_after_and_the_flag_it_clears(manager_client, plan):
    people, tasks, _content = plan
    response = manager_client.get(
        url("fix_task_preview", tasks["Monthly report"].pk, member=people["Budi"].pk, share_percent=50, start=START)
    )
    assert response.status_code == 200
    [change] = response.context["lines"].members
    assert change.member.name == "Budi"
    assert [(week.before.total_hours, week.after.total_hours) for week in change.weeks] == [(0, 1)] * 6
    assertContains(response, "Monthly report is only 50 % assigned.")  # cleared
    assertContains(response, "Flags it would clear")
    assertNotContains(response, "Flags it would raise")
    assert Assignment.objects.filter(member=people["Budi"]).count() == 0  # a preview writes nothing


def test_task_preview_states_a_raised_dual_role_plainly(manager_client, plan):
    people, tasks, _content = plan
    # Dewi: 5 h operational a week (4 in the first, a day off) + 4 h strategic: 24 of 53 h, at least 10 %
    response = manager_client.get(
        url("fix_task_preview", tasks["Campaign plan"].pk, member=people["Dewi"].pk, share_percent=100)
    )
    assertContains(response, "Dewi would then cover both operational and strategic roles.")


def test_task_preview_answers_htmx_with_the_fragment_only(manager_client, plan):
    people, tasks, _content = plan
    response = manager_client.get(
        url("fix_task_preview", tasks["Monthly report"].pk, member=people["Budi"].pk, share_percent=50), **HTMX
    )
    assert response.status_code == 200
    assert b"<html" not in response.content and b'class="fix-preview"' in response.content


def test_task_preview_puts_a_refused_change_beside_its_field(manager_client, plan):
    people, tasks, _content = plan
    task = tasks["Monthly report"]
    response = manager_client.get(url("fix_task_preview", task.pk, member=people["Budi"].pk, share_percent=60))
    assert response.status_code == 400
    assert response.context["form"].errors == {"share_percent": ["Only 50 % of this task is left to assign."]}
    taken = manager_client.get(url("fix_task_preview", task.pk, member=people["Sari"].pk, share_percent=10), **HTMX)
    assert taken.status_code == 200  # htmx swaps a 200: the errors in the fragment
    assertContains(taken, "Sari is already assigned to this task.")


def test_task_preview_without_a_person_asks_for_one(manager_client, plan):
    _people, tasks, _content = plan
    response = manager_client.get(url("fix_task_preview", tasks["Monthly report"].pk))
    assert response.status_code == 200
    assert response.context["form"]["share_percent"].value() == 50
    assertContains(response, "Pick a person and a share")


# ------------------------------------------------------------------ over_allocated, strategy_squeezed: hand over


def test_hand_over_lists_all_their_tasks_most_hours_first(manager_client, plan):
    people, _tasks, _content = plan
    response = manager_client.get(url("fix_hand_over", people["Rina"].pk, flag="over_allocated", start=START))
    rows = response.context["hand_over"].tasks
    assert [(row.assignment.task.title, row.hours) for row in rows] == [("Replies", 270), ("Strategy", 24)]
    assertContains(response, "their share 100 %, 270.00 h in these weeks")


def test_hand_over_for_a_squeezed_strategy_lists_their_operational_tasks(manager_client, plan):
    people, _tasks, _content = plan
    response = manager_client.get(url("fix_hand_over", people["Rina"].pk, flag="strategy_squeezed"))
    assert [row.assignment.task.title for row in response.context["hand_over"].tasks] == ["Replies"]


def test_hand_over_offers_the_best_three_at_their_share(manager_client, plan):
    people, _tasks, _content = plan
    response = manager_client.get(url("fix_hand_over", people["Rina"].pk, flag="strategy_squeezed"))
    [row] = response.context["hand_over"].tasks
    # both specialists hold the role; Dewi is away on one of its days
    assert [(c.member.name, c.time_off_conflicts) for c in row.candidates] == [("Sari", 0), ("Dewi", 1), ("Budi", 0)]


def test_move_preview_shows_both_people_and_the_flags_it_clears(manager_client, plan):
    people, tasks, _content = plan
    replies = tasks["Replies"].assignments.get()
    response = manager_client.get(url("fix_move", replies.pk, to_member=people["Sari"].pk, start=START))
    lines = response.context["lines"]
    figures = {
        change.member.name: (change.weeks[1].before.total_hours, change.weeks[1].after.total_hours)
        for change in lines.members
    }
    assert figures == {"Rina": (49, 4), "Sari": (1, 46)}
    assert "Rina is over capacity in 6 weeks, 30 Nov – 4 Jan: 49.00 h of 40.00 h each." in lines.cleared
    assert any(line.startswith("Rina holds a strategic role but spends only") for line in lines.cleared)
    assert lines.raised == ["Sari is over capacity in 6 weeks, 30 Nov – 4 Jan: 46.00 h of 40.00 h each."]
    assert tasks["Replies"].assignments.get().member == people["Rina"]  # nothing written


def test_move_hands_the_task_over_and_goes_back_to_the_list(manager_client, plan):
    people, tasks, _content = plan
    replies = tasks["Replies"].assignments.get()
    post = {"to_member": people["Sari"].pk, "flag": "strategy_squeezed", "start": START}
    response = manager_client.post(url("fix_move", replies.pk), post)
    assert response.status_code == 302
    assert response["Location"] == url("fix_hand_over", people["Rina"].pk, flag="strategy_squeezed", start=START)
    assert list(tasks["Replies"].assignments.values_list("member__full_name", "share_percent")) == [("Sari", 100)]
    [message] = get_messages(response.wsgi_request)
    assert str(message) == "“Replies” is handed over from Rina to Sari."


def test_move_with_htmx_answers_with_the_list_without_the_task(manager_client, plan):
    people, tasks, _content = plan
    replies = tasks["Replies"].assignments.get()
    post = {"to_member": people["Budi"].pk, "flag": "over_allocated", "start": START}
    response = manager_client.post(url("fix_move", replies.pk), post, **HTMX)
    assert response.status_code == 200 and b"<html" not in response.content
    assert [row.assignment.task.title for row in response.context["hand_over"].tasks] == ["Strategy"]
    assertContains(response, "“Replies” is handed over from Rina to Budi.")


def test_refused_move_shows_the_error_and_changes_nothing(manager_client, plan, team):
    people, tasks, _content = plan
    replies = tasks["Replies"].assignments.get()
    gone = make_member(team, full_name="Gone", is_active=False)
    response = manager_client.post(url("fix_move", replies.pk), {"to_member": gone.pk})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["to_member"]
    htmx = manager_client.post(url("fix_move", replies.pk), {"to_member": people["Rina"].pk}, **HTMX)
    assertContains(htmx, "Rina is already assigned to this task.")
    assert list(tasks["Replies"].assignments.values_list("member__full_name", flat=True)) == ["Rina"]


def test_move_preview_to_the_person_who_has_it_is_an_error_beside_the_field(manager_client, plan):
    people, tasks, _content = plan
    replies = tasks["Replies"].assignments.get()
    response = manager_client.get(url("fix_move", replies.pk, to_member=people["Rina"].pk))
    assert response.status_code == 400
    assert response.context["form"].errors == {"to_member": ["Rina is already assigned to this task."]}
    assert response.context["lines"] is None


def test_move_preview_without_a_person_asks_for_one(manager_client, plan):
    _people, tasks, _content = plan
    response = manager_client.get(url("fix_move", tasks["Replies"].assignments.get().pk))
    assert response.status_code == 200
    assertContains(response, "Pick who takes it over to see what would change.")


def test_move_keeps_shares_at_most_100(manager_client, plan):
    """Sari left; her 50 % of the monthly report counts nowhere, and Budi took 60 % meanwhile."""
    people, tasks, _content = plan
    report = tasks["Monthly report"]
    people["Sari"].is_active = False
    people["Sari"].save()
    make_assignment(report, people["Budi"], share_percent=60)
    response = manager_client.post(
        url("fix_move", report.assignments.get(member=people["Sari"]).pk), {"to_member": people["Dewi"].pk}
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["Only 40 % of this task is left to assign."]
    assert sorted(report.assignments.values_list("member__full_name", "share_percent")) == [("Budi", 60), ("Sari", 50)]


def test_move_of_another_teams_assignment_is_404(manager_client, plan, specialist):
    other = make_assignment(make_task(role=specialist), make_member())
    assert manager_client.get(url("fix_move", other.pk)).status_code == 404
    assert manager_client.post(url("fix_move", other.pk), {"to_member": 1}).status_code == 404


# ------------------------------------------------------------------ role_uncovered: who could hold it


def test_role_page_ranks_by_not_covering_both_then_free_hours(manager_client, plan):
    _people, _tasks, content = plan
    response = manager_client.get(url("fix_role", role=content.pk, start=START))
    [fix] = response.context["fixes"]
    # Budi 240 h free; Rina is over (294 of 240 h) but strategic only; Sari (234 free) and Dewi (232 - 29 = 203
    # free) hold the specialist role, so the content strategist role would give them both kinds
    assert [(c.member.name, c.dual_role_after, c.free_hours) for c in fix.candidates] == [
        ("Budi", False, 240),
        ("Rina", False, -54),
        ("Sari", True, 234),
        ("Dewi", True, 203),
    ]
    assertContains(response, "54.00 h over capacity in these weeks")
    assertContains(response, f'href="{reverse("assignments:member", args=[fix.candidates[0].member.id])}#roles-title"')


def test_role_page_without_a_role_lists_every_role_nobody_holds(manager_client, plan):
    _people, _tasks, content = plan
    response = manager_client.get(url("fix_role"))
    assert [(fix.role, fix.uncovered) for fix in response.context["fixes"]] == [(content, True)]


@pytest.mark.parametrize("role", ["999999", "x", "1e3", "９"])
def test_role_page_for_no_such_role_is_404(manager_client, plan, role):
    assert manager_client.get(url("fix_role", role=role)).status_code == 404


# ------------------------------------------------------------------ access


@pytest.mark.parametrize("page", ["task", "preview", "hand_over", "move", "role", "duty"])
def test_fix_pages_are_404_for_another_teams_manager(client, plan, page):
    people, tasks, _content = plan
    other = make_user()
    make_member(user=other).team.managers.add(other)
    client.force_login(other)
    replies = tasks["Replies"].assignments.get()
    address = {
        "task": url("fix_task", tasks["Campaign plan"].pk),
        "preview": url("fix_task_preview", tasks["Campaign plan"].pk),
        "hand_over": url("fix_hand_over", people["Rina"].pk),
        "move": url("fix_move", replies.pk),
        "role": url("fix_role"),
        "duty": url("arrange_cover", people["Dewi"].pk),
    }[page]
    assert client.get(address).status_code == 404
