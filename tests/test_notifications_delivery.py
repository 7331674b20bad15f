"""The digest through a real SMTP server, and two runs at once on PostgreSQL sending each message once."""

import email
import email.policy
import os
import socket
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import connection

from notifications.models import AlertedFlags, NoticeMark, SentMessage
from roles.models import UserPreferences
from tests.factories import make_assignment, make_member, make_role, make_task, make_team, make_user

ROOT = Path(__file__).resolve().parent.parent


class Inbox:
    """An aiosmtpd handler keeping what it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    settings.DEFAULT_FROM_EMAIL = "planner@example.com"
    yield inbox
    controller.stop()


@pytest.mark.django_db
def test_digest_end_to_end_through_a_real_smtp_server(smtp_server):
    team = make_team()
    user = make_user(username="budi")
    UserPreferences.objects.create(user=user, language="id")
    budi = make_member(team, full_name="Budi Santoso", email="budi@example.com", user=user)
    task = make_task(team, make_role(name="Reporter"), title="Laporan mingguan", cadence="weekly")
    task.effort_hours = Decimal("5.50")
    task.save()
    make_assignment(task, budi)

    call_command("send_notifications", "--now", "2026-12-07T00:05")  # the week of 7 December: "7 Des 2026"

    (envelope,) = smtp_server.envelopes
    assert envelope.rcpt_tos == ["budi@example.com"] and envelope.mail_from == "planner@example.com"
    received = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert received.get_content_type() == "multipart/alternative"
    assert received["To"] == "budi@example.com" and received["Content-Language"] == "id"
    assert "7 Des 2026" in received["Subject"]  # the date in the recipient's language
    text = received.get_body(preferencelist=("plain",)).get_content()
    html = received.get_body(preferencelist=("html",)).get_content()
    assert "Laporan mingguan (Reporter): 5,50 jam" in text
    assert "Senin 7 Des" in text
    assert '<html lang="id">' in html and "5,50 jam" in html
    assert SentMessage.objects.get().status == "sent"


def run_command_process(database_url: str, now: str = "2026-11-30T00:05") -> subprocess.Popen:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE"))}
    # DEBUG on and no mail host: the console backend, one "Subject:" line per message on stdout.
    environment |= {"DATABASE_URL": database_url, "DJANGO_DEBUG": "1"}
    return subprocess.Popen(
        [sys.executable, "manage.py", "send_notifications", "--now", now],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_send_each_digest_once(on_postgres):
    team = make_team()
    role = make_role()
    members = [make_member(team) for _ in range(40)]
    for member in members:
        make_assignment(make_task(team, role), member)
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"

    first, second = run_command_process(url), run_command_process(url)
    outputs = [process.communicate(timeout=120) for process in (first, second)]

    assert [process.returncode for process in (first, second)] == [0, 0], outputs
    subjects = sum(stdout.count("Subject: Your duties for the week of") for stdout, _err in outputs)
    assert subjects == 40
    sent = [int(stdout.split("digest: ")[1].split(" sent")[0]) for stdout, _err in outputs]
    assert sum(sent) == 40
    assert SentMessage.objects.filter(status="sent", attempts=1).count() == 40


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_send_each_alert_and_notice_once(on_postgres):
    team = make_team(name="Social")
    for number in range(3):
        team.managers.add(make_user(email=f"manager{number}@example.com"))
    role = make_role()
    for _ in range(20):
        make_assignment(make_task(team, role), make_member(team), share_percent=50)  # 20 tasks half assigned
    NoticeMark.objects.create(name="notices", change_set_id=0)  # every assignment above is news
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"

    # A Monday after the real clock: the notices read the change sets recorded up to --now.
    first, second = run_command_process(url, "2029-01-01T00:05"), run_command_process(url, "2029-01-01T00:05")
    outputs = [process.communicate(timeout=120) for process in (first, second)]

    assert [process.returncode for process in (first, second)] == [0, 0], outputs
    assert sum(stdout.count("Subject: New flags for Social") for stdout, _err in outputs) == 3
    assert sum(stdout.count("Subject: Changes to your duties") for stdout, _err in outputs) == 20
    assert SentMessage.objects.filter(kind="alert", status="sent", attempts=1).count() == 3
    assert SentMessage.objects.filter(kind="notice", status="sent", attempts=1).count() == 20
    assert AlertedFlags.objects.filter(alerts_sent=1).count() == 3
