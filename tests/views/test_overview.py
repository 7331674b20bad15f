"""The team overview: heatmap, totals, band legend, flags grouped by kind, acknowledging a dual role."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from assignments.models import DualRoleAcknowledgement
from tests.factories import make_assignment, make_holding, make_member, make_task, make_team, make_time_off
from tests.views.helpers import HTMX

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("assignments:team_overview", args=["marketing"])


def kind_url(kind: str) -> str:
    """The lines of a folded kind, as the overview fetches them when the manager opens it."""
    return reverse("assignments:flag_group", args=["marketing", kind]) + "?start=2026-11-30"


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
    assertContains(response, "Rina is over capacity in 6 weeks")


def test_overview_lists_one_line_per_person_and_kind_with_the_weeks(manager_client, rina):
    """Six weeks over capacity are one line naming them, not six lines (the JSON stays per week)."""
    response = manager_client.get(OVERVIEW)
    assertContains(response, "Rina is over capacity in 6 weeks, 30 Nov – 4 Jan: 45.00 h of 40.00 h each.", count=1)
    assertNotContains(response, "in the week of 30 Nov")
    [group] = [group for group in response.context["overview"].flag_groups if group.kind == "over_allocated"]
    assert (group.total, len(group.lines[0].flags)) == (1, 6)


def test_overview_folds_duties_on_days_off_into_one_line_per_person(
    manager_client, team, specialist, this_monday, rina
):
    make_time_off(rina, this_monday + datetime.timedelta(days=1), this_monday + datetime.timedelta(days=3))
    daily = make_task(team, specialist, title="Reply", cadence="daily", effort_hours=1, start_date=this_monday)
    make_assignment(daily, rina)
    response = manager_client.get(OVERVIEW)
    assertContains(response, "Rina has 3 duties on days off (1 Dec – 3 Dec): Reply; 3.00 h uncovered.", count=1)


def test_overview_line_links_like_its_first_flag(manager_client, rina):
    response = manager_client.get(OVERVIEW)
    hand_over = reverse("assignments:fix_hand_over", args=["marketing", rina.pk])
    # "Hand over tasks" once for the over-capacity line (not once per week), and once for "strategy squeezed"
    assertContains(response, f"{hand_over}?flag=over_allocated", count=1)
    assertContains(response, f"{hand_over}?flag=strategy_squeezed", count=1)


def test_overview_flag_cap_counts_lines_not_weeks(manager_client, team, specialist, this_monday):
    """55 people over capacity in all six weeks: 50 lines shown and 5 more, not 50 of 330 weeks."""
    for _ in range(55):
        member = make_member(team, weekly_capacity_hours=0)
        make_assignment(make_task(team, specialist, cadence="weekly", start_date=this_monday), member)
    response = manager_client.get(OVERVIEW)
    assertContains(response, '<span class="flag-count">55</span>', html=True)  # folded: counted, fetched when opened
    response = manager_client.get(kind_url("over_allocated"))  # the page of them, without JavaScript
    group = response.context["group"]
    assert (len(group.lines), group.total, group.hidden) == (50, 55, 5)
    assertContains(response, "And 5 more of this kind")


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
    assert "is only 0 % assigned" not in manager_client.get(OVERVIEW).content.decode()  # folded: fetched when opened
    response = manager_client.get(kind_url("task_unassigned"), **HTMX)
    assert response.content.decode().count("is only 0 % assigned") == 50


def test_overview_says_how_many_flags_of_a_kind_it_leaves_out(manager_client, team, specialist, this_monday):
    for _ in range(60):
        make_task(team, specialist, start_date=this_monday)
    make_member(team)
    assertContains(manager_client.get(kind_url("task_unassigned"), **HTMX), "And 10 more of this kind")


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


def test_acknowledge_with_too_long_a_note_shows_the_error_beside_the_note_in_the_panel(manager_client, rina):
    response = manager_client.post(acknowledge_url(rina), {"note": "x" * 501}, **HTMX)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section class="panel" id="flags"')
    assertContains(
        response,
        f'<ul class="errorlist" id="ack-note-{rina.pk}-error">'
        "<li>Ensure this value has at most 500 characters (it has 501).</li></ul>",
        html=True,
    )
    assertContains(response, f'aria-describedby="ack-note-{rina.pk}-error"')
    assert not DualRoleAcknowledgement.objects.exists()


def test_acknowledge_with_a_bad_date_shows_the_error_beside_the_date_in_the_panel(manager_client, rina):
    response = manager_client.post(acknowledge_url(rina), {"valid_until": "2026-02-30"}, **HTMX)
    assertContains(
        response, f'<ul class="errorlist" id="ack-until-{rina.pk}-error"><li>Enter a valid date.</li></ul>', html=True
    )
    assert not DualRoleAcknowledgement.objects.exists()


def test_acknowledge_with_an_error_keeps_what_was_typed(manager_client, rina):
    response = manager_client.post(acknowledge_url(rina), {"note": "Small team", "valid_until": "soon"}, **HTMX)
    assertContains(response, 'value="Small team"')
    assertContains(response, 'value="soon"')


def test_acknowledge_with_an_error_without_javascript_shows_the_page_with_it(manager_client, rina):
    response = manager_client.post(acknowledge_url(rina), {"valid_until": "2026-02-30"})
    assert response.status_code == 400
    assertContains(response, "<h1>Marketing</h1>", html=True, status_code=400)
    assertContains(response, f'id="ack-until-{rina.pk}-error"', status_code=400)
    assert not DualRoleAcknowledgement.objects.exists()


def test_acknowledge_with_an_expiry_in_the_past_is_refused_beside_the_date(manager_client, rina, today):
    yesterday = today.date - datetime.timedelta(days=1)
    response = manager_client.post(acknowledge_url(rina), {"valid_until": yesterday.isoformat()}, **HTMX)
    assertContains(
        response,
        f'<ul class="errorlist" id="ack-until-{rina.pk}-error"><li>This date is in the past.</li></ul>',
        html=True,
    )
    assert not DualRoleAcknowledgement.objects.exists()


def test_acknowledge_twice_is_refused_and_one_stands(manager_client, rina):
    manager_client.post(acknowledge_url(rina), {"note": "first"}, **HTMX)
    response = manager_client.post(acknowledge_url(rina), {"note": "second"}, **HTMX)
    assertContains(response, "The dual role of Rina is already acknowledged for these weeks.")
    assert list(DualRoleAcknowledgement.objects.values_list("note", flat=True)) == ["first"]


def test_acknowledge_a_member_without_a_dual_role_says_why_on_top_of_the_panel(manager_client, team):
    dewi = make_member(team, full_name="Dewi")
    response = manager_client.post(acknowledge_url(dewi), **HTMX)
    assertContains(response, '<div class="flags-notice flags-notice--error" role="alert">')
    assertContains(response, "Dewi does not cover both operational and strategic roles in these weeks")
    assert not DualRoleAcknowledgement.objects.exists()


def test_acknowledge_an_inactive_member_is_refused(manager_client, team):
    gone = make_member(team, full_name="Gone", is_active=False)
    response = manager_client.post(acknowledge_url(gone))
    assertContains(response, "Gone is no longer active", status_code=400)
    assert not DualRoleAcknowledgement.objects.exists()


def test_acknowledge_checks_the_window_the_manager_was_looking_at(manager_client, rina, this_monday):
    """Rina's roles start this week: in a window that ended before, there is no dual role to acknowledge."""
    earlier = this_monday - datetime.timedelta(weeks=8)
    response = manager_client.post(acknowledge_url(rina), {"start": earlier.isoformat()}, **HTMX)
    assertContains(response, "nothing to acknowledge")
    assert not DualRoleAcknowledgement.objects.exists()


def test_withdraw_when_nothing_stands_says_nothing_to_withdraw(manager_client, rina):
    response = manager_client.post(withdraw_url(rina), follow=True)
    messages = [str(message) for message in response.context["messages"]]
    assert messages == ["Nothing to withdraw: Rina has no standing acknowledgement."]


def test_withdraw_with_htmx_when_nothing_stands_says_so_in_the_panel(manager_client, rina):
    response = manager_client.post(withdraw_url(rina), **HTMX)
    assertContains(response, "Nothing to withdraw: Rina has no standing acknowledgement.")
    assertNotContains(response, "is withdrawn")


def test_withdraw_says_it_is_withdrawn_when_one_stood(manager_client, rina):
    DualRoleAcknowledgement.objects.create(member=rina)
    response = manager_client.post(withdraw_url(rina), follow=True)
    assert [str(message) for message in response.context["messages"]] == ["The acknowledgement for Rina is withdrawn."]
