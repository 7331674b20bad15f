"""Unsubscribing from one kind of message: the signed link, its page, the one-click POST, and the sender
leaving the opted-out address out of that kind only."""

import io
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from notifications.models import AlertedFlags, MailOptOut, SentMessage
from notifications.optouts import SALT, masked, token_read, unsubscribe_token
from tests.factories import make_assignment, make_member, make_role, make_task, make_team, make_user

pytestmark = pytest.mark.django_db

# Mondays after the plan's start and after the real clock (the notices read the change sets up to --now).
FIRST = "2029-01-01T00:05"
SECOND = "2029-01-01T00:10"
SITE = "https://plan.example.com"


def run(now: str, *args: str) -> str:
    out = io.StringIO()
    call_command("send_notifications", "--now", now, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def plan():
    """Dewi manages Social (her alert: Post stories is half assigned); Ann and Budi have duties every week."""
    team = make_team(name="Social", slug="social")
    team.managers.add(make_user(username="dewi", email="dewi@example.com"))
    role = make_role(name="Publisher")
    ann = make_member(team, full_name="Ann Example", email="ann@example.com")
    budi = make_member(team, full_name="Budi Santoso", email="budi@example.com")
    stories = make_assignment(make_task(team, role, title="Post stories"), ann, share_percent=50)
    make_assignment(make_task(team, role, title="Weekly report", cadence="weekly"), budi)
    return {"team": team, "role": role, "ann": ann, "budi": budi, "stories": stories}


def url(address: str, kind: str) -> str:
    return reverse("notifications:unsubscribe", args=[unsubscribe_token(address, kind)])


def opted_out() -> set[tuple[str, str]]:
    return set(MailOptOut.objects.values_list("address", "kind"))


def to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


# The link


def test_token_round_trip_lowercases_the_address():
    assert token_read(unsubscribe_token("Ann@Example.com", "digest")) == ("ann@example.com", "digest")
    assert token_read(unsubscribe_token("dewi@example.com", "alert")) == ("dewi@example.com", "alert")


def tampered() -> list[str]:
    good = unsubscribe_token("ann@example.com", "digest")
    other = unsubscribe_token("budi@example.com", "notice")
    return [
        good[:-1] + ("A" if good[-1] != "A" else "B"),  # the signature changed
        good[:20],  # cut
        other.split(":")[0] + ":" + good.split(":", 1)[1],  # Budi's payload under Ann's signature
        signing.dumps({"a": "ann@example.com", "k": "digest"}, salt="another.salt"),
        signing.dumps({"a": "ann@example.com", "k": "everything"}, salt=SALT),  # signed, but no such kind
        signing.dumps(["ann@example.com", "digest"], salt=SALT),
        "nonsense",
        "%00%ff",
        "a" * 5000,
        ":::",
    ]


@pytest.mark.parametrize("method", ["get", "post"])
def test_tampered_token_is_a_clear_400_and_writes_nothing(client, method):
    for token in tampered():
        response = getattr(client, method)(reverse("notifications:unsubscribe", args=[token]))
        assert response.status_code == 400, token
        assert "This unsubscribe link does not work" in response.content.decode()
    assert not MailOptOut.objects.exists()


def test_get_asks_and_never_unsubscribes(client):
    response = client.get(url("ann@example.com", "digest"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Stop weekly digests to a***@example.com?" in page
    assert "ann@example.com" not in page  # a forwarded mail's link does not hand out the address
    assert "no-store" in response["Cache-Control"]
    assert not MailOptOut.objects.exists()


def test_post_unsubscribes_from_that_kind_only_and_twice_is_fine(client):
    for _ in range(2):
        response = client.post(url("Ann@example.com", "digest"), {"action": "unsubscribe"})
        assert response.status_code == 200
        assert "No more weekly digests will be sent to a***@example.com." in response.content.decode()
    assert opted_out() == {("ann@example.com", "digest")}


def test_one_click_post_from_a_mail_client_needs_no_csrf_token():
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        url("dewi@example.com", "alert"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert opted_out() == {("dewi@example.com", "alert")}


def test_subscribe_again_with_the_same_link(client):
    link = url("ann@example.com", "notice")
    client.post(link)
    MailOptOut.objects.create(address="ann@example.com", kind="digest")
    response = client.post(link, {"action": "subscribe"})
    assert response.status_code == 200
    assert "a***@example.com will receive assignment notices again." in response.content.decode()
    assert opted_out() == {("ann@example.com", "digest")}  # only that kind came back


def test_unsubscribe_page_in_indonesian_follows_the_browser(client):
    response = client.get(url("ann@example.com", "digest"), HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200 and 'lang="id"' in response.content.decode()


def test_masked_address():
    assert masked("ann@example.com") == "a***@example.com"
    assert masked("x") == "x***"


# The sender


def test_next_run_skips_the_opted_out_kind_and_sends_the_others(plan):
    MailOptOut.objects.create(address="ann@example.com", kind="digest")
    output = run(FIRST)
    assert "digest: 1 sent, 0 failed (retried next run), 0 given up, 1 skipped (opted out)" in output
    assert [m.to for m in mail.outbox if m.subject.startswith("Your duties")] == [["budi@example.com"]]
    assert len(to("dewi@example.com")) == 1  # her alert
    assert not SentMessage.objects.filter(recipient="ann@example.com").exists()  # never claimed
    stories = plan["stories"]
    stories.share_percent = 20
    stories.save()
    mail.outbox.clear()
    run(SECOND)
    assert [m.subject for m in to("ann@example.com")] == ["Changes to your duties"]  # notices still come


def test_opted_out_notices_and_alerts_are_not_sent(plan):
    MailOptOut.objects.create(address="dewi@example.com", kind="alert")
    MailOptOut.objects.create(address="ann@example.com", kind="notice")
    output = run(FIRST)
    assert "alert: 0 sent, 0 failed (retried next run), 0 given up, 1 skipped (opted out)" in output
    assert to("dewi@example.com") == [] and not AlertedFlags.objects.exists()
    assert len(to("ann@example.com")) == 1  # her digest
    plan["stories"].share_percent = 20
    plan["stories"].save()
    mail.outbox.clear()
    output = run(SECOND)
    assert "notice: 0 sent, 0 failed (retried next run), 0 given up, 1 skipped (opted out)" in output
    assert to("ann@example.com") == []


def test_a_notice_that_failed_before_the_opt_out_is_given_up_not_retried_on_every_run(plan, settings):
    run(FIRST)
    plan["stories"].share_percent = 20
    plan["stories"].save()
    settings.EMAIL_BACKEND = "tests.test_notifications_changes.RefusingBackend"
    assert "notice: 0 sent, 1 failed" in run(SECOND)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    MailOptOut.objects.create(address="ann@example.com", kind="notice")
    mail.outbox.clear()
    assert "notice: 0 sent, 0 failed (retried next run), 0 given up, 1 skipped (opted out)" in run("2029-01-01T00:15")
    row = SentMessage.objects.get(kind="notice", recipient="ann@example.com")
    assert (row.status, row.attempts) == ("failed", 10)  # given up
    assert "notice: 0 sent, 0 failed (retried next run), 0 given up, 0 skipped (opted out)" in run("2029-01-01T00:20")
    assert to("ann@example.com") == []


def test_dry_run_says_how_many_are_skipped(plan):
    MailOptOut.objects.create(address="ann@example.com", kind="digest")
    MailOptOut.objects.create(address="budi@example.com", kind="digest")
    assert "digest: 0 due (dry run: nothing sent), 2 skipped (opted out)" in run(FIRST, "--dry-run")


def test_opt_outs_are_read_in_one_query_whatever_their_number(plan):
    MailOptOut.objects.create(address="ann@example.com", kind="digest")
    with CaptureQueriesContext(connection) as few:
        run(FIRST, "--dry-run")
    for n in range(20):
        MailOptOut.objects.create(address=f"someone{n}@example.com", kind="notice")
    MailOptOut.objects.create(address="budi@example.com", kind="digest")
    with CaptureQueriesContext(connection) as many:
        run(FIRST, "--dry-run")
    assert len(many) == len(few)


# The messages


def unsubscribe_link_of(message) -> str:
    link = message.extra_headers["List-Unsubscribe"]
    assert link.startswith("<") and link.endswith(">")
    return link[1:-1]


def test_every_kind_carries_its_own_link_in_the_headers_and_both_bodies(plan, settings):
    settings.TEAMPLANNER_SITE_URL = SITE + "/"
    run(FIRST)
    plan["stories"].share_percent = 20
    plan["stories"].save()
    run(SECOND)
    kinds = {"Your duties": "digest", "New flags": "alert", "Changes to your duties": "notice"}
    seen = set()
    for message in mail.outbox:
        kind = next(kind for start, kind in kinds.items() if message.subject.startswith(start))
        link = unsubscribe_link_of(message)
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert link.startswith(f"{SITE}/mail/unsubscribe/")
        assert link in message.body and f'href="{link}"' in message.alternatives[0][0]
        match = resolve(urlsplit(link).path)
        assert match.view_name == "notifications:unsubscribe"
        assert token_read(match.kwargs["token"]) == (message.to[0], kind)
        seen.add((message.to[0], kind))
    assert {("dewi@example.com", "alert"), ("ann@example.com", "digest"), ("ann@example.com", "notice")} <= seen


def test_footer_is_in_the_recipients_language(plan, settings):
    settings.TEAMPLANNER_SITE_URL = SITE
    run(FIRST)
    [digest] = to("budi@example.com")
    assert "Unsubscribe from weekly digests: https://plan.example.com/mail/unsubscribe/" in digest.body


def test_without_a_site_url_there_is_no_link_and_no_header(plan):
    run(FIRST)
    for message in mail.outbox:
        assert "List-Unsubscribe" not in message.extra_headers
        assert "unsubscribe" not in message.body.lower()


# The admin


def test_opt_outs_in_the_admin_listed_searched_and_filtered_never_changed(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    MailOptOut.objects.create(address="ann@example.com", kind="digest")
    MailOptOut.objects.create(address="budi@example.com", kind="alert")
    changelist = reverse("admin:notifications_mailoptout_changelist")
    response = client.get(changelist, {"kind__exact": "digest", "q": "ann@"})
    assert list(response.context["cl"].result_list.values_list("address", flat=True)) == ["ann@example.com"]
    added = client.post(reverse("admin:notifications_mailoptout_add"), {"address": "Cid@Example.com", "kind": "notice"})
    assert added.status_code == 302
    assert MailOptOut.objects.filter(address="cid@example.com", kind="notice").exists()
    again = client.post(reverse("admin:notifications_mailoptout_add"), {"address": "ANN@example.com", "kind": "digest"})
    assert again.status_code == 200 and "already opted out" in again.content.decode()  # the form says so, no 500
    row = MailOptOut.objects.get(address="budi@example.com")
    client.post(reverse("admin:notifications_mailoptout_change", args=[row.pk]), {"address": "x@example.com"})
    assert MailOptOut.objects.get(pk=row.pk).address == "budi@example.com"
