"""The RACI export (``export/raci.csv``; docs/rules.md, "Exports"): a row per active task in the window and
person with a letter, hours on the R rows, every value worked out by hand below."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from assignments.exports import FORMULA_STARTS
from assignments.models import Task, TaskInvolvement
from assignments.raci import raci_set
from tests.factories import make_assignment, make_member, make_task, make_team, make_time_off, make_user
from tests.views.test_query_counts import grow_team

pytestmark = pytest.mark.django_db

URL = reverse("assignments:export_raci_csv", args=["marketing"])
WINDOW = {"start": "2026-12-02", "weeks": "2"}  # the weeks of 30 November and 7 December: ten working days
HEADER = ["task", "focus", "role", "member", "email", "letter", "hours"]
SPECIALIST, STRATEGIST = "Social Media Specialist", "Social Media Strategist"


def day(month: int, number: int) -> datetime.date:
    return datetime.date(2026, month, number)


@pytest.fixture
def raci_team(team, specialist, strategist):
    ann = make_member(team, full_name="Ann", email="ann@x.com")
    bob = make_member(team, full_name="Bob", email="bob@x.com")
    cici = make_member(team, full_name="Cici", email="cici@x.com")
    dedi = make_member(team, full_name="Dedi", email="dedi@x.com")
    eka = make_member(team, full_name="Eka", email="eka@x.com")
    # Daily, 2 h: Ann's half is 1 h a working day, ten days less her day off on 2 December: 9 h. Bob's half
    # from 7 December: five days, 5 h. Ann is also Accountable (two rows), Cici consulted, Eka informed.
    formula = make_task(team, specialist, title="=SUM(1)", cadence="daily", effort_hours=2, start_date=day(11, 30))
    make_assignment(formula, ann, share_percent=50)
    make_assignment(formula, bob, share_percent=50, start_date=day(12, 7))
    make_time_off(ann, day(12, 2), day(12, 2))
    for member, letter in [(ann, "A"), (cici, "C"), (eka, "I"), (dedi, "I")]:
        raci_set(task=formula, member=member, letter=letter)
    # Once, 1 h from Thursday 10 to Monday 14 December: a third of it on each of three working days, two of
    # them in the window: 0.67 h for Bob. Its Accountable, Dedi, leaves the team: no A row.
    plan = make_task(
        team, strategist, title="Plan Q1", cadence="once", effort_hours=1, start_date=day(12, 10), end_date=day(12, 14)
    )
    make_assignment(plan, bob)
    raci_set(task=plan, member=dedi, letter="A")
    raci_set(task=plan, member=ann, letter="C")
    # Weekly since November: Cici's share ended before the window (not Responsible in it); Eka answers for it.
    old = make_task(team, specialist, title="Old share", cadence="weekly", start_date=day(11, 2))
    make_assignment(old, cici, end_date=day(11, 29))
    raci_set(task=old, member=eka, letter="A")
    # Not listed: an archived task, one that starts after the window, one with nobody named.
    archived = make_task(team, specialist, title="Archived", start_date=day(11, 30))
    raci_set(task=archived, member=ann, letter="A")
    Task.objects.filter(pk=archived.pk).update(is_active=False)
    later = make_task(team, specialist, title="Later", start_date=day(12, 21))
    raci_set(task=later, member=ann, letter="A")
    make_task(team, specialist, title="Nobody named", start_date=day(11, 30))
    dedi.is_active = False
    dedi.save(update_fields=["is_active"])
    return team


def csv_rows(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def test_raci_csv_has_every_letter_and_hour_worked_out_by_hand(manager_client, raci_team):
    response = manager_client.get(URL, WINDOW)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_rows(response) == [
        HEADER,
        ["'=SUM(1)", "operational", SPECIALIST, "Ann", "ann@x.com", "R", "9.00"],
        ["'=SUM(1)", "operational", SPECIALIST, "Bob", "bob@x.com", "R", "5.00"],
        ["'=SUM(1)", "operational", SPECIALIST, "Ann", "ann@x.com", "A", ""],
        ["'=SUM(1)", "operational", SPECIALIST, "Cici", "cici@x.com", "C", ""],
        ["'=SUM(1)", "operational", SPECIALIST, "Eka", "eka@x.com", "I", ""],
        ["Old share", "operational", SPECIALIST, "Eka", "eka@x.com", "A", ""],
        ["Plan Q1", "strategic", STRATEGIST, "Bob", "bob@x.com", "R", "0.67"],
        ["Plan Q1", "strategic", STRATEGIST, "Ann", "ann@x.com", "C", ""],
    ]


def test_raci_csv_quotes_every_cell_that_would_start_a_formula(manager_client, raci_team, specialist):
    bad = make_member(raci_team, full_name="+Budi", email="-budi@x.com")
    task = make_task(raci_team, specialist, title="@cmd", start_date=day(11, 30))
    raci_set(task=task, member=bad, letter="C")
    rows = csv_rows(manager_client.get(URL, WINDOW))[1:]
    assert ["'@cmd", "operational", SPECIALIST, "'+Budi", "'-budi@x.com", "C", ""] in rows
    assert not [cell for row in rows for cell in row if cell.lstrip(" ").startswith(FORMULA_STARTS)]


def test_raci_csv_is_an_attachment_named_after_team_and_window(manager_client, raci_team):
    response = manager_client.get(URL, WINDOW)
    assert response["Content-Disposition"] == 'attachment; filename="marketing-raci-2026-11-30-2w.csv"'
    assert "private" in response["Cache-Control"]


def test_raci_csv_is_the_same_in_any_language(manager_client, raci_team):
    english = manager_client.get(URL, WINDOW).content
    assert manager_client.get(URL, WINDOW, HTTP_ACCEPT_LANGUAGE="id").content == english


def test_raci_csv_window_defaults_to_this_week_and_four_weeks(manager_client, raci_team):
    response = manager_client.get(URL)
    assert response["Content-Disposition"] == 'attachment; filename="marketing-raci-2026-11-30-4w.csv"'
    # four weeks reach "Later" (from 21 December), and twenty working days of the daily task
    rows = csv_rows(response)[1:]
    assert ["Later", "operational", SPECIALIST, "Ann", "ann@x.com", "A", ""] in rows
    assert ["'=SUM(1)", "operational", SPECIALIST, "Ann", "ann@x.com", "R", "19.00"] in rows


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ({"start": "30/11/2026"}, "start: Must be a date as YYYY-MM-DD.\n"),
        ({"weeks": "27"}, "weeks: Must be a whole number from 1 to 26.\n"),
    ],
)
def test_raci_csv_bad_window_gives_400_naming_the_parameter(manager_client, team, query, body):
    response = manager_client.get(URL, query)
    assert response.status_code == 400
    assert "Content-Disposition" not in response
    assert response.content.decode() == body


def test_raci_csv_is_for_the_team_s_managers_only(client, team, raci_team):
    member_login, other_manager = make_user(), make_user()
    make_member(team, user=member_login)
    make_team(slug="other").managers.add(other_manager)
    for user in (member_login, other_manager):
        client.force_login(user)
        assert client.get(URL, WINDOW).status_code == 404
        assert client.get(URL, {"start": "bad"}).status_code == 404  # the team first, then the window
    client.logout()
    response = client.get(URL, WINDOW)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_overview_offers_the_raci_export_of_the_weeks_it_shows(manager_client, team):
    response = manager_client.get(reverse("assignments:team_overview", args=["marketing"]), {"start": "2026-12-09"})
    href = f"{URL}?start=2026-12-07&amp;weeks=6"
    link = f'<a class="button button--quiet button--small" href="{href}" download>RACI (CSV)</a>'
    assertContains(response, link, html=True)


# session, login, the team (with the managers check); the engine's six for the hours; the tasks, their
# consulted and informed, and the team's people: whatever the team's size or number of letters
RACI_EXPORT_QUERIES = 12


def test_raci_export_query_count_is_pinned_whatever_the_team_size(
    manager_client, team, specialist, strategist, this_monday
):
    url = f"{URL}?start={this_monday.isoformat()}&weeks=6"
    counts = []
    for size in (2, 12):
        grow_team(team, specialist, strategist, size, this_monday)
        people = list(team.members.filter(is_active=True))
        for index, task in enumerate(Task.objects.filter(team=team, accountable__isnull=True)):
            Task.objects.filter(pk=task.pk).update(accountable=people[index % len(people)])
            kind = "consulted" if index % 2 else "informed"
            TaskInvolvement.objects.create(task=task, member=people[(index + 1) % len(people)], kind=kind)
        with CaptureQueriesContext(connection) as queries:
            response = manager_client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
        assert len(csv_rows(response)) > 3 * size
    assert counts == [RACI_EXPORT_QUERIES] * 2
