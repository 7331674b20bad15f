"""Every page runs a fixed number of queries, whatever the team's size (docs/rules.md, "Pages")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments.models import DualRoleAcknowledgement
from tests.factories import make_assignment, make_holding, make_member, make_task, make_team, make_time_off, make_user

pytestmark = pytest.mark.django_db


def grow_team(team, role, strategist, size, monday):
    for _ in range(size):
        member = make_member(team)
        make_holding(member, role, start_date=monday)
        make_holding(member, strategist, start_date=monday)
        make_time_off(member, monday, monday)
        task = make_task(team, role, cadence="daily", start_date=monday)
        make_assignment(task, member, share_percent=60)
        make_assignment(make_task(team, strategist, cadence="once", start_date=monday, end_date=monday), member)
        DualRoleAcknowledgement.objects.create(member=member)


def count_queries(client, url, *, htmx: bool = False) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **({"HTTP_HX_REQUEST": "true"} if htmx else {})).status_code == 200
    return len(queries)


def counts_as_the_team_grows(client, url, team, specialist, strategist, monday, *, htmx=False, sizes=(2, 12)):
    """The queries of one GET after the team grows by each of ``sizes`` members (with their work)."""
    counts = []
    for size in sizes:
        grow_team(team, specialist, strategist, size, monday)
        counts.append(count_queries(client, url, htmx=htmx))
    return counts


@pytest.mark.parametrize("page", ["overview", "board", "member", "my_duties", "roles", "team_members"])
def test_page_query_count_does_not_grow_with_the_team(client, team, manager, specialist, strategist, this_monday, page):
    user = make_user()
    me = make_member(team, user=user)
    team.managers.add(user)
    make_holding(me, specialist, start_date=this_monday)
    url = {
        "overview": reverse("assignments:team_overview", args=["marketing"]),
        "board": reverse("assignments:team_board", args=["marketing"]),
        "member": reverse("assignments:member", args=[me.pk]),
        "my_duties": reverse("assignments:my_duties"),
        "roles": reverse("roles:catalog"),
        "team_members": reverse("assignments:team_members", args=["marketing"]),
    }[page]
    client.force_login(user)
    grow_team(team, specialist, strategist, 2, this_monday)
    small = count_queries(client, url)
    grow_team(team, specialist, strategist, 12, this_monday)
    assert count_queries(client, url) == small


def test_teams_index_runs_the_engines_six_queries_per_team_and_a_fixed_rest(
    client, team, manager, specialist, strategist, this_monday
):
    """The index runs the engine once per team (six queries each, whatever the team's size): fixed + 6 × teams."""
    url = reverse("assignments:teams")
    client.force_login(manager)
    grow_team(team, specialist, strategist, 2, this_monday)
    fixed = count_queries(client, url) - 6
    for _ in range(3):
        other = make_team()
        other.managers.add(manager)
        grow_team(other, specialist, strategist, 2, this_monday)
    assert count_queries(client, url) == fixed + 6 * 4
    grow_team(team, specialist, strategist, 12, this_monday)
    assert count_queries(client, url) == fixed + 6 * 4


@pytest.mark.parametrize("fragment", ["suggestions", "preview"])
def test_assign_fragments_query_count_does_not_grow_with_the_team(
    client, team, manager, specialist, strategist, this_monday, fragment
):
    """A card's ranked people (GET) and the preview of one choice (POST): the engine once, whatever the team's size."""
    task = make_task(team, strategist, cadence="weekly", start_date=this_monday)
    chosen = make_member(team)
    client.force_login(manager)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            if fragment == "suggestions":
                url = reverse("assignments:task_suggestions", args=["marketing", task.pk])
                response = client.get(url, HTTP_HX_REQUEST="true")
            else:
                url = reverse("assignments:assign_preview", args=["marketing", task.pk])
                data = {f"assign-{task.pk}-member": chosen.pk, f"assign-{task.pk}-share_percent": 50}
                response = client.post(url, data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert "Who should take it?" in response.content.decode() or response.context["panel"] is not None
        return len(queries)

    grow_team(team, specialist, strategist, 2, this_monday)
    small = count()
    grow_team(team, specialist, strategist, 12, this_monday)
    assert count() == small


# The acknowledgement form an overview line fetches when opened: no engine run, whatever the team's size
# (the fragment: session, user, the teams the user manages (the team among them) and the member; the page
# adds the header's other query, the user's own member).
ACKNOWLEDGE_FORM_QUERIES = {False: 5, True: 4}


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_acknowledge_form_query_count_is_pinned_whatever_the_team_size(
    client, team, manager, specialist, strategist, this_monday, htmx
):
    me = make_member(team, full_name="Me")
    url = reverse("assignments:acknowledge_form", args=["marketing", me.pk]) + f"?start={this_monday.isoformat()}"
    client.force_login(manager)
    counts = counts_as_the_team_grows(client, url, team, specialist, strategist, this_monday, htmx=htmx)
    assert counts == [ACKNOWLEDGE_FORM_QUERIES[htmx]] * 2


# The lines of a folded kind of flag, fetched when the overview's group is opened: the engine's fixed
# queries (read from the plan's cache outside a transaction), whatever the team's size; the page adds the header's
# own member (its teams are those the team was found among).
FLAG_GROUP_QUERIES = {False: 10, True: 9}


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_flag_group_query_count_is_pinned_whatever_the_team_size(
    client, team, manager, specialist, strategist, this_monday, htmx
):
    url = reverse("assignments:flag_group", args=["marketing", "dual_role"]) + f"?start={this_monday.isoformat()}"
    client.force_login(manager)
    counts = counts_as_the_team_grows(client, url, team, specialist, strategist, this_monday, htmx=htmx, sizes=(2, 14))
    assert counts == [FLAG_GROUP_QUERIES[htmx]] * 2


# The task forms the board fetches when opened ("New task", a card's "Edit or archive"): no engine run,
# whatever the team's size (the fragment: session, user, the managed teams, the task and the roles;
# the page adds the header's own member, and the edit page the card's place on the board for its back link).
TASK_FORM_QUERIES = {("new", False): 5, ("new", True): 4, ("edit", False): 8, ("edit", True): 5}


@pytest.mark.parametrize(("form", "htmx"), sorted(TASK_FORM_QUERIES), ids=lambda value: str(value))
def test_board_task_form_query_count_is_pinned_whatever_the_team_size(
    client, team, manager, specialist, strategist, this_monday, form, htmx
):
    task = make_task(team, specialist, title="Reply to DMs", start_date=this_monday)
    args = ["marketing"] if form == "new" else ["marketing", task.pk]
    url = reverse(f"assignments:task_{form}_form", args=args) + "?page=1"
    client.force_login(manager)
    counts = counts_as_the_team_grows(client, url, team, specialist, strategist, this_monday, htmx=htmx)
    assert counts == [TASK_FORM_QUERIES[form, htmx]] * 2


# The pages behind the flags (views/fix.py): the team is read once (the engine's six queries, twice where a
# page needs the flags and a week's suggestions), whatever its size and however many tasks the person has.
FIX_PAGE_QUERIES = {"task": 15, "preview": 16, "hand_over": 12, "move": 16, "role": 11, "duty": 15}


@pytest.mark.parametrize("page", sorted(FIX_PAGE_QUERIES))
def test_fix_page_query_count_is_pinned_whatever_the_team_size(
    client, team, manager, specialist, strategist, this_monday, page
):
    me, other = make_member(team, full_name="Me"), make_member(team, full_name="Other")
    make_holding(me, specialist, start_date=this_monday)
    make_time_off(me, this_monday, this_monday)
    daily = make_task(team, specialist, cadence="daily", start_date=this_monday)
    assignment = make_assignment(daily, me, share_percent=50)
    name, ids, query = {
        "task": ("fix_task", [daily.pk], ""),
        "preview": ("fix_task_preview", [daily.pk], f"?member={other.pk}&share_percent=50"),
        "hand_over": ("fix_hand_over", [me.pk], ""),
        "move": ("fix_move", [assignment.pk], f"?to_member={other.pk}"),
        "role": ("fix_role", [], f"?role={strategist.pk}"),
        "duty": ("arrange_cover", [me.pk], f"?date={this_monday.isoformat()}"),
    }[page]
    url = reverse(f"assignments:{name}", args=["marketing", *ids]) + query
    client.force_login(manager)
    counts = []
    for size in (2, 12):
        grow_team(team, specialist, strategist, size, this_monday)
        for _ in range(size):  # the person's own tasks grow too (the hand-over lists them all)
            make_assignment(make_task(team, strategist, cadence="weekly", start_date=this_monday), me, share_percent=10)
        counts.append(count_queries(client, url))
    assert counts == [FIX_PAGE_QUERIES[page]] * 2


# The member page's folded forms, fetched when opened: no engine run, whatever the team's size (the fragment:
# session, user, the member with their team, and the holding or time off, or the roles of the role picker;
# the page adds the header's teams).
MEMBER_FORM_QUERIES = {
    "member_edit_form": 3,
    "holding_add_form": 4,
    "holding_end_form": 4,
    "time_off_add_form": 3,
    "time_off_edit_form": 4,
}


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
@pytest.mark.parametrize("form", sorted(MEMBER_FORM_QUERIES))
def test_member_form_query_count_is_pinned_whatever_the_team_size(
    client, team, manager, specialist, strategist, this_monday, form, htmx
):
    me = make_member(team, full_name="Me")
    holding = make_holding(me, specialist, start_date=this_monday)
    leave = make_time_off(me, this_monday, this_monday)
    extra = {"holding_end_form": [holding.pk], "time_off_edit_form": [leave.pk]}.get(form, [])
    url = reverse(f"assignments:{form}", args=[me.pk, *extra])
    client.force_login(manager)
    counts = counts_as_the_team_grows(client, url, team, specialist, strategist, this_monday, htmx=htmx)
    assert counts == [MEMBER_FORM_QUERIES[form] + (0 if htmx else 2)] * 2
