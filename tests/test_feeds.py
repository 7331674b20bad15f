"""Calendar feeds: the secret address (made, replaced, compared in constant time), no login, 404 for anything
else and once its owner may no longer read it, conditional GET, what the team's feed holds and leaves out, the
owner's language, and a fixed number of queries (docs/rules.md, "Calendar feeds")."""

import datetime
import hashlib
from email.utils import format_datetime

import icalendar
import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activity.models import ChangeSet
from assignments import plan_cache
from assignments.models import Cover
from feeds import tokens
from feeds.models import FeedToken
from feeds.services import feed_address_replace
from roles.models import UserPreferences
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

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return make_team(slug="marketing")


@pytest.fixture
def ann(team):
    ann = make_member(team, full_name="Ann", user=make_user(username="ann"))
    make_assignment(make_task(team, make_role(), title="Ann's posting", start_date=MONDAY), ann)
    return ann


@pytest.fixture
def budi(team):
    budi = make_member(team, full_name="Budi", user=make_user(username="budi"))
    make_assignment(make_task(team, make_role(), title="Budi's report", cadence="weekly", start_date=MONDAY), budi)
    return budi


def feed_url(*, maker=None, **owner) -> str:
    """A new address of ``owner``'s feed, made by ``maker`` (a team's: by default a new manager of the team)."""
    if maker is None:
        maker = make_user()
        if "team" in owner:
            owner["team"].managers.add(maker)
    token = feed_address_replace(user=maker, language="en", **owner)[0].token
    return reverse("feeds:calendar", args=[token])


def summaries(response) -> set[str]:
    return {str(event["SUMMARY"]) for event in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}


# --------------------------------------------------------------------------- the address


def test_feed_answers_without_a_login(client, ann):
    response = client.get(feed_url(member=ann))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert summaries(response) == {"Ann's posting"}


def test_feed_answers_head_without_a_body(client, ann):
    response = client.head(feed_url(member=ann))
    assert response.status_code == 200
    assert response.content == b""


def test_feed_refuses_writes(client, ann):
    assert client.post(feed_url(member=ann)).status_code == 405


def test_replacing_the_address_makes_the_old_one_404(client, ann):
    old = feed_url(member=ann)
    client.force_login(ann.user)
    assert client.post(reverse("feeds:replace_my_feed")).status_code == 302
    client.logout()
    assert client.get(old).status_code == 404
    new = reverse("feeds:calendar", args=[FeedToken.objects.get(member=ann).token])
    assert new != old
    assert client.get(new).status_code == 200
    assert FeedToken.objects.filter(member=ann).count() == 1


@pytest.mark.parametrize(
    "made_up",
    [
        "A" * tokens.TOKEN_LENGTH,  # the right shape, no such selector
        "short",
        "A" * (tokens.TOKEN_LENGTH + 1),
        "%" * tokens.TOKEN_LENGTH,  # not URL-safe base64
    ],
)
def test_made_up_token_is_404(client, ann, made_up):
    feed_url(member=ann)
    response = client.get(f"/calendar/{made_up}.ics")
    assert response.status_code == 404
    assert b"Ann" not in response.content


def test_right_selector_with_a_wrong_verifier_is_404(client, ann):
    token = FeedToken.objects.get(pk=feed_address_replace(member=ann, user=ann.user, language="en")[0].pk).token
    wrong = token[: tokens.SELECTOR_LENGTH] + tokens.verifier_of("another seed")
    assert client.get(reverse("feeds:calendar", args=[token])).status_code == 200
    assert client.get(reverse("feeds:calendar", args=[wrong])).status_code == 404


def test_another_members_token_never_shows_your_duties(client, ann, budi):
    response = client.get(feed_url(member=budi))
    assert summaries(response) == {"Budi's report"}
    assert b"Ann" not in response.content


def test_an_inactive_members_feed_is_404(client, ann):
    url = feed_url(member=ann)
    ann.is_active = False
    ann.save()
    assert client.get(url).status_code == 404


def test_the_verifier_is_compared_in_constant_time_against_its_stored_digest(client, ann, monkeypatch):
    compared = []

    def compare_digest(stored, given):
        compared.append((stored, given))
        return hmac_compare(stored, given)

    hmac_compare = tokens.hmac.compare_digest
    token = feed_address_replace(member=ann, user=ann.user, language="en")[0].token
    monkeypatch.setattr(tokens.hmac, "compare_digest", compare_digest)
    client.get(reverse("feeds:calendar", args=[token]))
    stored = FeedToken.objects.get(member=ann).verifier_sha256
    assert compared == [(stored, hashlib.sha256(token[tokens.SELECTOR_LENGTH :].encode()).hexdigest())]
    compared.clear()
    client.get(f"/calendar/{'B' * tokens.TOKEN_LENGTH}.ics")  # no such selector: compared all the same
    assert len(compared) == 1


def test_a_token_has_at_least_128_random_bits_and_its_secret_is_not_stored(ann):
    first = feed_address_replace(member=ann, user=ann.user, language="en")[0]
    token = first.token
    verifier = token[tokens.SELECTOR_LENGTH :]
    assert len(token) == tokens.TOKEN_LENGTH and tokens.VERIFIER_BYTES * 8 >= 128
    assert len(verifier) * 6 >= 128
    stored = FeedToken.objects.filter(pk=first.pk).values().get()
    assert verifier not in str(stored.values())
    assert feed_address_replace(member=ann, user=ann.user, language="en")[0].token != token


def test_the_address_survives_a_secret_key_rotation_with_the_old_key_as_fallback(client, settings, ann):
    url = feed_url(member=ann)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "another secret key for this test, long enough to be one"
    assert client.get(url).status_code == 200
    assert reverse("feeds:calendar", args=[FeedToken.objects.get(member=ann).token]) == url
    settings.SECRET_KEY_FALLBACKS = []
    assert client.get(url).status_code == 200  # calendar apps keep working; the pages ask for a new address
    assert FeedToken.objects.get(member=ann).token is None


def test_a_feed_is_a_members_or_a_teams_and_one_each(team, ann):
    feed_address_replace(member=ann, user=ann.user, language="en")
    row = {"selector": "x" * 12, "seed": "s", "verifier_sha256": "0" * 64, "language": "en"}
    for owner in [{"member": ann}, {}, {"member": ann, "team": team}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            FeedToken.objects.create(**owner, **row)
    with pytest.raises(ValueError):
        feed_address_replace(member=ann, team=team, user=ann.user, language="en")


# --------------------------------------------------------------------------- conditional GET


def test_a_feed_sends_its_validators_and_answers_304_with_the_same_headers(client, ann):
    url = feed_url(member=ann)
    response = client.get(url)
    assert response["ETag"].startswith('"') and response["Last-Modified"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert len(queries) == 1  # the token's row, with its team's revision and last change: nothing computed
    for header in ["ETag", "Last-Modified", "Cache-Control", "Content-Language", "Vary"]:
        assert again[header] == response[header], header
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-cache"}


def test_if_modified_since_alone_never_gets_a_304(client, ann):
    """Last-Modified only moves with recorded history: only the ETag, which holds everything, says "unchanged"."""
    url = feed_url(member=ann)
    last_modified = client.get(url)["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 200
    later = format_datetime(datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC), usegmt=True)
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=later).status_code == 200


def test_a_feed_is_in_its_owners_language_whatever_the_request_asks(client, ann):
    url = feed_url(member=ann)
    etag = client.get(url)["ETag"]
    for answer in [client.get(url, HTTP_ACCEPT_LANGUAGE="id"), client.get(url, HTTP_IF_NONE_MATCH=etag)]:
        assert answer["Content-Language"] == "en"
    UserPreferences.objects.create(user=ann.user, language="id")
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "id"


def test_the_etag_follows_the_host_the_last_change_and_the_engine_version(client, settings, team, ann, monkeypatch):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "calendar.example.org"]
    url = feed_url(member=ann)
    etag = client.get(url)["ETag"]
    elsewhere = client.get(url, HTTP_HOST="calendar.example.org")
    assert elsewhere["ETag"] != etag  # the UIDs name the host
    assert b"@calendar.example.org" in elsewhere.content
    assert client.get(url, HTTP_HOST="calendar.example.org", HTTP_IF_NONE_MATCH=etag).status_code == 200
    ChangeSet.objects.create(team_id=team.pk, actor="system")  # a recorded change: a new DTSTAMP
    moved = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert moved.status_code == 200 and moved["ETag"] != etag
    monkeypatch.setattr(plan_cache, "ENGINE_VERSION", plan_cache.ENGINE_VERSION + 1)
    assert client.get(url, HTTP_IF_NONE_MATCH=moved["ETag"]).status_code == 200


@pytest.mark.django_db(transaction=True)  # PostgreSQL renews the plan revision when the write commits
def test_a_plan_change_changes_the_etag(client, team, ann):
    url = feed_url(member=ann)
    etag = client.get(url)["ETag"]
    make_time_off(ann, MONDAY, MONDAY)
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_the_etag_differs_by_owner_and_language(client, team, ann):
    member_etag = client.get(feed_url(member=ann))["ETag"]
    team_etag = client.get(feed_url(team=team))["ETag"]
    UserPreferences.objects.create(user=ann.user, language="id")
    assert len({member_etag, team_etag, client.get(feed_url(member=ann))["ETag"]}) == 3


def test_a_feed_is_in_its_owners_saved_language(client, ann):
    make_time_off(ann, MONDAY, MONDAY + datetime.timedelta(days=1))
    halves = make_task(ann.team, make_role(), title="Halves", effort_hours="3.00", start_date=MONDAY)
    make_assignment(halves, ann, share_percent=50)
    url = feed_url(member=ann)  # made in English
    UserPreferences.objects.create(user=ann.user, language="id")
    calendar = icalendar.Calendar.from_ical(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content)
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    assert "Cuti" in events  # "Time off"
    assert "1,50" in str(events["Halves"]["DESCRIPTION"])
    assert str(events["Halves"]["X-TEAMPLANNER-HOURS"]) == "1.50"  # for programs: never localized


def test_uids_are_stable_across_requests(client, ann):
    url = feed_url(member=ann)
    first, second = client.get(url).content, client.get(url).content
    assert first == second
    uids = [str(event["UID"]) for event in icalendar.Calendar.from_ical(first).walk("VEVENT")]
    assert uids == [f"assignment-{ann.assignments.get().pk}@testserver"]
    team_uids = [
        str(event["UID"])
        for event in icalendar.Calendar.from_ical(client.get(feed_url(team=ann.team)).content).walk("VEVENT")
    ]
    assert team_uids == [f"team-assignment-{ann.assignments.get().pk}@testserver"]


def test_the_calendar_is_named_and_says_who_made_it(client, team, ann):
    calendar = icalendar.Calendar.from_ical(client.get(feed_url(member=ann)).content)
    assert str(calendar["X-WR-CALNAME"]) == "Duties of Ann"
    assert str(calendar["PRODID"]).startswith("-//Teamplanner//")
    assert "DTSTAMP" in calendar.walk("VEVENT")[0]
    team_calendar = icalendar.Calendar.from_ical(client.get(feed_url(team=team)).content)
    assert str(team_calendar["X-WR-CALNAME"]) == f"Duties of the team {team.name}"


def test_events_are_written_as_the_icalendar_library_writes_them(client, team, ann, budi):
    """The events are written line by line (ical.py): read back with the library, each is the same bytes."""
    role = make_role(name="Role, with; punctuation")
    long_task = make_task(
        team, role, title="A title long enough to be folded, with émoji 📅 and a comma, too", start_date=MONDAY
    )
    make_assignment(long_task, ann, share_percent=30)
    away = make_assignment(make_task(team, role, title="Monthly", cadence="monthly", start_date=MONDAY), budi)
    make_time_off(budi, MONDAY, MONDAY + datetime.timedelta(days=40), reason="Line one\nline two; with \\ backslash")
    Cover.objects.create(assignment=away, member=ann, start_date=MONDAY, end_date=MONDAY + datetime.timedelta(days=40))
    for url in [feed_url(member=ann), feed_url(team=team)]:
        body = client.get(url).content
        events = icalendar.Calendar.from_ical(body).walk("VEVENT")
        assert len(events) >= 4
        for event in events:
            assert event.to_ical() in body


# --------------------------------------------------------------------------- what the team's feed holds


def test_the_team_feed_leaves_out_inactive_members_other_teams_and_archived_tasks(client, team, ann, budi):
    gone = make_member(team, full_name="Gone")
    make_assignment(make_task(team, make_role(), title="Gone's task", start_date=MONDAY), gone)
    make_time_off(gone, MONDAY, MONDAY)
    gone.is_active = False
    gone.save()
    make_assignment(make_task(team, make_role(), title="Archived", start_date=MONDAY, is_active=False), ann)
    other = make_team()
    make_assignment(make_task(other, make_role(), title="Elsewhere", start_date=MONDAY), make_member(other))
    response = client.get(feed_url(team=team))
    assert summaries(response) == {"Ann's posting · Ann", "Budi's report · Budi"}
    assert b"Gone" not in response.content


def test_a_time_off_reason_is_in_the_members_own_feed_only(client, team, ann):
    make_time_off(ann, MONDAY, MONDAY, reason="Dentist appointment")
    own = icalendar.Calendar.from_ical(client.get(feed_url(member=ann)).content)
    assert [str(event["DESCRIPTION"]) for event in own.walk("VEVENT") if event["SUMMARY"] == "Time off"] == [
        "Dentist appointment"
    ]
    team_response = client.get(feed_url(team=team))
    assert "Ann · Time off" in summaries(team_response)
    assert b"Dentist" not in team_response.content
    away = [
        event
        for event in icalendar.Calendar.from_ical(team_response.content).walk("VEVENT")
        if "Time" in event["SUMMARY"]
    ]
    assert "DESCRIPTION" not in away[0]


def test_the_team_feeds_uids_are_its_own(client, team, ann):
    """One person subscribed to both feeds never sees one UID with two contents."""
    make_time_off(ann, MONDAY + datetime.timedelta(days=7), MONDAY + datetime.timedelta(days=7))

    def uids(url) -> set[str]:
        return {str(event["UID"]) for event in icalendar.Calendar.from_ical(client.get(url).content).walk("VEVENT")}

    own, whole = uids(feed_url(member=ann)), uids(feed_url(team=team))
    assert own and not own & whole
    assert {f"team-{uid}" for uid in own} == whole


# --------------------------------------------------------------------------- who may still read a feed


def test_a_team_feed_stops_when_its_maker_no_longer_manages_the_team(client, team, ann):
    manager = make_user()
    team.managers.add(manager)
    url = feed_url(team=team, maker=manager)
    assert client.get(url).status_code == 200
    team.managers.remove(manager)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 404
    assert len(queries) == 1  # checked in the query that finds the token
    team.managers.add(manager)
    assert client.get(url).status_code == 200


def test_a_team_feed_made_by_staff_works_and_stops_with_the_makers_login(client, team, ann):
    staff = make_user(is_staff=True)
    url = feed_url(team=team, maker=staff)
    assert client.get(url).status_code == 200
    staff.is_active = False
    staff.save()
    assert client.get(url).status_code == 404
    assert client.get(feed_url(team=team, maker=make_user())).status_code == 404  # made by someone else


def test_a_team_feed_stops_when_its_makers_login_is_deleted(client, team, ann):
    manager = make_user()
    team.managers.add(manager)
    url = feed_url(team=team, maker=manager)
    manager.delete()
    assert client.get(url).status_code == 404


def test_a_members_feed_stops_while_their_login_is_deactivated_and_once_it_is_deleted(client, ann):
    url = feed_url(member=ann)
    ann.user.is_active = False
    ann.user.save()
    assert client.get(url).status_code == 404
    ann.user.is_active = True
    ann.user.save()
    assert client.get(url).status_code == 200
    ann.user.delete()  # the member stays, without a login
    assert client.get(url).status_code == 404


# --------------------------------------------------------------------------- cost


def grow(team, size: int, substitute) -> None:
    """``size`` more people, each away a day with a duty ``substitute`` covers, and a colleague on the task."""
    role = make_role()
    for _ in range(size):
        member = make_member(team)
        make_time_off(member, MONDAY, MONDAY)
        task = make_task(team, role, start_date=MONDAY)
        away = make_assignment(task, member, share_percent=60)
        make_assignment(task, make_member(team), share_percent=40)
        Cover.objects.create(assignment=away, member=substitute, start_date=MONDAY, end_date=MONDAY)


@pytest.mark.parametrize("owner", ["member", "team"])
def test_a_feed_runs_a_fixed_number_of_queries_whatever_the_team_size(client, team, ann, owner):
    url = feed_url(**({"member": ann} if owner == "member" else {"team": team}))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    grow(team, 2, ann)
    small = count()
    grow(team, 12, ann)
    assert (
        count() == small == 5
    )  # the token (with revision, language, last change); tasks, assignments, covers, time off
