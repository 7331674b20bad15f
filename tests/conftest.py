import datetime

import pytest
from django.db import connection

from assignments.models import Cover, DualRoleAcknowledgement
from feeds.services import feed_address_replace
from tests.factories import (
    MONDAY,
    make_assignment,
    make_holding,
    make_member,
    make_role,
    make_task,
    make_team,
    make_time_off,
    make_user,
)

PERSONAS = ["anonymous", "member", "other_member", "manager", "other_manager", "admin"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many logins; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); SQLite has no row locks")


@pytest.fixture
def world():
    """Team A (with a member who logs in, a task, an assignment) and team B, with a manager each."""
    team, other = make_team(slug="team-a"), make_team(slug="team-b")
    users = {persona: make_user(username=persona) for persona in PERSONAS if persona != "anonymous"}
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    team.managers.add(users["manager"])
    other.managers.add(users["other_manager"])
    member = make_member(team, user=users["member"], full_name="Member A")
    make_member(other, user=users["other_member"], full_name="Member B")
    role = make_role()
    holding = make_holding(member, role)
    task = make_task(team, role, cadence="weekly", start_date=MONDAY)
    assignment = make_assignment(task, member, share_percent=50)
    DualRoleAcknowledgement.objects.create(member=member)
    time_off = make_time_off(member, datetime.date(2026, 12, 21), datetime.date(2026, 12, 23))
    colleague = make_member(team, full_name="Colleague A")
    cover = Cover.objects.create(
        assignment=assignment, member=colleague, start_date=time_off.start_date, end_date=time_off.end_date
    )
    ids = {
        "cover_id": cover.pk,
        "time_off_id": time_off.pk,
        "slug": team.slug,
        "member_id": member.pk,
        "task_id": task.pk,
        "assignment_id": assignment.pk,
        "holding_id": holding.pk,
        # the history of the assignment's creation: a change set of the team, an entry that can be reverted
        "change_set_id": assignment.history.get().change_set_id,
        "kind": "assignment",
        "history_id": assignment.history.get().history_id,
        # the member's calendar feed address (the feed answers without a login)
        "token": feed_address_replace(member=member, user=users["member"], language="en")[0].token,
    }
    return users, ids
