"""RACI (docs/rules.md, "RACI"): the database's rules, the services, and the ``accountable_missing`` flag.

Window: the two weeks from Monday 2026-11-30 (to Sunday 2026-12-13) unless a test says otherwise.
"""

import datetime
import io
import json

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from assignments.document import workload_document
from assignments.models import Task, TaskInvolvement
from assignments.raci import raci_set, raci_switch
from assignments.report import team_report
from roles.models import Role, Team
from tests.factories import MONDAY, make_member, make_role, make_task, make_team, make_user
from tests.test_admin import task_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return make_team(slug="marketing", raci_enabled=True)


@pytest.fixture
def campaign(team):
    return make_task(team, make_role(Role.Focus.STRATEGIC), title="Harbolnas campaign", cadence="weekly")


def missing(team, weeks=2, start=MONDAY):
    document = workload_document(team_report(team=Team.objects.get(pk=team.pk), start=start, weeks=weeks))
    return [flag for flag in document["flags"] if flag["kind"] == "accountable_missing"]


def letters(task: Task) -> dict[int, str]:
    """Each member's letter on the task, as stored."""
    task.refresh_from_db()
    found = {row.member_id: row.kind[0].upper() for row in TaskInvolvement.objects.filter(task=task)}
    if task.accountable_id:
        found[task.accountable_id] = "A"
    return found


# ------------------------------------------------------------------ the database's rules


def test_a_member_is_never_both_consulted_and_informed_on_one_task(team, campaign):
    rina = make_member(team)
    TaskInvolvement.objects.create(task=campaign, member=rina, kind="consulted")
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskInvolvement.objects.create(task=campaign, member=rina, kind="informed")


def test_an_involvement_is_consulted_or_informed_nothing_else(team, campaign):
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskInvolvement.objects.create(task=campaign, member=make_member(team), kind="asked")


def test_deleting_the_accountable_member_leaves_the_task_with_nobody(team, campaign):
    rina = make_member(team)
    raci_set(task=campaign, member=rina, letter="A")
    rina.delete()
    campaign.refresh_from_db()
    assert campaign.accountable_id is None


# ------------------------------------------------------------------ services


def test_raci_set_gives_each_letter_and_takes_it_away(team, campaign):
    rina, sari = make_member(team), make_member(team)
    raci_set(task=campaign, member=rina, letter="A")
    raci_set(task=campaign, member=sari, letter="C")
    assert letters(campaign) == {rina.pk: "A", sari.pk: "C"}
    raci_set(task=campaign, member=sari, letter="I")
    assert letters(campaign) == {rina.pk: "A", sari.pk: "I"}
    raci_set(task=campaign, member=rina, letter="C")  # one letter each: no longer accountable
    assert letters(campaign) == {rina.pk: "C", sari.pk: "I"}
    raci_set(task=campaign, member=rina, letter="")
    raci_set(task=campaign, member=sari, letter="")
    assert letters(campaign) == {}


def test_giving_a_moves_it_from_the_previous_accountable(team, campaign):
    rina, sari = make_member(team), make_member(team)
    raci_set(task=campaign, member=sari, letter="I")
    raci_set(task=campaign, member=rina, letter="A")
    raci_set(task=campaign, member=sari, letter="A")
    assert letters(campaign) == {sari.pk: "A"}  # Rina lost A; Sari's I became her A


@pytest.mark.parametrize("letter", ["A", "C", "I"])
def test_only_an_active_member_of_the_tasks_team_gets_a_letter(team, campaign, letter):
    outsider = make_member(make_team())
    away = make_member(team, is_active=False)
    with pytest.raises(ValidationError) as refused:
        raci_set(task=campaign, member=outsider, letter=letter)
    assert refused.value.message_dict == {"member": [f"{outsider} is not in this task's team."]}
    with pytest.raises(ValidationError) as refused:
        raci_set(task=campaign, member=away, letter=letter)
    assert refused.value.message_dict == {"member": [f"{away} is not an active team member."]}
    assert letters(campaign) == {}


def test_an_inactive_member_can_still_lose_their_letter(team, campaign):
    rina = make_member(team)
    raci_set(task=campaign, member=rina, letter="A")
    rina.is_active = False
    rina.save()
    raci_set(task=campaign, member=rina, letter="")
    assert letters(campaign) == {}


def test_an_archived_task_gets_no_new_letter_and_a_bad_letter_is_refused(team, campaign):
    rina = make_member(team)
    with pytest.raises(ValidationError) as refused:
        raci_set(task=campaign, member=rina, letter="R")
    assert refused.value.message_dict == {"letter": ["Choose A, C, I or none."]}
    Task.objects.filter(pk=campaign.pk).update(is_active=False)
    with pytest.raises(ValidationError) as refused:
        raci_set(task=campaign, member=rina, letter="A")
    assert refused.value.message_dict == {"letter": ["This task is archived."]}
    assert letters(campaign) == {}


def test_a_member_with_raci_letters_cannot_be_moved_to_another_team(team, campaign):
    rina = make_member(team)
    raci_set(task=campaign, member=rina, letter="I")
    rina.team = make_team()
    with pytest.raises(ValidationError) as refused:
        rina.full_clean()
    assert refused.value.message_dict["team"] == [
        "Take this person out of their tasks' RACI before moving them to another team."
    ]


# ------------------------------------------------------------------ the switch and the plan revision


def revision(team) -> int:
    return Team.objects.values_list("plan_revision", flat=True).get(pk=team.pk)


@pytest.mark.django_db(transaction=True)
def test_switching_raci_renews_the_plan_revision_and_saving_a_team_never_writes_back_an_old_one():
    team = make_team(raci_enabled=False)
    before = revision(team)
    raci_switch(team=team, enabled=True)
    switched = revision(team)
    assert switched != before
    raci_switch(team=team, enabled=True)  # no change: the same revision
    assert revision(team) == switched
    stale = Team.objects.get(pk=team.pk)  # read now, saved after a write to the plan
    make_task(team)
    renewed = revision(team)
    assert renewed != switched
    stale.name = "Renamed"
    stale.save()
    assert revision(team) == renewed, "a team saved from an old read wrote back an old revision"


# ------------------------------------------------------------------ the flag


def test_a_task_without_accountable_is_flagged_only_with_raci_on(team, campaign):
    assert missing(team) == [{"kind": "accountable_missing", "task": "Harbolnas campaign"}]
    raci_switch(team=team, enabled=False)
    assert missing(team) == []


def test_an_active_accountable_clears_the_flag_and_an_inactive_one_raises_it_again(team, campaign):
    rina = make_member(team)
    raci_set(task=campaign, member=rina, letter="A")
    assert missing(team) == []
    rina.is_active = False
    rina.save()
    assert missing(team) == [{"kind": "accountable_missing", "task": "Harbolnas campaign"}]


def test_an_accountable_from_another_team_does_not_count(team, campaign):
    # No writer allows it (services, admin, plan file); a raw update must not hide the flag either.
    Task.objects.filter(pk=campaign.pk).update(accountable=make_member(make_team()))
    assert missing(team) == [{"kind": "accountable_missing", "task": "Harbolnas campaign"}]


def test_consulted_and_informed_do_not_answer_for_a_task(team, campaign):
    raci_set(task=campaign, member=make_member(team), letter="C")
    raci_set(task=campaign, member=make_member(team), letter="I")
    assert missing(team) == [{"kind": "accountable_missing", "task": "Harbolnas campaign"}]


def test_tasks_outside_the_window_or_archived_are_not_flagged(team):
    role = make_role()
    make_task(
        team,
        role,
        title="Ended",
        cadence="once",
        start_date=datetime.date(2026, 11, 2),
        end_date=MONDAY.replace(day=29),
    )
    make_task(team, role, title="Later", start_date=datetime.date(2026, 12, 14))
    make_task(team, role, title="Archived", is_active=False)
    make_task(
        team,
        role,
        title="Last day",
        cadence="once",
        start_date=datetime.date(2026, 12, 1),
        end_date=datetime.date(2026, 12, 13),
    )
    assert missing(team) == [{"kind": "accountable_missing", "task": "Last day"}]
    assert [flag["task"] for flag in missing(team, weeks=3)] == ["Last day", "Later"]


def test_the_flags_come_first_in_the_document_in_title_order(team, campaign):
    make_task(team, make_role(), title="Answer comments")
    kinds = [flag["kind"] for flag in workload_document(team_report(team=team, start=MONDAY, weeks=2))["flags"]]
    assert kinds[:2] == ["accountable_missing", "accountable_missing"]  # sorted by kind, alphabetically
    assert [flag["task"] for flag in missing(team)] == ["Answer comments", "Harbolnas campaign"]


def test_the_workload_command_says_it_in_text_and_json(team, campaign):
    out = io.StringIO()
    call_command(
        "workload", "--team", "marketing", "--start", "2026-11-30", "--weeks", "2", "--format", "json", stdout=out
    )
    assert {"kind": "accountable_missing", "task": "Harbolnas campaign"} in json.loads(out.getvalue())["flags"]
    out = io.StringIO()
    call_command("workload", "--team", "marketing", "--start", "2026-11-30", "--weeks", "2", stdout=out)
    assert "No active team member is accountable for Harbolnas campaign." in out.getvalue()


# ------------------------------------------------------------------ where managers see the flag


def test_the_overview_says_it_with_a_link_to_the_task_on_the_raci_page(client, team, campaign):
    manager = make_user()
    team.managers.add(manager)
    client.force_login(manager)
    page = client.get(reverse("assignments:team_overview", args=[team.slug]), {"start": "2026-11-30"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tasks nobody answers for" in html
    assert "No active team member is accountable for Harbolnas campaign." in html
    raci = reverse("assignments:team_raci", args=[team.slug])
    link = f"{raci}?start=2026-11-30&amp;task={campaign.pk}#task-{campaign.pk}"
    assert f'<a href="{link}">Name who is accountable</a>' in html


def test_a_managers_flag_alert_tells_the_new_task_nobody_answers_for(team, campaign, settings):
    settings.TEAMPLANNER_SITE_URL = "https://plan.example.com"
    team.managers.add(make_user(email="dewi@example.com"))
    call_command("send_notifications", "--now", "2026-11-30T00:05", stdout=io.StringIO())
    [alert] = [message for message in mail.outbox if "dewi@example.com" in message.to]
    assert "Tasks nobody answers for" in alert.body
    assert "No active team member is accountable for Harbolnas campaign." in alert.body
    link = f"https://plan.example.com/teams/marketing/raci/?start=2026-11-30&task={campaign.pk}#task-{campaign.pk}"
    assert link in alert.body


# ------------------------------------------------------------------ the admin holds the services' rules


def test_the_admin_refuses_an_accountable_or_a_consulted_from_another_team_and_two_letters_for_one_person(
    admin_client, team, campaign
):
    rina, outsider = make_member(team, full_name="Rina"), make_member(make_team(), full_name="Oscar")
    url = reverse("admin:assignments_task_change", args=[campaign.pk])
    response = admin_client.post(url, task_form_data(campaign, accountable=outsider))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"accountable": ["Oscar is not in this task's team."]}
    response = admin_client.post(url, task_form_data(campaign, accountable=rina, involvements=[(rina, "consulted")]))
    assert response.status_code == 200
    [involvements] = [
        i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == "involvements"
    ]
    assert involvements.errors == [
        {"member": ["Rina is accountable for this task: a person has one letter of A, C and I."]}
    ]
    response = admin_client.post(url, task_form_data(campaign, involvements=[(outsider, "informed")]))
    [involvements] = [
        i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == "involvements"
    ]
    assert involvements.errors == [{"member": ["Oscar is not in this task's team."]}]
    assert letters(campaign) == {}
    assert admin_client.post(url, task_form_data(campaign, accountable=rina)).status_code == 302
    assert letters(campaign) == {rina.pk: "A"}


def test_the_admin_moves_no_task_with_people_and_gives_no_letter_on_an_archived_task(admin_client, team, campaign):
    rina = make_member(team, full_name="Rina")
    raci_set(task=campaign, member=rina, letter="I")
    url = reverse("admin:assignments_task_change", args=[campaign.pk])
    moved = task_form_data(campaign, involvements=[]) | {"team": make_team().pk, "involvements-INITIAL_FORMS": "1"}
    moved |= {
        "involvements-TOTAL_FORMS": "1",
        "involvements-0-id": TaskInvolvement.objects.get().pk,
        "involvements-0-task": campaign.pk,
        "involvements-0-member": rina.pk,
        "involvements-0-kind": "informed",
    }
    response = admin_client.post(url, moved)
    assert response.context["adminform"].form.errors == {
        "team": ["Remove this task's assignees, consulted and informed before moving it to another team."]
    }
    Task.objects.filter(pk=campaign.pk).update(is_active=False)
    campaign.refresh_from_db()
    sari = make_member(team, full_name="Sari")
    response = admin_client.post(url, task_form_data(campaign, involvements=[(sari, "consulted")]) | {"is_active": ""})
    [involvements] = [
        i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == "involvements"
    ]
    assert involvements.errors == [{"member": ["This task is archived."]}]
    assert letters(campaign) == {rina.pk: "I"}


def test_a_task_with_people_cannot_be_moved_to_another_team_by_any_writer(team, campaign):
    raci_set(task=campaign, member=make_member(team), letter="C")
    campaign.team = make_team()
    with pytest.raises(ValidationError) as refused:
        campaign.full_clean()
    assert refused.value.message_dict["team"] == [
        "Remove this task's assignees, consulted and informed before moving it to another team."
    ]
