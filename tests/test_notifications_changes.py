"""Flag alerts to managers and assignment notices to members: what is due, what each says, each sent once."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from activity.models import ChangeSet
from assignments.models import Cover
from notifications.models import AlertedFlags, NoticeMark, SentMessage
from notifications.notices import notices_between
from roles.models import UserPreferences
from tests.factories import make_assignment, make_member, make_role, make_task, make_team, make_user

pytestmark = pytest.mark.django_db

# Mondays after the plan's start (30 November 2026) and after the real clock: the notices read the change
# sets recorded up to --now, and the tests' changes are recorded now.
FIRST = "2029-01-01T00:05"
SECOND = "2029-01-01T00:10"
THIRD = "2029-01-01T00:15"
NOTICE_SUBJECT = "Changes to your duties"


def run(now: str, *args: str) -> str:
    out = io.StringIO()
    call_command("send_notifications", "--now", now, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def plan():
    """Team Social: Dewi manages it (English); Ann posts stories at 50 % (the task is half assigned: a flag)
    and writes the newsletter; Budi does the weekly report."""
    team = make_team(name="Social", slug="social")
    manager = make_user(username="dewi", email="dewi@example.com", first_name="Dewi", last_name="Sari")
    team.managers.add(manager)
    role = make_role(name="Publisher")
    ann = make_member(team, full_name="Ann Example", email="ann@example.com")
    budi = make_member(team, full_name="Budi Santoso", email="budi@example.com")
    stories = make_task(team, role, title="Post stories")
    newsletter = make_task(team, role, title="Newsletter", cadence="weekly")
    report = make_task(team, role, title="Weekly report", cadence="weekly")
    return {
        "team": team,
        "manager": manager,
        "role": role,
        "ann": ann,
        "budi": budi,
        "stories": make_assignment(stories, ann, share_percent=50),
        "newsletter": make_assignment(newsletter, ann),
        "report": make_assignment(report, budi),
    }


def messages_to(address: str, subject: str | None = None) -> list:
    return [m for m in mail.outbox if address in m.to and (subject is None or m.subject == subject)]


def alerts() -> list:
    return messages_to("dewi@example.com")


def notices(address: str = "ann@example.com") -> list:
    return messages_to(address, NOTICE_SUBJECT)


def test_first_run_alerts_on_all_current_flags_and_sends_no_notices(plan):
    output = run(FIRST)
    assert "alert: 1 sent, 0 failed (retried next run), 0 given up" in output
    assert "notice: 0 sent" in output
    [alert] = alerts()
    assert alert.subject == "New flags for Social"
    assert "Post stories is only 50 % assigned." in alert.body
    assert "Tasks not fully assigned" in alert.body
    assert not [m for m in mail.outbox if m.subject == NOTICE_SUBJECT]
    assert NoticeMark.objects.get().change_set_id is not None
    state = AlertedFlags.objects.get()
    assert state.alerts_sent == 1 and f"task_unassigned task={plan['stories'].task_id}" in state.flags


def test_second_run_with_nothing_new_sends_nothing(plan):
    run(FIRST)
    mail.outbox.clear()
    output = run(SECOND)
    assert mail.outbox == []
    assert "alert: 0 sent" in output and "notice: 0 sent" in output


def test_new_flag_after_the_first_run_alerts_only_that_flag(plan):
    run(FIRST)
    mail.outbox.clear()
    make_task(plan["team"], plan["role"], title="Podcast", cadence="weekly")  # nobody assigned: 0 %
    run(SECOND)
    [alert] = alerts()
    assert "Podcast is only 0 % assigned." in alert.body
    assert "Post stories" not in alert.body
    assert AlertedFlags.objects.get().alerts_sent == 2


def test_alert_links_to_the_fix_only_with_a_site_url(plan, settings):
    settings.TEAMPLANNER_SITE_URL = "https://plan.example.com/"
    run(FIRST)
    [alert] = alerts()
    task_id = plan["stories"].task_id
    assert f"Who should take the rest: https://plan.example.com/teams/social/fix/tasks/{task_id}/" in alert.body
    html = alert.alternatives[0][0]
    assert 'href="https://plan.example.com/teams/social/' in html


def test_alert_without_a_site_url_has_no_links(plan):
    run(FIRST)
    [alert] = alerts()
    assert "http" not in alert.body and "href" not in alert.alternatives[0][0]


def test_manager_without_an_email_gets_no_alert(plan):
    plan["manager"].email = ""
    plan["manager"].save()
    assert "alert: 0 sent" in run(FIRST)


def change_the_plan(plan) -> None:
    """Ann's share 50 → 20, assigned the podcast, removed from the newsletter, named as Budi's cover."""
    stories = plan["stories"]
    stories.share_percent = 20
    stories.save()
    make_assignment(make_task(plan["team"], plan["role"], title="Podcast", cadence="weekly"), plan["ann"])
    plan["newsletter"].delete()
    Cover.objects.create(assignment=plan["report"], member=plan["ann"], start_date="2028-12-04", end_date="2028-12-06")


def test_assignment_changes_between_runs_are_one_notice_to_that_member(plan):
    run(FIRST)
    mail.outbox.clear()
    change_the_plan(plan)
    output = run(SECOND)
    assert "notice: 1 sent" in output
    [notice] = notices()
    assert notice.body.splitlines()[3:7] == [
        "- Your share of Post stories changed from 50 % to 20 %.",
        "- You were assigned Podcast, 100 %.",
        "- You were removed from Newsletter.",
        "- You cover Budi Santoso on Weekly report from 4 Dec 2028 to 6 Dec 2028.",
    ]
    assert notices("budi@example.com") == []
    assert "<li" in notice.alternatives[0][0]


def test_two_changes_to_one_person_are_one_message_sent_once(plan):
    run(FIRST)
    stories = plan["stories"]
    stories.share_percent = 30
    stories.save()
    stories.share_percent = 40
    stories.save()
    run(SECOND)
    [notice] = notices()
    assert "from 50 % to 30 %" in notice.body and "from 30 % to 40 %" in notice.body
    mail.outbox.clear()
    assert "notice: 0 sent" in run(THIRD)
    assert notices() == []
    assert SentMessage.objects.filter(kind="notice").count() == 1


def test_dry_run_counts_alerts_and_notices_without_sending_or_claiming(plan):
    assert "alert: 1 due" in run(FIRST, "--dry-run")
    assert not SentMessage.objects.exists() and not NoticeMark.objects.exists()
    run(FIRST)
    change_the_plan(plan)
    mail.outbox.clear()
    output = run(SECOND, "--dry-run")
    assert "notice: 1 due" in output and "digest: 0 due" in output
    assert mail.outbox == [] and not SentMessage.objects.filter(kind="notice").exists()
    run(SECOND)
    assert len(notices()) == 1


def test_notices_follow_now(plan):
    run(FIRST)
    change_the_plan(plan)
    assert "notice: 0 sent" in run("2026-11-27T00:00")  # before the changes were recorded
    assert "notice: 1 sent" in run(SECOND)


class RefusingBackend:
    def __init__(self, fail_silently=False, **kwargs):
        pass

    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")

    def close(self):
        pass

    def send_messages(self, messages):
        self.open()


def test_failed_alert_and_notice_are_retried_on_the_same_rows(plan, settings):
    run(FIRST)
    change_the_plan(plan)
    mail.outbox.clear()
    AlertedFlags.objects.all().delete()  # Dewi is due the whole set again
    settings.EMAIL_BACKEND = "tests.test_notifications_changes.RefusingBackend"
    output = run(SECOND)
    assert "alert: 0 sent, 1 failed" in output and "notice: 0 sent, 1 failed" in output
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run(THIRD)
    assert len(alerts()) == 1 and len(notices()) == 1
    assert SentMessage.objects.get(kind="notice").attempts == 2
    assert SentMessage.objects.filter(kind="alert", attempts=2, status="sent").count() == 1


def test_alert_and_notice_in_indonesian(plan):
    UserPreferences.objects.create(user=plan["manager"], language="id")
    ann_login = make_user(username="ann")
    UserPreferences.objects.create(user=ann_login, language="id")
    plan["ann"].user = ann_login
    plan["ann"].save()
    run(FIRST)
    [alert] = alerts()
    assert alert.extra_headers["Content-Language"] == "id"
    assert "Halo, Dewi Sari" in alert.body
    assert "Tugas yang belum sepenuhnya ditugaskan" in alert.body
    assert "Post stories baru ditugaskan 50%." in alert.body
    mail.outbox.clear()
    change_the_plan(plan)
    run(SECOND)
    [notice] = messages_to("ann@example.com")  # the week's digest went with the first run
    assert notice.extra_headers["Content-Language"] == "id"
    assert "Halo, Ann Example" in notice.body
    assert "4 Des 2028" in notice.body and "6 Des 2028" in notice.body


@pytest.mark.parametrize("changes", [1, 8])
def test_notices_read_in_queries_whatever_the_number_of_changes(changes, django_assert_max_num_queries):
    team = make_team()
    role = make_role()
    run(FIRST)
    for _ in range(changes):
        make_assignment(make_task(team, role), make_member(team))
    last = NoticeMark.objects.get().change_set_id
    newest = ChangeSet.objects.order_by("-pk").first().pk
    with django_assert_max_num_queries(8):
        found = notices_between(after=last, last=newest)
    assert len(found) == changes
    assert all(notice.period == f"changes {last + 1}-{newest}" for notice in found)
