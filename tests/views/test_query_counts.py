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


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


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


def test_teams_index_runs_the_engines_five_queries_per_team_and_a_fixed_rest(
    client, team, manager, specialist, strategist, this_monday
):
    """The index runs the engine once per team (five queries each, whatever the team's size): fixed + 5 × teams."""
    url = reverse("assignments:teams")
    client.force_login(manager)
    grow_team(team, specialist, strategist, 2, this_monday)
    fixed = count_queries(client, url) - 5
    for _ in range(3):
        other = make_team()
        other.managers.add(manager)
        grow_team(other, specialist, strategist, 2, this_monday)
    assert count_queries(client, url) == fixed + 5 * 4
    grow_team(team, specialist, strategist, 12, this_monday)
    assert count_queries(client, url) == fixed + 5 * 4
