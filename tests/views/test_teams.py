"""The teams index: each team a person manages with its members, this week's load and its flags by kind."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import make_assignment, make_holding, make_member, make_task, make_team, make_user

pytestmark = pytest.mark.django_db

TEAMS = reverse("assignments:teams")


@pytest.fixture
def sales(manager):
    sales = make_team(slug="sales", name="Sales")
    sales.managers.add(manager)
    return sales


@pytest.fixture
def busy(team, specialist, strategist, this_monday):
    """Marketing: Rina (both roles, 45 h a week of 40) and Eko (inactive); a task nobody is assigned to."""
    rina = make_member(team, full_name="Rina")
    make_holding(rina, specialist, start_date=this_monday)
    make_holding(rina, strategist, start_date=this_monday)
    make_assignment(make_task(team, specialist, cadence="weekly", effort_hours=45, start_date=this_monday), rina)
    make_member(team, full_name="Eko", is_active=False)
    make_task(team, specialist, title="Monthly report", cadence="weekly", start_date=this_monday)
    return rina


def summary_of(response, slug):
    return next(summary for summary in response.context["index"].teams if summary.team.slug == slug)


def test_teams_index_lists_each_managed_team_linking_to_its_overview(manager_client, team, sales):
    response = manager_client.get(TEAMS)
    assert [summary.team.slug for summary in response.context["index"].teams] == ["marketing", "sales"]
    assertContains(response, f'href="{reverse("assignments:team_overview", args=["sales"])}"')


def test_teams_index_counts_active_members_only(manager_client, busy, sales):
    assert summary_of(manager_client.get(TEAMS), "marketing").active_members == 1


def test_teams_index_shows_this_weeks_team_load_with_utilization(manager_client, busy, sales):
    response = manager_client.get(TEAMS)
    assertContains(response, '<span class="team-card__hours">45.00 / 40.00 h</span>', html=True)
    assertContains(response, "113 %")
    assertContains(response, '<span class="band band--over">over</span>', html=True)


def test_teams_index_counts_flags_by_kind_as_the_overview_lists_them(manager_client, busy, sales):
    """Six weeks over capacity are one line on the overview, so one here too."""
    counts = {tally.kind: tally.count for tally in summary_of(manager_client.get(TEAMS), "marketing").flag_counts}
    assert counts == {
        "dual_role": 1,
        "over_allocated": 1,
        "strategy_squeezed": 1,
        "single_holder": 1,
        "task_unassigned": 1,
    }


def test_teams_index_flag_counts_match_the_overview(manager_client, busy, sales):
    index = summary_of(manager_client.get(TEAMS), "marketing")
    overview = manager_client.get(reverse("assignments:team_overview", args=["marketing"])).context["overview"]
    assert [(tally.kind, tally.count) for tally in index.flag_counts] == [
        (group.kind, group.total) for group in overview.flag_groups
    ]


def test_teams_index_says_when_a_team_has_nothing_to_flag(manager_client, team, sales):
    assertContains(manager_client.get(TEAMS), "Nothing to flag in these weeks.", count=2)


def test_teams_index_shows_a_manager_only_their_own_teams(manager_client, team, sales):
    make_team(slug="elsewhere", name="Elsewhere")
    assertNotContains(manager_client.get(TEAMS), "Elsewhere")


def test_teams_index_shows_staff_every_team(client, team, sales):
    client.force_login(make_user(is_staff=True))
    assert [summary.team.slug for summary in client.get(TEAMS).context["index"].teams] == ["marketing", "sales"]


def test_teams_index_is_404_for_a_plain_member(client, team):
    user = make_user()
    make_member(team, user=user)
    client.force_login(user)
    assert client.get(TEAMS).status_code == 404


def test_teams_index_is_open_to_the_manager_of_one_team(manager_client, team):
    assert manager_client.get(TEAMS).status_code == 200


def test_header_links_the_teams_index_for_a_manager_of_several_teams(manager_client, team, sales):
    response = manager_client.get(reverse("assignments:team_overview", args=["marketing"]))
    assertContains(response, f'<a href="{TEAMS}">Teams</a>', html=True)


def test_header_has_no_teams_link_for_the_manager_of_one_team(manager_client, team):
    response = manager_client.get(reverse("assignments:team_overview", args=["marketing"]))
    assertNotContains(response, f'href="{TEAMS}"')


def test_header_marks_the_teams_link_current_on_the_index(manager_client, team, sales):
    assertContains(manager_client.get(TEAMS), f'<a href="{TEAMS}" aria-current="page">Teams</a>', html=True)
