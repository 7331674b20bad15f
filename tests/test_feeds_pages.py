"""Where a feed's address is shown and replaced: My duties' "Add to calendar", the overview's team calendar, the
admin; and the feed kept in the plan's cache (docs/rules.md, "Calendar feeds")."""

import io
import zlib

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from assignments import plan_cache
from feeds import selectors
from feeds.models import FeedToken
from feeds.services import feed_address_replace
from tests.factories import (
    MONDAY,
    make_assignment,
    make_member,
    make_role,
    make_task,
    make_team,
    make_time_off,
    make_user,
)
from tests.test_architecture import graph

HTMX = {"HTTP_HX_REQUEST": "true"}
MY_DUTIES = reverse("assignments:my_duties")
REPLACE_MINE = reverse("feeds:replace_my_feed")


@pytest.fixture
def team():
    return make_team(slug="marketing", name="Marketing")


@pytest.fixture
def ann(team):
    ann = make_member(team, full_name="Ann", user=make_user(username="ann"))
    make_assignment(make_task(team, make_role(), title="Posting", start_date=MONDAY), ann)
    return ann


@pytest.fixture
def manager(team):
    user = make_user(username="boss")
    team.managers.add(user)
    return user


def address_of(**owner) -> str:
    return "https://testserver" + reverse("feeds:calendar", args=[FeedToken.objects.get(**owner).token])


# --------------------------------------------------------------------------- My duties


@pytest.mark.django_db
def test_my_duties_offers_a_calendar_address_before_there_is_one(client, ann):
    client.force_login(ann.user)
    response = client.get(MY_DUTIES)
    assertContains(response, "Add to calendar")
    assertContains(response, "Get my calendar address")
    assertNotContains(response, ".ics")
    assert not FeedToken.objects.exists()  # made when asked for, never by looking at the page


def test_the_plan_never_imports_the_feeds():
    """The feeds read the plan; My duties has its panel from the feeds' template tag, not from an import."""
    importing = {name: sorted(t for t in targets if t.startswith("feeds")) for name, targets in graph().items()}
    assert {name: found for name, found in importing.items() if not name.startswith("feeds") and found} == {}


@pytest.mark.django_db
def test_asking_for_the_address_shows_it_on_my_duties(client, ann):
    client.force_login(ann.user)
    assertRedirects(client.post(REPLACE_MINE, secure=True), f"{MY_DUTIES}#calendar-feed", fetch_redirect_response=False)
    response = client.get(MY_DUTIES, secure=True)
    https = address_of(member=ann)
    assertContains(response, "Your calendar address is ready.")
    assertContains(response, f">{https}</textarea>")
    assertContains(response, f'href="{https.replace("https://", "webcal://")}"')
    assertContains(response, "Replace the address")
    assertContains(response, "Other calendars → From URL")


@pytest.mark.django_db
def test_replacing_with_htmx_swaps_the_panel_with_the_new_address(client, ann):
    client.force_login(ann.user)
    client.post(REPLACE_MINE, secure=True)
    old = address_of(member=ann)
    response = client.post(REPLACE_MINE, secure=True, **HTMX)
    assert response.status_code == 200
    assertNotContains(response, "<html")
    assertContains(response, 'id="calendar-feed"')
    assertContains(response, address_of(member=ann))
    assertNotContains(response, old)
    assertContains(response, "calendars subscribed to the old one no longer get updates")


@pytest.mark.django_db
def test_the_address_follows_the_scheme_the_site_is_reached_by(client, ann):
    client.force_login(ann.user)
    client.post(REPLACE_MINE)
    assertContains(client.get(MY_DUTIES), f">{address_of(member=ann).replace('https://', 'http://')}</textarea>")


# --------------------------------------------------------------------------- the overview's team calendar


@pytest.mark.django_db
def test_the_overview_folds_the_team_calendar_and_fetches_it_when_opened(client, team, manager):
    client.force_login(manager)
    team_feed = reverse("feeds:team_feed", args=["marketing"])
    response = client.get(reverse("assignments:team_overview", args=["marketing"]))
    assertContains(response, f'hx-get="{team_feed}" hx-trigger="toggle once"')
    assert not FeedToken.objects.exists()
    fragment = client.get(team_feed, **HTMX)
    assertNotContains(fragment, "<html")
    assertContains(fragment, "Get the team's calendar address")


@pytest.mark.django_db
def test_a_manager_makes_and_replaces_the_team_address(client, team, manager):
    client.force_login(manager)
    replace = reverse("feeds:replace_team_feed", args=["marketing"])
    assertRedirects(client.post(replace), reverse("feeds:team_feed", args=["marketing"]))
    first = address_of(team=team)
    response = client.post(replace, secure=True, **HTMX)
    assertContains(response, 'id="team-feed"')
    assertContains(response, address_of(team=team))
    client.logout()
    assert client.get(first.removeprefix("https://testserver")).status_code == 404
    assert client.get(address_of(team=team).removeprefix("https://testserver")).status_code == 200


@pytest.mark.django_db
def test_the_team_calendar_says_when_its_address_stopped_and_another_manager_replaces_it(client, team, manager):
    client.force_login(manager)
    client.post(reverse("feeds:replace_team_feed", args=["marketing"]))
    old = address_of(team=team).removeprefix("https://testserver")
    team.managers.remove(manager)
    other = make_user(username="other-boss")
    team.managers.add(other)
    client.force_login(other)
    page = client.get(reverse("feeds:team_feed", args=["marketing"]))
    assertContains(page, "The team's calendar address stopped working")
    assertNotContains(page, old)
    assertContains(page, "Replace the address")
    client.post(reverse("feeds:replace_team_feed", args=["marketing"]))
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(address_of(team=team).removeprefix("https://testserver")).status_code == 200


@pytest.mark.django_db
def test_a_member_cannot_see_or_replace_the_team_address(client, team, ann, manager):
    client.force_login(manager)
    client.post(reverse("feeds:replace_team_feed", args=["marketing"]))
    before = FeedToken.objects.get(team=team).selector
    client.force_login(ann.user)
    assert client.get(reverse("feeds:team_feed", args=["marketing"])).status_code == 404
    assert client.post(reverse("feeds:replace_team_feed", args=["marketing"])).status_code == 404
    assert FeedToken.objects.get(team=team).selector == before


# --------------------------------------------------------------------------- the admin


@pytest.mark.django_db
def test_the_admin_lists_addresses_without_their_secret(client, team, ann, manager):
    client.force_login(ann.user)
    client.post(REPLACE_MINE)
    token = FeedToken.objects.get(member=ann).token
    client.force_login(make_user(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:feeds_feedtoken_changelist"))
    assertContains(response, "Ann")
    assertNotContains(response, token)
    assert client.get(reverse("admin:feeds_feedtoken_add")).status_code == 403


# ------------------------------------------------------------- the cache (committed: used outside a transaction)


@pytest.fixture
def fresh_cache():
    plan_cache._cache_down_until = 0.0
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db(transaction=True)
def test_a_feed_is_computed_once_per_plan_revision(client, ann, monkeypatch, fresh_cache):
    computed = []
    real = selectors.member_duties
    monkeypatch.setattr(selectors, "member_duties", lambda member: computed.append(member.pk) or real(member))
    client.force_login(ann.user)
    client.post(REPLACE_MINE)
    client.logout()
    url = address_of(member=ann).removeprefix("https://testserver")
    first, second = client.get(url), client.get(url)
    assert first.content == second.content
    assert computed == [ann.pk]
    make_time_off(ann, MONDAY, MONDAY)  # a new revision: computed again, never stale
    assert b"Time off" in client.get(url).content
    assert computed == [ann.pk, ann.pk]


@pytest.mark.django_db(transaction=True)
def test_a_feed_is_kept_compressed_in_the_cache(client, ann, fresh_cache):
    client.force_login(ann.user)
    client.post(REPLACE_MINE)
    client.logout()
    token = FeedToken.objects.get(member=ann).token
    body = client.get(reverse("feeds:calendar", args=[token])).content
    kept = cache.get(selectors.feed_cache_key(selectors.feed_of_token(token), domain="testserver"))
    assert zlib.decompress(kept) == body
    assert len(kept) < len(body)


# --------------------------------------------------------------------------- bench_feeds


def bench_team():
    bench = make_team(slug="bench-s", name="Bench S")
    busiest = make_member(bench, full_name="Busiest")
    make_assignment(make_task(bench, make_role(), title="Bench task", start_date=MONDAY), busiest)
    return bench, busiest


@pytest.mark.django_db
def test_bench_feeds_refuses_to_replace_an_address_it_did_not_make():
    bench, busiest = bench_team()
    busiest.user = make_user()
    busiest.save()
    made = feed_address_replace(member=busiest, user=busiest.user, language="en")[0]
    with pytest.raises(CommandError, match="already has a calendar feed address"):
        call_command("bench_feeds", size="S", runs=1, stdout=io.StringIO())
    assert list(FeedToken.objects.values_list("selector", flat=True)) == [made.selector]
    assert not bench.managers.exists()


@pytest.mark.django_db(transaction=True)
def test_bench_feeds_removes_what_it_made_and_only_its_own_cache_entries(fresh_cache):
    _bench, busiest = bench_team()
    cache.set("someone-elses-entry", 1)
    users = get_user_model().objects.count()
    output = io.StringIO()
    call_command("bench_feeds", size="S", runs=1, stdout=output)
    assert "computed, cold" in output.getvalue() and "compressed in the cache" in output.getvalue()
    assert not FeedToken.objects.exists()
    assert get_user_model().objects.count() == users
    busiest.refresh_from_db()
    assert busiest.user is None
    assert cache.get("someone-elses-entry") == 1
    assert not [key for key in cache._cache if "calendar_feed" in key]  # the local-memory cache of the tests
