"""Reliability on PostgreSQL: racing managers, and the database going away and coming back."""

import threading

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse

from assignments.models import Assignment
from tests.factories import make_assignment, make_member, make_role, make_task, make_team, make_user


@pytest.mark.django_db(transaction=True)
def test_two_managers_assigning_the_last_share_at_once_exactly_one_wins(on_postgres):
    team = make_team(slug="marketing")
    managers = [make_user(), make_user()]
    team.managers.add(*managers)
    task = make_task(team, make_role())
    make_assignment(task, make_member(team), share_percent=50)
    candidates = [make_member(team), make_member(team)]
    barrier = threading.Barrier(2)
    responses = []

    def assign(manager, member):
        client = Client()
        client.force_login(manager)
        barrier.wait()
        try:
            responses.append(
                client.post(
                    reverse("assignments:assign", args=["marketing", task.pk]),
                    {f"assign-{task.pk}-member": member.pk, f"assign-{task.pk}-share_percent": 50},
                    HTTP_HX_REQUEST="true",
                )
            )
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=assign, args=pair) for pair in zip(managers, candidates, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert [response.status_code for response in responses] == [200, 200]  # never a 500
    bodies = [response.content.decode() for response in responses]
    refused = [body for body in bodies if "This task is already fully assigned." in body]
    assert len(refused) == 1  # the loser is told why, beside the share field
    assert Assignment.objects.filter(task=task).count() == 2
    assert sum(Assignment.objects.filter(task=task).values_list("share_percent", flat=True)) == 100


@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_while_the_database_is_away_and_recovers_by_itself(client, on_postgres):
    """A database that stops answering (here: its port) turns /healthz to 503; back, it is 200 with no restart."""
    url = reverse("healthz")
    assert client.get(url).status_code == 200
    real_port = connection.settings_dict["PORT"]
    try:
        connection.close()
        connection.settings_dict["PORT"] = "1"  # nothing listens there: like a database being restarted
        response = client.get(url)
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "database": "unavailable"}
    finally:
        connection.settings_dict["PORT"] = real_port
        connection.close()
    assert client.get(url).status_code == 200
