"""What a member answers for (docs/rules.md, "RACI"): the tasks they are Accountable for, Consulted on and
Informed of, on My duties and on the member page (today frozen on Wednesday 2 December 2026)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from pytest_django.asserts import assertContains, assertNotContains

from assignments.models import Task, TaskInvolvement
from assignments.raci import raci_set, raci_switch
from tests.factories import make_assignment, make_member, make_task, make_user
from tests.views.test_query_counts import grow_team

pytestmark = pytest.mark.django_db

MY_DUTIES = reverse("assignments:my_duties")
SECTION = "Accountable, consulted, informed"


def titles(named_tasks) -> list[str]:
    return [named.task.title for named in named_tasks]


@pytest.fixture
def rina(team):
    return make_member(team, user=make_user(), full_name="Rina")


@pytest.fixture
def named(team, rina, specialist, strategist, this_monday):
    """Rina's letters, and letters and tasks that are not hers to see listed."""
    budi = make_member(team, full_name="Budi")
    day = datetime.timedelta(days=1)

    def task(title, role=specialist, **values):
        return make_task(team, role, title=title, **{"start_date": this_monday, **values})

    plan = task("Plan the quarter", strategist, cadence="weekly", effort_hours=3)
    brief = task("Brief the agency", cadence="once", end_date=this_monday + 4 * day)
    launch = task(
        "Launch video", strategist, cadence="once", start_date=this_monday + 14 * day, end_date=this_monday + 14 * day
    )
    report = task("Monthly report", strategist, cadence="monthly")
    replies = task("Reply to DMs", effort_hours=2)
    for which, letter in [(plan, "A"), (launch, "A"), (brief, "C"), (report, "I")]:
        raci_set(task=which, member=rina, letter=letter)
    make_assignment(replies, rina)  # Responsible: in her task table, not in these lists
    raci_set(task=replies, member=budi, letter="A")  # someone else's letters
    raci_set(task=plan, member=budi, letter="C")
    archived = task("Old campaign")
    raci_set(task=archived, member=rina, letter="A")
    Task.objects.filter(pk=archived.pk).update(is_active=False)
    ended = task("Last month's post", start_date=this_monday - 30 * day, end_date=this_monday - day)
    raci_set(task=ended, member=rina, letter="C")
    return budi


def test_my_duties_lists_what_the_member_answers_for(client, rina, named):
    client.force_login(rina.user)
    response = client.get(MY_DUTIES)
    raci = response.context["duties"].page.raci
    # current tasks by title, then upcoming ones by the day they start
    assert titles(raci.accountable) == ["Plan the quarter", "Launch video"]
    assert titles(raci.consulted) == ["Brief the agency"]
    assert titles(raci.informed) == ["Monthly report"]
    for text in (SECTION, "Accountable for", "Consulted on", "Informed of"):
        assertContains(response, text)
    # each with its focus dot, role, cadence and dates as the task table writes them
    assertContains(
        response,
        '<li class="role-item"><strong><span class="focus-dot focus-dot--strategic" aria-hidden="true"></span>'
        "Plan the quarter</strong><br>"
        '<span class="muted small">Social Media Strategist · Weekly, 3.00 h · from 30 Nov 2026</span></li>',
        html=True,
    )
    assertContains(response, "Social Media Specialist · Once, 1.00 h · 30 Nov 2026 – 4 Dec 2026")
    assertContains(response, 'Launch video</strong> <span class="tag">upcoming</span>')
    for hidden in ("Old campaign", "Last month&#x27;s post"):
        assertNotContains(response, hidden)


def test_my_duties_does_not_list_other_peoples_letters(client, rina, named, team):
    budi = named  # he has no login yet: give him one
    budi.user = make_user()
    budi.save(update_fields=["user"])
    client.force_login(budi.user)
    raci = client.get(MY_DUTIES).context["duties"].page.raci
    assert (titles(raci.accountable), titles(raci.consulted), titles(raci.informed)) == (
        ["Reply to DMs"],
        ["Plan the quarter"],
        [],
    )


def test_the_member_page_lists_what_the_person_answers_for(manager_client, rina, named):
    response = manager_client.get(reverse("assignments:member", args=[rina.pk]))
    raci = response.context["page"].raci
    assert titles(raci.accountable) == ["Plan the quarter", "Launch video"]
    assert titles(raci.consulted) == ["Brief the agency"]
    assert titles(raci.informed) == ["Monthly report"]
    assertContains(response, SECTION)
    assertContains(response, "Brief the agency</strong>")
    # Budi's page lists his, not Rina's
    other = manager_client.get(reverse("assignments:member", args=[named.pk])).context["page"].raci
    assert (titles(other.accountable), titles(other.consulted), titles(other.informed)) == (
        ["Reply to DMs"],
        ["Plan the quarter"],
        [],
    )


def test_a_list_without_a_task_is_left_out(client, team, rina, specialist):
    task = make_task(team, specialist, title="Reply")
    raci_set(task=task, member=rina, letter="I")
    client.force_login(rina.user)
    response = client.get(MY_DUTIES)
    assertContains(response, "Informed of")
    assertNotContains(response, "Accountable for")
    assertNotContains(response, "Consulted on")


def test_nobody_named_on_a_team_without_raci_shows_no_section(client, manager_client, rina):
    client.force_login(rina.user)
    assertNotContains(client.get(MY_DUTIES), SECTION)
    assertNotContains(manager_client.get(reverse("assignments:member", args=[rina.pk])), SECTION)


def test_nobody_named_on_a_team_with_raci_says_so(client, manager_client, team, rina):
    raci_switch(team=team, enabled=True)
    client.force_login(rina.user)
    response = client.get(MY_DUTIES)
    assertContains(response, SECTION)
    assertContains(response, "You are not named on any task's RACI.")
    page = manager_client.get(reverse("assignments:member", args=[rina.pk]))
    assertContains(page, "Rina is not named on any task's RACI.")


def raci_page_url(team) -> str | None:
    """The team's RACI page, where the app has one."""
    try:
        return reverse("assignments:team_raci", args=[team.slug])
    except NoReverseMatch:
        return None


def test_only_a_manager_is_offered_the_team_s_raci_page(client, manager_client, team, rina, named):
    url = raci_page_url(team)
    link = "The team's RACI"
    member_page = reverse("assignments:member", args=[rina.pk])
    if url is None:  # not built yet: no link
        assertNotContains(manager_client.get(member_page), link)
    else:
        assertContains(manager_client.get(member_page), f'<a href="{url}">{link}</a>', html=True)
    client.force_login(rina.user)
    assertNotContains(client.get(member_page), link)
    assertNotContains(client.get(MY_DUTIES), link)


def grow_letters(team, member, people):
    """Every task of the team gives ``member`` a letter (in turn A, C, I) and someone else another."""
    for index, task in enumerate(
        Task.objects.filter(team=team, accountable__isnull=True).exclude(involvements__member=member)
    ):
        letter = "ACI"[index % 3]
        if letter == "A":
            Task.objects.filter(pk=task.pk).update(accountable=member)
            TaskInvolvement.objects.create(task=task, member=people[index % len(people)], kind="informed")
        else:
            kind = "consulted" if letter == "C" else "informed"
            TaskInvolvement.objects.create(task=task, member=member, kind=kind)
            Task.objects.filter(pk=task.pk).update(accountable=people[index % len(people)])


@pytest.mark.parametrize("page", ["member", "my_duties"])
def test_query_count_does_not_grow_with_the_tasks_a_member_answers_for(
    client, team, rina, specialist, strategist, this_monday, page
):
    """The three lists are one query (kept with the page's other rows under the plan revision). Rina looks at
    her own page: the managers' "Recent changes" (its queries follow the kinds of the last changes) is not on it."""
    client.force_login(rina.user)
    url = MY_DUTIES if page == "my_duties" else reverse("assignments:member", args=[rina.pk])
    counts = []
    for size in (2, 12):
        grow_team(team, specialist, strategist, size, this_monday)
        people = list(team.members.exclude(pk=rina.pk))
        grow_letters(team, rina, people)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts.append(len(queries))
        raci = response.context["duties"].page.raci if page == "my_duties" else response.context["page"].raci
        # one daily task a new member (still running), and a one-off that ended on Monday (not listed)
        assert len(raci.accountable) + len(raci.consulted) + len(raci.informed) == sum((2, 12)[: len(counts)])
    assert counts[0] == counts[1]
