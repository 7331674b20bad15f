"""The team overview: heatmap, totals, band legend, flags grouped by kind, acknowledging a dual role."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from assignments.models import DualRoleAcknowledgement
from tests.factories import make_assignment, make_holding, make_member, make_task, make_team
from tests.views.helpers import HTMX

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("assignments:team_overview", args=["marketing"])


@pytest.fixture
def rina(team, specialist, strategist, this_monday):
    """A 40 h member who holds both roles and has 45 h of weekly work: dual role, over capacity."""
    rina = make_member(team, full_name="Rina", weekly_capacity_hours=40)
    make_holding(rina, specialist, start_date=this_monday)
    make_holding(rina, strategist, start_date=this_monday)
    make_assignment(make_task(team, specialist, cadence="weekly", effort_hours=45, start_date=this_monday), rina)
    return rina


def test_overview_heatmap_shows_hours_against_capacity(manager_client, rina):
    assertContains(manager_client.get(OVERVIEW), "45.00 / 40.00 h")


def test_overview_heatmap_shows_the_band_in_colour(manager_client, rina):
    assertContains(manager_client.get(OVERVIEW), 'class="cell cell--over"')


def test_overview_heatmap_shows_the_band_in_words(manager_client, rina):
    assertContains(manager_client.get(OVERVIEW), '<span class="cell__band">over</span>', html=True)


def test_overview_lists_the_flags_in_sentences(manager_client, rina):
    response = manager_client.get(OVERVIEW)
    assertContains(response, "Rina covers both operational and strategic roles")
    assertContains(response, "Rina is over capacity in the week of")


def test_overview_flags_link_to_what_fixes_them(manager_client, rina):
    response = manager_client.get(OVERVIEW)
    assertContains(response, reverse("assignments:member", args=[rina.pk]))
    assertContains(response, "Acknowledge: this is intended")


def test_overview_legend_states_the_default_band_thresholds(manager_client, team):
    response = manager_client.get(OVERVIEW)
    assertContains(response, "under 60 % · healthy 60–85 % · full 85–100 % · over 100 %")


def test_overview_legend_follows_the_band_threshold_settings(manager_client, team, settings):
    settings.TEAMPLANNER_BAND_HEALTHY_MIN = Decimal("0.50")
    response = manager_client.get(OVERVIEW)
    assertContains(response, "under 50 % · healthy 50–85 % · full 85–100 % · over 100 %")


def test_overview_legend_states_a_fractional_threshold_exactly(manager_client, team, settings):
    settings.TEAMPLANNER_BAND_HEALTHY_MAX = Decimal("0.875")
    response = manager_client.get(OVERVIEW)
    assertContains(response, "healthy 60–87.5 % · full 87.5–100 %")


def test_overview_legend_lists_every_band_by_name(manager_client, team):
    response = manager_client.get(OVERVIEW)
    assert response.context["overview"].legend.bands == ("under", "healthy", "full", "over", "off")
    assertContains(response, '<span class="band band--off">off</span>', html=True)


def test_overview_week_navigation_with_htmx_returns_the_body_only(manager_client, team, this_monday):
    make_member(team)
    next_week = this_monday + datetime.timedelta(days=7)
    response = manager_client.get(OVERVIEW, {"start": next_week.isoformat()}, HTTP_HX_TARGET="overview-body", **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="overview-body">')
    assert "<html" not in body


def test_overview_links_to_the_week_after_the_one_shown(manager_client, team, this_monday):
    next_week = this_monday + datetime.timedelta(days=7)
    response = manager_client.get(OVERVIEW, {"start": next_week.isoformat()}, HTTP_HX_TARGET="overview-body", **HTMX)
    assertContains(response, f"?start={(next_week + datetime.timedelta(days=7)).isoformat()}")


def test_overview_with_a_bad_start_falls_back_to_this_week(manager_client, team, this_monday):
    response = manager_client.get(OVERVIEW, {"start": "not-a-date"})
    assert response.status_code == 200
    assert response.context["overview"].workload.start == this_monday


def test_overview_lists_at_most_fifty_flags_of_a_kind(manager_client, team, specialist, this_monday):
    for _ in range(60):
        make_task(team, specialist, start_date=this_monday)  # 60 tasks nobody is assigned to
    make_member(team)
    response = manager_client.get(OVERVIEW)
    assert response.content.decode().count("is only 0 % assigned") == 50


def test_overview_says_how_many_flags_of_a_kind_it_leaves_out(manager_client, team, specialist, this_monday):
    for _ in range(60):
        make_task(team, specialist, start_date=this_monday)
    make_member(team)
    assertContains(manager_client.get(OVERVIEW), "And 10 more of this kind")


# ------------------------------------------------------------------ acknowledging a dual role


def acknowledge_url(member) -> str:
    return reverse("assignments:acknowledge_dual_role", args=["marketing", member.pk])


def withdraw_url(member) -> str:
    return reverse("assignments:withdraw_acknowledgement", args=["marketing", member.pk])


def test_acknowledge_with_htmx_returns_the_flags_panel_with_the_acknowledgement(manager_client, rina):
    response = manager_client.post(acknowledge_url(rina), {"note": "Small team, on purpose"}, **HTMX)
    assert response.status_code == 200
    assertContains(response, "Acknowledged by a manager.")
    assertContains(response, "Withdraw acknowledgement")


def test_acknowledge_records_the_note_and_who_acknowledged(manager_client, manager, rina):
    manager_client.post(acknowledge_url(rina), {"note": "Small team, on purpose"}, **HTMX)
    acknowledgement = DualRoleAcknowledgement.objects.get()
    assert (acknowledgement.note, acknowledgement.acknowledged_by) == ("Small team, on purpose", manager)


def test_withdraw_without_javascript_redirects_back(manager_client, rina):
    DualRoleAcknowledgement.objects.create(member=rina)
    assert manager_client.post(withdraw_url(rina)).status_code == 302


def test_withdraw_keeps_the_acknowledgement_with_who_withdrew_it_and_when(manager_client, manager, rina):
    acknowledgement = DualRoleAcknowledgement.objects.create(member=rina)
    manager_client.post(withdraw_url(rina))
    acknowledgement.refresh_from_db()
    assert (acknowledgement.withdrawn_by, acknowledgement.withdrawn_at is not None) == (manager, True)


def test_acknowledging_a_member_of_another_team_is_404(manager_client):
    outsider = make_member(make_team())
    assert manager_client.post(acknowledge_url(outsider)).status_code == 404


def test_acknowledging_a_member_of_another_team_records_nothing(manager_client):
    manager_client.post(acknowledge_url(make_member(make_team())))
    assert not DualRoleAcknowledgement.objects.exists()
