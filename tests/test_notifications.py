"""The weekly digest: which are due at which moment, what they say in both languages, each sent once."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activity.models import ChangeSet
from assignments.models import Cover
from notifications.models import NoticeMark, SentMessage
from notifications.services import MAX_ATTEMPTS
from roles.models import Role, UserPreferences
from teamplanner.checks import check_mail_settings
from tests.factories import (
    make_assignment,
    make_holding,
    make_member,
    make_role,
    make_task,
    make_team,
    make_time_off,
    make_user,
)

pytestmark = pytest.mark.django_db

MONDAY_0005 = "2026-11-30T00:05"  # week 2026-W49
NEXT_MONDAY_0005 = "2026-12-07T00:05"  # week 2026-W50


class RefusingBackend:
    """An SMTP server that is down: every send fails as a refused connection does."""

    def __init__(self, fail_silently=False, **kwargs):
        pass

    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")

    def close(self):
        pass

    def send_messages(self, messages):
        self.open()


def run(now: str, *args: str) -> str:
    out = io.StringIO()
    call_command("send_notifications", "--now", now, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def plan():
    """Ann (no login: English) posts daily on Instagram; Budi (login, Indonesian) has a 5.5 h weekly report
    and holds both kinds of role; Idle is on the team with nothing planned."""
    team = make_team()
    posting, strategy = make_role(name="Publisher"), make_role(name="Strategist", focus=Role.Focus.STRATEGIC)
    ann = make_member(team, full_name="Ann Example", email="ann@example.com")
    user = make_user(username="budi")
    UserPreferences.objects.create(user=user, language="id")
    budi = make_member(team, full_name="Budi Santoso", email="budi@example.com", user=user)
    idle = make_member(team, full_name="Idle Person", email="idle@example.com")
    daily = make_task(team, posting, title="Post stories", channel="instagram", effort_hours=Decimal("1.00"))
    make_assignment(daily, ann)
    weekly = make_task(team, strategy, title="Weekly report", cadence="weekly", effort_hours=Decimal("5.50"))
    make_assignment(weekly, budi)
    make_holding(budi, posting)
    make_holding(budi, strategy)
    return {"team": team, "ann": ann, "budi": budi, "idle": idle, "daily": daily}


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def text_of(recipient: str) -> str:
    (message,) = [message for message in mail.outbox if message.to == [recipient]]
    return message.body


def html_of(recipient: str) -> str:
    (message,) = [message for message in mail.outbox if message.to == [recipient]]
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def test_digest_due_from_monday_to_members_with_duties_only(plan):
    output = run(MONDAY_0005)
    assert sent_to() == ["ann@example.com", "budi@example.com"]  # Idle has nothing planned: no digest
    assert "digest: 2 sent, 0 failed (retried next run), 0 given up" in output
    assert set(SentMessage.objects.values_list("period", "status")) == {("2026-W49", "sent")}


def test_digest_sunday_night_of_previous_week_sends_nothing_new(plan):
    run("2026-12-06T23:59")  # Sunday of W49: W49's digests
    run(NEXT_MONDAY_0005)  # W50's
    assert len(mail.outbox) == 4
    run("2026-12-06T23:59")
    assert len(mail.outbox) == 4
    assert sorted(SentMessage.objects.values_list("period", flat=True)) == ["2026-W49"] * 2 + ["2026-W50"] * 2


def test_digest_before_anything_is_planned_sends_nothing(plan):
    assert "digest: 0 sent" in run("2026-11-29T23:59")  # W48: the plan starts on 30 November
    assert mail.outbox == []


def test_digest_week_starts_at_monday_midnight_in_the_site_time_zone(plan, settings):
    settings.TIME_ZONE = "Asia/Jakarta"
    run("2026-11-29T16:59:00+00:00")  # Sunday 23:59 in Jakarta: W48, nothing planned
    assert mail.outbox == []
    run("2026-11-29T17:05:00+00:00")  # Monday 00:05 in Jakarta
    assert len(mail.outbox) == 2


def test_digest_says_time_off_and_the_duties_nobody_covers(plan):
    make_time_off(plan["ann"], datetime.date(2026, 12, 1), datetime.date(2026, 12, 2), reason="Family")
    run(MONDAY_0005)
    text = text_of("ann@example.com")
    assert "1 Dec 2026 – 2 Dec 2026: Family" in text
    assert "Tuesday 1 Dec\n- Post stories (Publisher, Instagram): 1.00 h · you are away · nobody covers yet" in text
    assert "3.00 of 24.00 h planned" in text  # three days worked of three available: 40 h × 3 ÷ 5


def test_digest_says_covers_given_and_received(plan):
    make_time_off(plan["ann"], datetime.date(2026, 12, 1), datetime.date(2026, 12, 1))
    assignment = plan["daily"].assignments.get()
    Cover.objects.create(assignment=assignment, member=plan["budi"], start_date="2026-12-01", end_date="2026-12-01")
    run(MONDAY_0005)
    assert "Budi Santoso covers Post stories, on 1 Dec 2026" in text_of("ann@example.com")
    assert "you are away · Budi Santoso covers" in text_of("ann@example.com")
    budi = text_of("budi@example.com")
    assert "Post stories untuk Ann Example, pada 1 Des 2026" in budi  # in Budi's language
    assert "Selasa 1 Des\n- Post stories (Publisher, Instagram): 1,00 jam · untuk Ann Example" in budi


def test_digest_content_in_english(plan):
    run(MONDAY_0005)
    (message,) = [message for message in mail.outbox if message.to == ["ann@example.com"]]
    assert message.subject == "Your duties for the week of 30 Nov 2026"
    assert message.extra_headers["Content-Language"] == "en"
    assert "Hello, Ann Example" in message.body
    assert "Monday 30 Nov\n- Post stories (Publisher, Instagram): 1.00 h" in message.body
    assert "Load: 5.00 of 40.00 h planned (13 %, under)" in message.body
    html = html_of("ann@example.com")
    assert "<td" in html and "Post stories" in html and "Instagram" in html
    # Readable in mail clients: inline styles only, nothing fetched from elsewhere.
    assert "<style" not in html and "<link" not in html and "<img" not in html and "<script" not in html


def test_digest_content_in_indonesian_with_a_decimal_comma(plan):
    run(MONDAY_0005)
    (message,) = [message for message in mail.outbox if message.to == ["budi@example.com"]]
    assert message.extra_headers["Content-Language"] == "id"
    assert "5,50 jam" in message.body and "5,50 jam" in html_of("budi@example.com")
    assert "Senin 30 Nov" in message.body
    assert "Beban: 5,50 dari 40,00 jam terencana" in message.body
    # The dual role said plainly, with what it means.
    assert "Anda memegang peran operasional sekaligus strategis." in message.body


def test_digest_is_sent_once_however_often_the_job_runs(plan):
    run(MONDAY_0005)
    second = run("2026-11-30T00:10")
    assert len(mail.outbox) == 2
    assert "digest: 0 sent" in second
    assert list(SentMessage.objects.values_list("attempts", flat=True)) == [1, 1]


def test_dry_run_counts_what_is_due_and_sends_and_claims_nothing(plan):
    assert "digest: 2 due (dry run: nothing sent)" in run(MONDAY_0005, "--dry-run")
    assert mail.outbox == [] and not SentMessage.objects.exists()
    run(MONDAY_0005)
    assert "digest: 0 due" in run(MONDAY_0005, "--dry-run")


def test_refused_connection_fails_the_message_and_the_next_run_sends_it_once(plan, settings):
    settings.EMAIL_BACKEND = "tests.test_notifications.RefusingBackend"
    output = run(MONDAY_0005)  # exits normally: the failure will be retried
    assert "digest: 0 sent, 2 failed (retried next run)" in output
    failed = SentMessage.objects.get(recipient="ann@example.com")
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert "ConnectionRefusedError" in failed.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run("2026-11-30T00:10")
    run("2026-11-30T00:15")
    assert sent_to() == ["ann@example.com", "budi@example.com"]
    assert SentMessage.objects.count() == 2
    retried = SentMessage.objects.get(recipient="ann@example.com")
    assert (retried.status, retried.attempts, retried.last_error) == ("sent", 2, "")


def test_message_failing_for_the_last_time_makes_the_run_fail(plan, settings):
    settings.EMAIL_BACKEND = "tests.test_notifications.RefusingBackend"
    run(MONDAY_0005)
    SentMessage.objects.update(attempts=MAX_ATTEMPTS - 1)
    with pytest.raises(CommandError, match="failed for the last time"):
        run(MONDAY_0005)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run(MONDAY_0005)  # given up: left for a human, never sent twice by accident
    assert mail.outbox == []


def test_claim_left_by_a_crashed_run_is_retaken_after_ten_minutes(plan):
    now = timezone.now()
    common = {"kind": "digest", "period": "2026-W49", "status": "claimed"}
    SentMessage.objects.create(recipient="ann@example.com", claimed_at=now - datetime.timedelta(minutes=11), **common)
    SentMessage.objects.create(recipient="budi@example.com", claimed_at=now - datetime.timedelta(minutes=2), **common)
    run(MONDAY_0005)
    assert sent_to() == ["ann@example.com"]  # Budi's may still be on its way from a live run
    assert SentMessage.objects.get(recipient="ann@example.com").attempts == 2


def team_with(size: int, team=None):
    team = team or make_team()
    role = make_role()
    for _ in range(size):
        make_assignment(make_task(team, role), make_member(team))
    return team


def run_queries(now: str) -> int:
    # The assignments made since the last run are news for their members: their notices are counted in
    # tests/test_notifications_changes.py; here the digests alone.
    last = ChangeSet.objects.order_by("-pk").values_list("pk", flat=True).first()
    NoticeMark.objects.update_or_create(name="notices", defaults={"change_set_id": last})
    with CaptureQueriesContext(connection) as queries:
        run(now)
    return len(queries)


# Per team: the engine's 7 reads, the week's time off and covers, the tasks' channels, and the claim (insert,
# select for update, select the claimed rows; inside a test's transaction its own is a savepoint, two more
# statements): 15, whatever the team's size.
QUERIES_PER_TEAM = 15


def test_run_reads_in_queries_bounded_per_team_plus_one_write_per_message():
    team = team_with(2)
    small = run_queries(MONDAY_0005)
    team_with(4, team)
    larger = run_queries(NEXT_MONDAY_0005)
    assert larger - small == 4  # four more messages, each marked sent; not one read more
    team_with(6)
    two_teams = run_queries("2026-12-14T00:05")
    assert two_teams - larger == QUERIES_PER_TEAM + 6
    assert len(mail.outbox) == 2 + 6 + 12


def test_sent_log_in_the_admin_is_read_only_with_filters_and_search(client, plan):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    run(MONDAY_0005)
    url = reverse("admin:notifications_sentmessage_changelist")
    response = client.get(url, {"kind": "digest", "status__exact": "sent", "q": "ann@"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list.values_list("recipient", flat=True)) == ["ann@example.com"]
    row = SentMessage.objects.first()
    assert client.get(reverse("admin:notifications_sentmessage_add")).status_code == 403
    change = client.post(reverse("admin:notifications_sentmessage_change", args=[row.pk]), {"status": "failed"})
    assert change.status_code == 403 or SentMessage.objects.get(pk=row.pk).status == "sent"


def test_deploy_check_warns_without_a_mail_host(settings):
    settings.DEBUG, settings.EMAIL_HOST = False, ""
    assert [warning.id for warning in check_mail_settings(None)] == ["teamplanner.W001"]
    settings.EMAIL_HOST = "smtp.example.com"
    assert check_mail_settings(None) == []
