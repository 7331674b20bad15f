"""Security: CSRF on every write, safe GETs, CSP with nonces, headers, sessions, login throttling, escaping."""

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assignments.models import DualRoleAcknowledgement
from roles.models import Responsibility, Role
from teamplanner.sessions import REFRESHED_KEY
from teamplanner.views import healthz
from tests.factories import (
    PLAN_MODELS,
    make_assignment,
    make_holding,
    make_member,
    make_role,
    make_task,
    make_team,
    make_time_off,
    make_user,
)
from tests.test_permissions import MATRIX, PERSONAS, url_for

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
MANAGER = PERSONAS.index("manager")
# An unsubscribe link takes a mail client's one-click POST (RFC 8058), which has no CSRF token: its signed
# token is the authority (tests/test_unsubscribe.py).
CSRF_EXEMPT = {"notifications:unsubscribe"}
WRITES = [
    name
    for name, (_get, post) in MATRIX.items()
    if post is not None
    and post[MANAGER] != 405
    and name not in {"logout", "set_language", "password_change", *CSRF_EXEMPT}
]


def snapshot():
    return {model.__name__: sorted(map(repr, model.objects.values())) for model in PLAN_MODELS}


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("name", WRITES)
def test_every_write_is_refused_without_a_csrf_token(world, name, htmx):
    users, ids = world
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["manager"])
    before = snapshot()
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(url_for(name, ids), {"note": "x"}, **headers)
    assert response.status_code == 403
    assert snapshot() == before


def test_gets_never_change_state(client, world):
    users, ids = world
    before = snapshot()
    for persona in ["manager", "admin", "member"]:
        client.force_login(users[persona])
        for name in MATRIX:
            client.get(url_for(name, ids))
    assert snapshot() == before


@pytest.fixture
def manager_board(client, world):
    """The board, as its manager sees it."""
    users, ids = world
    client.force_login(users["manager"])
    return lambda: client.get(url_for("assignments:team_board", ids))


def script_src(response) -> str:
    return next(
        part for part in response["Content-Security-Policy"].split(";") if part.strip().startswith("script-src")
    )


def test_csp_header_sets_the_strict_directives(manager_board):
    policy = manager_board()["Content-Security-Policy"]
    for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "default-src 'self'"]:
        assert directive in policy


def test_csp_allows_no_inline_or_evaluated_script(manager_board):
    source = script_src(manager_board())
    assert "unsafe-inline" not in source and "unsafe-eval" not in source


def test_every_script_of_the_page_carries_the_csp_nonce(manager_board):
    response = manager_board()
    nonce = re.search(r"'nonce-([^']+)'", script_src(response)).group(1)
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert scripts, "the page loads htmx"
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)


def test_pages_have_no_inline_script(manager_board):
    assert "<script>" not in manager_board().content.decode()


def test_csp_nonce_is_fresh_for_every_response(manager_board):
    nonce = re.search(r"'nonce-([^']+)'", script_src(manager_board())).group(1)
    assert nonce not in manager_board()["Content-Security-Policy"]


@pytest.fixture
def overview_page(client, world):
    users, ids = world
    client.force_login(users["manager"])
    return client.get(url_for("assignments:team_overview", ids)).content.decode()


def test_htmx_indicator_style_is_ours_not_injected(overview_page):
    assert '"includeIndicatorStyles": false' in overview_page
    assert ".htmx-indicator" in (ROOT / "static/css/teamplanner.css").read_text()


def test_pages_have_no_inline_style_attributes(overview_page):
    assert " style=" not in overview_page


def test_security_headers(client):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def log_in(client, username, password, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_session_key_rotates_at_login(client):
    make_user(username="sari", password="a-good-password")
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    assert log_in(client, "sari", "a-good-password").status_code == 302
    assert client.session.session_key != before


def test_a_request_moves_the_session_expiry_to_the_idle_timeout_at_most_once_a_minute(client, settings):
    make_user(username="sari", password="a-good-password")
    log_in(client, "sari", "a-good-password")
    key = client.session.session_key
    idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + idle - datetime.timedelta(seconds=30))
    assert client.get(reverse("roles:catalog")).status_code == 200
    # refreshed less than a minute ago: no write, the expiry stays
    stored = Session.objects.get(session_key=key)
    assert stored.expire_date < timezone.now() + idle - datetime.timedelta(seconds=20)
    # two minutes later the next request moves it to now + the idle timeout
    session = client.session
    session[REFRESHED_KEY] -= 120
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + datetime.timedelta(minutes=5))
    assert client.get(reverse("roles:catalog")).status_code == 200
    stored = Session.objects.get(session_key=key)
    assert abs((stored.expire_date - timezone.now()) - idle) < datetime.timedelta(seconds=10)


def test_idle_session_expires(client):
    make_user(username="sari", password="a-good-password")
    log_in(client, "sari", "a-good-password")
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(reverse("roles:catalog"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.fixture
def locked_out(client, settings):
    """Sari's login, locked for 10.0.0.1 by failed attempts from there."""
    make_user(username="sari", password="a-good-password")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "sari", "wrong").status_code == 200  # the form again, with an error
    assert log_in(client, "sari", "wrong").status_code == 429  # the last allowed failure locks
    return client


def test_login_locks_after_repeated_failures_even_for_the_right_password(locked_out):
    locked = log_in(locked_out, "sari", "a-good-password")
    assert locked.status_code == 429
    assert b"Too many failed logins" in locked.content


def test_login_lock_is_for_that_address_only(locked_out):
    # an attacker cannot lock the user out everywhere
    assert log_in(Client(), "sari", "a-good-password", address="10.0.0.2").status_code == 302


def test_login_lock_clears_after_the_cool_off(locked_out, settings):
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )
    assert log_in(locked_out, "sari", "a-good-password").status_code == 302


PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_user_text_is_escaped_in_pages_and_fragments(client):
    team = make_team(slug="marketing", name=PAYLOAD)
    manager = make_user()
    team.managers.add(manager)
    role = make_role(name=f"Role {PAYLOAD}", summary=PAYLOAD)
    Responsibility.objects.create(role=role, title=PAYLOAD)
    member = make_member(team, full_name=f"Rina {PAYLOAD}", job_title=PAYLOAD, user=make_user())
    make_holding(member, role, start_date=datetime.date(2020, 1, 1))
    make_holding(member, make_role(Role.Focus.STRATEGIC), start_date=datetime.date(2020, 1, 1))
    make_time_off(member, timezone.localdate(), timezone.localdate(), reason=PAYLOAD)
    task = make_task(team, role, title=f"Task {PAYLOAD}", description=PAYLOAD, start_date=datetime.date(2020, 1, 1))
    make_assignment(task, member, share_percent=50)
    DualRoleAcknowledgement.objects.create(member=member, note=PAYLOAD)
    client.force_login(manager)
    responses = [
        client.get(reverse("assignments:team_overview", args=["marketing"])),
        client.get(reverse("assignments:team_board", args=["marketing"])),
        client.get(reverse("assignments:member", args=[member.pk])),
        client.get(reverse("roles:catalog")),
        client.post(reverse("assignments:task_archive", args=["marketing", task.pk]), HTTP_HX_REQUEST="true"),
        client.post(
            reverse("assignments:acknowledge_dual_role", args=["marketing", member.pk]),
            {"note": PAYLOAD},
            HTTP_HX_REQUEST="true",
        ),
    ]
    client.force_login(member.user)
    responses.append(client.get(reverse("assignments:my_duties")))
    for response in responses:
        content = response.content.decode()
        assert response.status_code == 200
        assert "<script>alert" not in content and "<img src=x" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in responses[0].content.decode()


def test_healthz_reports_a_database_that_answers(client):
    response = client.get(reverse("healthz"))
    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok"})


def test_healthz_reports_an_unreachable_database_without_detail(client, monkeypatch):
    from django.db import OperationalError, connection

    def broken(*args, **kwargs):
        raise OperationalError("connection refused: secret details")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable"}
    assert b"secret" not in response.content


def test_healthz_answers_head_with_200(client):
    assert client.head(reverse("healthz")).status_code == 200


def test_healthz_answers_head_without_a_body(rf):
    """The test client drops a HEAD body itself; the view must too, for servers that would send it."""
    response = healthz(rf.head("/healthz"))
    assert (response.status_code, response.content) == (200, b"")
    assert response["Content-Length"] == str(len(b'{"status": "ok", "database": "ok"}'))
    assert response["Content-Type"] == "application/json"


PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-0123456789",
    "DJANGO_ALLOWED_HOSTS": "plan.example.com",
    "DJANGO_EMAIL_HOST": "smtp.example.com",  # without it, check --deploy warns (teamplanner.W001)
}


def run_deploy_check(extra: dict) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")} | extra
    env["DATABASE_URL"] = os.environ.get("DATABASE_URL", "")
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_deploy_check_passes_with_the_documented_production_environment():
    result = run_deploy_check(PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"DJANGO_DEBUG": "1"}, "DJANGO_DEBUG is on"),
        ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY is the development default"),
    ],
)
def test_deploy_check_refuses_debug_or_the_default_secret_key(change, message):
    env = PRODUCTION_ENV | change
    if not change.get("DJANGO_SECRET_KEY", True):
        env.pop("DJANGO_SECRET_KEY")
    result = run_deploy_check(env)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr


def test_behind_a_trusted_proxy_an_attacker_cannot_lock_the_user_out_for_everyone(client, settings):
    settings.TEAMPLANNER_TRUSTED_PROXIES = ["127.0.0.1"]
    make_user(username="sari", password="a-good-password")

    def via_proxy(client, password, forwarded_for):
        return client.post(
            reverse("login"),
            {"username": "sari", "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        via_proxy(client, "wrong", "6.6.6.6")
    assert via_proxy(Client(), "a-good-password", "6.6.6.6").status_code == 429  # the attacker's address is locked
    assert via_proxy(Client(), "a-good-password", "1.2.3.4").status_code == 302  # the real user is not


def test_forwarded_for_is_ignored_from_an_untrusted_connection(client, settings):
    settings.TEAMPLANNER_TRUSTED_PROXIES = []
    make_user(username="sari", password="a-good-password")
    for number in range(settings.AXES_FAILURE_LIMIT):
        # a direct client cannot dodge the lock by sending a new X-Forwarded-For each time
        client.post(
            reverse("login"),
            {"username": "sari", "password": "wrong"},
            REMOTE_ADDR="10.0.0.9",
            HTTP_X_FORWARDED_FOR=f"9.9.9.{number}",
        )
    response = client.post(
        reverse("login"), {"username": "sari", "password": "a-good-password"}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 429


def test_error_pages_are_ours(client, settings):
    from django.template.loader import render_to_string

    for name in ["400.html", "403.html", "403_csrf.html", "404.html", "500.html"]:
        assert "Teamplanner" in render_to_string(name)  # not Django's bare English page
    assert "Something went wrong" in render_to_string("500.html")  # renders without a request or a database
