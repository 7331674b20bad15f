"""The overview of a large team: the heatmap pages most loaded first, filters by band and role, keeps the
whole team's totals; the flags stay a few lines per kind and the dual-role forms are fetched when opened.

Today is Wednesday 2 December 2026; the window is six weeks from Monday 30 November.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from assignments.selectors import overview as overview_selectors
from tests.factories import make_assignment, make_holding, make_member, make_task, make_team, make_user
from tests.views.helpers import HTMX

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("assignments:team_overview", args=["marketing"])


def loaded(team, role, name: str, hours, capacity=40, monday=datetime.date(2026, 11, 30)):
    """A member with ``hours`` of weekly work against ``capacity`` hours a week."""
    member = make_member(team, full_name=name, weekly_capacity_hours=Decimal(capacity))
    make_holding(member, role, start_date=monday)
    if hours:
        make_assignment(make_task(team, role, cadence="weekly", effort_hours=hours, start_date=monday), member)
    return member


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(overview_selectors, "OVERVIEW_PAGE_SIZE", 3)


@pytest.fixture
def people(team, specialist, strategist, this_monday):
    """Seven people whose load order is not their name order; Gita holds the strategist role too."""
    return {
        "Ana": loaded(team, specialist, "Ana", 10),  # 25 %
        "Budi": loaded(team, specialist, "Budi", 30),  # 75 %, healthy
        "Citra": loaded(team, specialist, "Citra", 50),  # 125 %, over
        "Dewi": loaded(team, specialist, "Dewi", 5, capacity=0),  # hours, no capacity: over any ratio
        "Eko": loaded(team, specialist, "Eko", 0),  # nothing to do
        "Fajar": loaded(team, specialist, "Fajar", 0, capacity=0),  # off
        "Gita": loaded(team, strategist, "Gita", 30),  # 75 %, ties with Budi: name order
    }


def row_names(response) -> list[str]:
    return [load.member.name for load in response.context["heatmap"].members]


# ------------------------------------------------------------------ order and pages


def test_heatmap_lists_the_most_loaded_first_ties_by_name(manager_client, people):
    """Peak utilization over the window; hours without capacity first; equal peaks (and none) by name."""
    response = manager_client.get(OVERVIEW)
    assert row_names(response) == ["Dewi", "Citra", "Budi", "Gita", "Ana", "Eko", "Fajar"]
    assertContains(response, "7 members, most loaded first.")


def test_heatmap_ranks_by_the_peak_week_not_the_average(manager_client, team, specialist, this_monday):
    steady = loaded(team, specialist, "Steady", 36)  # 90 % every week
    peak = loaded(team, specialist, "Peak", 0)
    once = make_task(team, specialist, cadence="once", effort_hours=44, start_date=this_monday, end_date=this_monday)
    make_assignment(once, peak)  # 110 % in one week, nothing in the other five
    assert row_names(manager_client.get(OVERVIEW)) == [peak.full_name, steady.full_name]


def test_page_two_has_the_next_members_most_loaded_first(manager_client, people, small_pages):
    first = manager_client.get(OVERVIEW)
    second = manager_client.get(OVERVIEW, {"page": 2})
    third = manager_client.get(OVERVIEW, {"page": 3})
    assert (row_names(first), row_names(second), row_names(third)) == (
        ["Dewi", "Citra", "Budi"],
        ["Gita", "Ana", "Eko"],
        ["Fajar"],
    )
    assertContains(second, "Page 2 of 3")
    assertContains(second, "Showing 4–6.")


def test_a_team_of_one_page_has_no_page_links(manager_client, people):
    response = manager_client.get(OVERVIEW)
    assertNotContains(response, "Pages of members")
    assertNotContains(response, "page=")


def test_the_page_size_is_twenty_five(manager_client, team, specialist):
    for number in range(26):
        loaded(team, specialist, f"Person {number:02}", number)
    first, second = manager_client.get(OVERVIEW), manager_client.get(OVERVIEW, {"page": 2})
    assert len(row_names(first)) == overview_selectors.OVERVIEW_PAGE_SIZE == 25
    assert row_names(first)[0] == "Person 25"
    assert row_names(second) == ["Person 00"]


@pytest.mark.parametrize(("page", "shown"), [("0", 1), ("-1", 1), ("two", 1), ("9" * 40, 1), ("99", 3)])
def test_a_bad_page_is_the_first_and_one_past_the_end_the_last(manager_client, people, small_pages, page, shown):
    response = manager_client.get(OVERVIEW, {"page": page})
    assert response.status_code == 200
    assert response.context["heatmap"].number == shown


# ------------------------------------------------------------------ filters


def test_filter_by_band_lists_members_with_a_week_in_it(manager_client, people):
    assert row_names(manager_client.get(OVERVIEW, {"band": "over"})) == ["Dewi", "Citra"]
    assert row_names(manager_client.get(OVERVIEW, {"band": "healthy"})) == ["Budi", "Gita"]
    assert row_names(manager_client.get(OVERVIEW, {"band": "off"})) == ["Fajar"]


def test_filter_by_band_counts_a_single_week(manager_client, team, specialist, this_monday):
    loaded(team, specialist, "Steady", 20)
    spike = loaded(team, specialist, "Spike", 20)
    week_three = this_monday + datetime.timedelta(weeks=2)
    once = make_task(team, specialist, cadence="once", effort_hours=30, start_date=week_three, end_date=week_three)
    make_assignment(once, spike)
    assert row_names(manager_client.get(OVERVIEW, {"band": "over"})) == ["Spike"]


def test_filter_by_role_lists_its_holders_in_the_window(manager_client, people, strategist, team, this_monday):
    later = make_member(team, full_name="Later")
    make_holding(later, strategist, start_date=this_monday + datetime.timedelta(weeks=10))  # after the window
    assert row_names(manager_client.get(OVERVIEW, {"role": strategist.pk})) == ["Gita"]


def test_the_role_filter_offers_the_roles_held_in_the_window_by_focus(manager_client, people):
    response = manager_client.get(OVERVIEW)
    html = response.content.decode()
    assert re.search(r'<optgroup label="Operational">\s*<option value="\d+">Social Media Specialist</option>', html)
    assert re.search(r'<optgroup label="Strategic">\s*<option value="\d+">Social Media Strategist</option>', html)


def test_filters_combine_and_say_how_many_match(manager_client, people, specialist):
    response = manager_client.get(OVERVIEW, {"band": "healthy", "role": specialist.pk})
    assert row_names(response) == ["Budi"]
    assertContains(response, "1 of 7 members matches, most loaded first.")


def test_no_member_matching_says_so(manager_client, people, specialist, team):
    assertContains(manager_client.get(OVERVIEW, {"band": "full"}), "No member matches these filters.")


@pytest.mark.parametrize("bad", [{"band": "purple"}, {"role": "abc"}, {"role": "999999"}, {"role": "1.5"}])
def test_a_bad_filter_value_is_ignored_and_shown_beside_its_field(manager_client, people, bad):
    response = manager_client.get(OVERVIEW, bad)
    assert response.status_code == 200
    assert len(row_names(response)) == 7  # as if unfiltered
    [field] = bad
    assert response.context["filters"].errors[field]
    assertContains(response, "Select a valid choice.")
    assertContains(response, 'class="field field--error"')


def test_a_bad_filter_value_leaves_the_good_one_applied(manager_client, people):
    response = manager_client.get(OVERVIEW, {"band": "over", "role": "nope"})
    assert row_names(response) == ["Dewi", "Citra"]
    assert "band=over" in response.context["links"]["next"]
    assert "role=" not in response.context["links"]["next"]


# ------------------------------------------------------------------ links keep the other parameters


def test_page_links_keep_the_start_and_the_filters(manager_client, people, small_pages, specialist):
    start = "2026-12-07"
    response = manager_client.get(OVERVIEW, {"start": start, "band": "healthy", "role": specialist.pk, "page": 1})
    assert row_names(response) == ["Budi"]
    response = manager_client.get(OVERVIEW, {"start": start, "role": specialist.pk, "page": 1})
    page_two = f"?start={start}&amp;role={specialist.pk}&amp;page=2"
    assertContains(response, f'href="{page_two}"')
    assertContains(response, f'hx-get="{page_two}"')


def test_week_links_keep_the_filters_and_go_back_to_the_first_page(manager_client, people, small_pages, specialist):
    response = manager_client.get(OVERVIEW, {"start": "2026-12-07", "band": "over", "page": 2})
    assertContains(response, 'href="?start=2026-11-30&amp;band=over"')
    assertContains(response, 'href="?start=2026-12-14&amp;band=over"')


def test_the_filter_form_keeps_the_start_shown(manager_client, people):
    response = manager_client.get(OVERVIEW, {"start": "2026-12-09", "band": "over"})
    assertContains(response, '<input type="hidden" name="start" value="2026-12-07">', html=True)
    assertContains(response, 'href="?start=2026-12-07"')  # "Clear" keeps the weeks, drops the filters


def test_paging_with_htmx_returns_the_heatmap_only(manager_client, people, small_pages):
    response = manager_client.get(OVERVIEW, {"page": 2}, HTTP_HX_TARGET="heatmap", **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="panel" id="heatmap"')
    assert 'id="flags"' not in body and "<html" not in body


# ------------------------------------------------------------------ the totals are the whole team's


def test_the_totals_row_adds_up_the_whole_team_on_any_page_and_filter(manager_client, people, small_pages):
    whole = [total.total_hours for total in manager_client.get(OVERVIEW).context["overview"].workload.totals]
    for query in ({"page": 2}, {"band": "off"}):
        response = manager_client.get(OVERVIEW, query)
        assert [total.total_hours for total in response.context["overview"].workload.totals] == whole
        assertContains(response, "125.00 / 200.00 h")  # 10+30+50+5+30 h of 5 × 40 h, every week
        assertContains(response, "all 7 members")


def test_the_totals_row_needs_no_note_when_everyone_is_shown(manager_client, people):
    assertNotContains(manager_client.get(OVERVIEW), "all 7 members")


# ------------------------------------------------------------------ flags stay short on a large team


@pytest.fixture
def crowd(team, specialist, strategist, this_monday):
    """60 people over capacity in every week, holding both kinds of role and doing operational work only:
    360 weeks over capacity, 60 dual roles, 60 strategies squeezed."""
    for number in range(60):
        member = make_member(team, full_name=f"Person {number:02}", weekly_capacity_hours=10)
        make_holding(member, specialist, start_date=this_monday)
        make_holding(member, strategist, start_date=this_monday)
        make_assignment(make_task(team, specialist, cadence="weekly", effort_hours=12, start_date=this_monday), member)


def kind_url(kind: str, start: str = "2026-11-30") -> str:
    return reverse("assignments:flag_group", args=["marketing", kind]) + f"?start={start}"


def test_a_folded_kind_is_counted_and_its_lines_are_fetched_when_opened(manager_client, crowd):
    html = manager_client.get(OVERVIEW).content.decode()
    assert '<li class="flag ' not in html  # three kinds of 60 lines each: all folded
    for kind in ("dual_role", "over_allocated", "strategy_squeezed"):
        url = kind_url(kind)
        assert f'hx-get="{url}" hx-trigger="toggle once"' in html
        assert f'<a href="{url}">Show these flags</a>' in html  # the plain link, without JavaScript
    assert html.count('<span class="flag-count">60</span>') == 3


def test_many_weeks_over_capacity_are_fifty_lines_of_a_kind(manager_client, crowd):
    fetched = {
        kind: manager_client.get(kind_url(kind), **HTMX).content.decode()
        for kind in ("over_allocated", "dual_role", "strategy_squeezed")
    }
    assert fetched["over_allocated"].count('<li class="flag flag--over_allocated') == 50
    assert fetched["dual_role"].count('<li class="flag flag--dual_role') == 50
    assert fetched["over_allocated"].count("is over capacity in 6 weeks, 30 Nov – 4 Jan") == 50
    assert fetched["strategy_squeezed"].count('<li class="flag flag--strategy_squeezed') == 50
    assert all(html.count("And 10 more of this kind") == 1 for html in fetched.values())
    assert all("<html" not in html and "<h1" not in html for html in fetched.values())


def test_a_folded_kind_without_javascript_is_a_page_of_its_lines(manager_client, crowd):
    response = manager_client.get(kind_url("over_allocated", start="2026-12-09"))
    assertContains(response, "<h1", count=1)
    assertContains(response, '<li class="flag flag--over_allocated', count=50)
    assertContains(response, f"{OVERVIEW}?start=2026-12-07#flags")  # back to the window it was opened from


def test_a_kind_without_flags_fetches_nothing_to_flag(manager_client, team):
    assertContains(manager_client.get(kind_url("task_unassigned"), **HTMX), "Nothing to flag in these weeks.")


def test_an_unknown_kind_is_404(manager_client, team):
    assert manager_client.get(reverse("assignments:flag_group", args=["marketing", "nonsense"])).status_code == 404


def test_a_folded_kind_fetches_each_acknowledgement_form_when_opened(manager_client, crowd, team):
    html = manager_client.get(kind_url("dual_role"), **HTMX).content.decode()
    assert 'class="ack-form"' not in html  # no form rendered per line
    assert html.count('<details class="ack-disclosure"') == 50
    assert html.count('hx-trigger="toggle once"') == 50
    member = team.members.order_by("email").first()
    form_url = reverse("assignments:acknowledge_form", args=["marketing", member.pk])
    assert f'href="{form_url}?start=2026-11-30"' in html  # the plain link, without JavaScript


def test_after_acknowledging_the_folded_kind_stays_open_with_its_lines(manager_client, crowd, team):
    member = team.members.order_by("email").first()
    url = reverse("assignments:acknowledge_dual_role", args=["marketing", member.pk])
    response = manager_client.post(url, {"start": "2026-11-30"}, **HTMX)
    html = response.content.decode()
    assert html.count('<li class="flag flag--dual_role') == 50
    assert html.count('<li class="flag flag--dual_role flag--acknowledged') == 1
    assert html.count("<details open>") == 1  # the others stay folded, fetched when opened
    assert html.count('class="flag-fold"') == 2


def test_a_short_kind_keeps_its_forms_in_place(manager_client, team, specialist, strategist, this_monday):
    rina = make_member(team, full_name="Rina")
    make_holding(rina, specialist, start_date=this_monday)
    make_holding(rina, strategist, start_date=this_monday)
    response = manager_client.get(OVERVIEW)
    assertContains(response, 'class="ack-form"', count=1)
    assertNotContains(response, "ack-disclosure")


def test_a_refused_acknowledgement_in_a_folded_kind_shows_its_form_with_the_errors(manager_client, crowd, team):
    member = team.members.order_by("email").first()
    url = reverse("assignments:acknowledge_dual_role", args=["marketing", member.pk])
    response = manager_client.post(url, {"valid_until": "2026-02-30"}, **HTMX)
    assertContains(response, f'id="ack-until-{member.pk}-error"')
    assertContains(response, 'class="ack-form"', count=1)  # that one line's form, the others stay folded


# ------------------------------------------------------------------ the acknowledgement form, fetched


def form_url(member, start="2026-12-07") -> str:
    return reverse("assignments:acknowledge_form", args=["marketing", member.pk]) + f"?start={start}"


def test_the_fetched_form_posts_the_window_shown(manager_client, team):
    rina = make_member(team, full_name="Rina")
    response = manager_client.get(form_url(rina, start="2026-12-09"), **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<form method="post" class="ack-form"')
    assert "<html" not in body
    assertContains(response, '<input type="hidden" name="start" value="2026-12-07">', html=True)
    assertContains(response, reverse("assignments:acknowledge_dual_role", args=["marketing", rina.pk]))
    assertContains(response, f'id="ack-note-{rina.pk}"')


def test_without_javascript_the_form_is_a_page(manager_client, team):
    rina = make_member(team, full_name="Rina")
    response = manager_client.get(form_url(rina))
    assertContains(response, "<h1", count=1)
    assertContains(response, "Acknowledge the dual role of Rina")
    assertContains(response, "For the weeks from 7 Dec 2026 to 17 Jan 2027")
    assertContains(response, f"{OVERVIEW}?start=2026-12-07#flags")


def test_the_form_of_a_member_of_another_team_is_404(manager_client):
    outsider = make_member(make_team(), full_name="Outsider")
    url = reverse("assignments:acknowledge_form", args=["marketing", outsider.pk])
    assert manager_client.get(url).status_code == 404
    assert manager_client.get(url, **HTMX).status_code == 404


def test_the_form_is_404_for_another_teams_manager(client, team):
    rina = make_member(team, full_name="Rina")
    other = make_user()
    make_team().managers.add(other)
    client.force_login(other)
    assert client.get(form_url(rina)).status_code == 404
    assert client.get(form_url(rina), **HTMX).status_code == 404
    assert client.get(OVERVIEW, {"page": 2, "band": "over"}).status_code == 404


def test_the_form_is_not_posted_to(manager_client, team):
    assert manager_client.post(form_url(make_member(team))).status_code == 405


# ------------------------------------------------------------------ queries


def test_a_filtered_later_page_runs_as_many_queries_whatever_the_team_size(
    manager_client, team, specialist, small_pages
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = manager_client.get(OVERVIEW, {"band": "healthy", "role": specialist.pk, "page": 2})
        assert response.status_code == 200
        return len(queries)

    for number in range(4):
        loaded(team, specialist, f"Few {number}", 30)
    few = count()
    for number in range(20):
        loaded(team, specialist, f"Many {number}", 30)
    assert count() == few
