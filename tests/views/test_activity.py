"""The team's activity page, its folded change sets, reverts from the page, a task's recent changes and the
member page's (docs/rules.md, "History")."""

import json
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pytest_django.asserts import assertContains, assertNotContains

from activity.models import ChangeSet
from activity.recording import recording
from assignments.models import Assignment, Task, TaskInvolvement
from assignments.raci import raci_set, raci_switch
from assignments.services import task_update
from roles.models import UserPreferences
from tests.factories import make_assignment, make_member, make_task, make_team, make_user
from tests.views.helpers import HTMX, board_url
from tests.views.test_query_counts import grow_team

pytestmark = pytest.mark.django_db


def activity_url(**query) -> str:
    url = reverse("activity:team_activity", args=["marketing"])
    return f"{url}?{'&'.join(f'{key}={value}' for key, value in query.items())}" if query else url


@pytest.fixture
def schedule(team, specialist, this_monday):
    """ "Schedule posts": Citra Dewi at 50 %."""
    task = make_task(team, specialist, title="Schedule posts", cadence="daily", start_date=this_monday)
    return make_assignment(task, make_member(team, full_name="Citra Dewi"), share_percent=50)


@pytest.fixture
def dewi(manager):
    manager.first_name, manager.last_name = "Dewi", "Sari"
    manager.save()
    return manager


def change_share(client, assignment, share_percent, **headers):
    data = {f"share-{assignment.pk}-share_percent": share_percent}
    return client.post(board_url("assignment_share", assignment.pk), data, **headers)


def test_a_share_changed_on_the_board_is_said_as_a_sentence_with_the_managers_name(manager_client, dewi, schedule):
    change_share(manager_client, schedule, 20, **HTMX)
    response = manager_client.get(activity_url())
    assertContains(response, "Dewi Sari changed Citra Dewi&#x27;s share of Schedule posts from 50\u00a0% to 20\u00a0%.")
    assertContains(response, "Revert")


def test_the_page_is_newest_first_and_pages_by_twenty_change_sets(manager_client, schedule):
    for share in range(21, 45):  # 24 changes, each its own request: 24 change sets and the fixture's
        change_share(manager_client, schedule, share, **HTMX)
    first = manager_client.get(activity_url()).content.decode()
    assert first.index("from 43\u00a0% to 44\u00a0%") < first.index("from 42\u00a0% to 43\u00a0%")
    assert "from 24\u00a0% to 25\u00a0%" in first and "from 23\u00a0% to 24\u00a0%" not in first
    assert "Page 1 of 2" in first
    assertContains(manager_client.get(activity_url(page=2)), "from 23\u00a0% to 24\u00a0%")


def test_filters_by_member_task_kind_and_change(manager_client, team, specialist, schedule, this_monday):
    other = make_assignment(
        make_task(team, specialist, title="Reply to DMs", start_date=this_monday), make_member(team)
    )
    change_share(manager_client, schedule, 20, **HTMX)
    change_share(manager_client, other, 30, **HTMX)
    by_member = listed(manager_client.get(activity_url(member=schedule.member_id)))
    assert "Schedule posts from 50\u00a0% to 20\u00a0%" in by_member and "Reply to DMs" not in by_member
    by_task = listed(manager_client.get(activity_url(task=other.task_id)))
    assert "Reply to DMs from 100\u00a0% to 30\u00a0%" in by_task and "Schedule posts" not in by_task
    tasks_added = listed(manager_client.get(activity_url(kind="task", action="created")))
    assert "added the task Schedule posts" in tasks_added and "share of" not in tasks_added
    assertContains(manager_client.get(activity_url(since="2999-01-01")), "No change matches these filters.")


def listed(response) -> str:
    """The list of changes (the filters above it name every task and member)."""
    html = response.content.decode()
    return html[html.index('id="activity-list"') :]


def test_a_bad_filter_is_said_beside_its_field(manager_client, schedule):
    response = manager_client.get(activity_url(since="2026-12-10", until="2026-12-01"))
    assertContains(response, "Must be on or after the first day.")


def test_a_filter_naming_another_teams_member_is_refused_not_shown(manager_client, schedule):
    stranger = make_member(make_team())
    response = manager_client.get(activity_url(member=stranger.pk))
    assertContains(response, "Select a valid choice.")


def test_an_import_is_one_folded_entry_that_opens_to_its_rows(manager_client, team, tmp_path):
    plan = {
        "team": {"slug": "marketing", "name": "Marketing"},
        "roles": [{"slug": "specialist", "name": "Social Media Specialist", "focus": "operational"}],
        "members": [{"email": f"p{n}@example.com", "full_name": f"Person {n}"} for n in range(3)],
        "tasks": [
            {
                "title": f"Task {n}",
                "role": "specialist",
                "cadence": "weekly",
                "effort_hours": 1,
                "start_date": "2026-11-30",
            }
            for n in range(3)
        ],
    }
    path = tmp_path / "marketing.json"
    path.write_text(json.dumps(plan))
    call_command("import_plan", str(path), stdout=StringIO())
    page = manager_client.get(activity_url()).content.decode()
    assert "import_plan marketing.json added 3 members, 3 tasks" in page
    change_set = ChangeSet.objects.get(actor="import_plan marketing.json", team_id=team.pk)
    opened = manager_client.get(reverse("activity:change_set", args=["marketing", change_set.pk]), **HTMX)
    assertContains(opened, "import_plan marketing.json added the task Task 2.")
    assertContains(opened, "import_plan marketing.json added Person 0 to the team.")


def test_revert_from_the_page_puts_the_share_back_and_is_listed_itself(manager_client, dewi, schedule):
    change_share(manager_client, schedule, 20, **HTMX)
    record = schedule.history.filter(history_type="~").get()
    url = reverse("activity:revert", args=["marketing", "assignment", record.history_id])
    response = manager_client.post(url, **HTMX)
    assertContains(response, "Reverted.")
    assert Assignment.objects.get(pk=schedule.pk).share_percent == 50
    assertContains(
        manager_client.get(activity_url()),
        "Dewi Sari changed Citra Dewi&#x27;s share of Schedule posts from 20\u00a0% to 50\u00a0%.",
    )


def test_a_refused_revert_says_why_beside_the_entry_and_changes_nothing(manager_client, team, schedule):
    change_share(manager_client, schedule, 20, **HTMX)
    make_assignment(schedule.task, make_member(team), share_percent=70)  # 90 % taken now
    record = schedule.history.filter(history_type="~").get()
    url = reverse("activity:revert", args=["marketing", "assignment", record.history_id])
    assertContains(manager_client.post(url, **HTMX), "Only 30 % of this task is left to assign.")
    assert Assignment.objects.get(pk=schedule.pk).share_percent == 20
    plain = manager_client.post(url, {"next": activity_url()}, follow=True)
    assertContains(plain, "Only 30 % of this task is left to assign.")


def test_a_revert_of_another_teams_entry_is_not_found(manager_client, specialist):
    elsewhere = make_assignment(make_task(make_team(), specialist), make_member(make_team()))
    record = elsewhere.history.get()
    url = reverse("activity:revert", args=["marketing", "assignment", record.history_id])
    assert manager_client.post(url).status_code == 404
    assert Assignment.objects.filter(pk=elsewhere.pk).exists()


def test_a_task_card_fetches_its_recent_changes(manager_client, schedule):
    change_share(manager_client, schedule, 20, **HTMX)
    board = manager_client.get(reverse("assignments:team_board", args=["marketing"]))
    recent_url = reverse("activity:task_recent", args=["marketing", schedule.task_id])
    assertContains(board, f'hx-get="{recent_url}"')
    assertNotContains(board, "share of Schedule posts")  # folded: fetched when opened
    fragment = manager_client.get(recent_url, **HTMX)
    assertContains(fragment, "share of Schedule posts from 50\u00a0% to 20\u00a0%")
    assertContains(fragment, f'href="{activity_url(task=schedule.task_id)}"')
    assert manager_client.get(recent_url)["Location"] == activity_url(task=schedule.task_id)


def test_the_member_page_shows_the_persons_last_changes_to_their_managers_only(client, manager, schedule):
    member_url = reverse("assignments:member", args=[schedule.member_id])
    client.force_login(manager)
    assertContains(client.get(member_url), "Recent changes")
    assertContains(client.get(member_url), "assigned Citra Dewi to Schedule posts (50\u00a0%).")
    citra = make_user()
    schedule.member.user = citra
    schedule.member.save()
    client.force_login(citra)
    assertNotContains(client.get(member_url), "Recent changes")


# ------------------------------------------------------------------ queries


def count_queries(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **headers).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["activity", "change_set", "task_recent", "member"])
def test_history_pages_run_a_fixed_number_of_queries(
    manager_client, team, specialist, strategist, this_monday, schedule, page
):
    """The same shape of history (the team's growth, then five changes of a share) at two team sizes."""

    def grow_and_change(size, shares):
        grow_team(team, specialist, strategist, size, this_monday)
        for share in shares:
            change_share(manager_client, schedule, share, **HTMX)
        last_change = schedule.history.filter(history_type="~").first()
        urls = {
            "activity": activity_url(),
            "change_set": reverse("activity:change_set", args=["marketing", last_change.change_set_id]),
            "task_recent": reverse("activity:task_recent", args=["marketing", schedule.task_id]),
            "member": reverse("assignments:member", args=[schedule.member_id]),
        }
        return count_queries(manager_client, urls[page], **(HTMX if page == "task_recent" else {}))

    assert grow_and_change(2, range(20, 25)) == grow_and_change(12, range(30, 35))


@pytest.mark.parametrize("page", ["team_overview", "team_board", "my_duties", "team_members"])
def test_pages_that_do_not_show_history_never_read_it(client, team, specialist, schedule, page):
    user = make_user()
    make_member(team, user=user)
    team.managers.add(user)
    client.force_login(user)
    url = reverse(f"assignments:{page}", args=[] if page == "my_duties" else ["marketing"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert not [query["sql"] for query in queries if "activity_" in query["sql"]]


def test_a_changed_reference_names_both_rows_though_their_creation_is_not_listed(
    manager_client, team, strategist, schedule
):
    task = schedule.task
    task.role = strategist
    task.save()
    response = manager_client.get(activity_url(kind="task", action="changed"))
    said = "changed the task Schedule posts: role from Social Media Specialist to Social Media Strategist."
    assertContains(response, said)


def test_a_change_of_managers_names_who_was_added(manager_client, team, manager):
    team.managers.add(make_user(username="citra"))
    assertContains(manager_client.get(activity_url(kind="team")), "managers from boss to boss, citra.")
    team.save()  # saved as it was: said so, with nothing to revert
    listed_page = listed(manager_client.get(activity_url(kind="team")))
    assert "saved Marketing again, unchanged." in listed_page


# ------------------------------------------------------------------ RACI


@pytest.fixture
def raci(team, dewi, schedule):
    """Ann, Budi and Citra in the team; ``write`` runs one RACI write as by Dewi Sari (one change set each)."""
    people = {name: make_member(team, full_name=name) for name in ("Ann", "Budi", "Citra")}

    def write(change, *args, **kwargs):
        with recording(dewi.get_username(), user=dewi):
            change(*args, **kwargs)

    return SimpleNamespace(task=schedule.task, write=write, **people)


def raci_story(raci, team) -> list[str]:
    """Every kind of RACI write, and the sentence each one is said in (newest last)."""
    task, write = raci.task, raci.write
    steps = [
        (lambda: raci_switch(team=team, enabled=True), "Dewi Sari switched RACI on for the team Marketing."),
        (
            lambda: raci_set(task=task, member=raci.Ann, letter="A"),
            "Dewi Sari made Ann accountable for Schedule posts.",
        ),
        (
            lambda: raci_set(task=task, member=raci.Budi, letter="A"),
            "Dewi Sari changed who is accountable for Schedule posts from Ann to Budi.",
        ),
        (
            lambda: raci_set(task=task, member=raci.Budi, letter=""),
            "Dewi Sari removed Budi as accountable for Schedule posts, leaving nobody accountable.",
        ),
        (
            lambda: raci_set(task=task, member=raci.Citra, letter="C"),
            "Dewi Sari asked for Citra to be consulted on Schedule posts.",
        ),
        (
            lambda: raci_set(task=task, member=raci.Citra, letter="I"),
            "Dewi Sari asked for Citra to be informed of Schedule posts instead of consulted.",
        ),
        (
            lambda: raci_set(task=task, member=raci.Citra, letter="C"),
            "Dewi Sari asked for Citra to be consulted on Schedule posts instead of informed.",
        ),
        (
            lambda: raci_set(task=task, member=raci.Citra, letter=""),
            "Dewi Sari took Citra off the people consulted on Schedule posts.",
        ),
        (
            lambda: raci_set(task=task, member=raci.Ann, letter="I"),
            "Dewi Sari asked for Ann to be informed of Schedule posts.",
        ),
        (
            lambda: raci_set(task=task, member=raci.Ann, letter=""),
            "Dewi Sari took Ann off the people informed of Schedule posts.",
        ),
        (lambda: raci_switch(team=team, enabled=False), "Dewi Sari switched RACI off for the team Marketing."),
    ]
    for change, _said in steps:
        write(change)
    return [said for _change, said in steps]


def test_raci_writes_are_said_as_sentences(manager_client, team, raci):
    sentences = raci_story(raci, team)
    page = listed(manager_client.get(activity_url()))
    for sentence in sentences:
        assert sentence in page
    assert page.index(sentences[-1]) < page.index(sentences[0])  # newest first


def test_an_accountable_is_named_as_now_and_one_deleted_since_as_last_named(manager_client, team, raci):
    raci.write(raci_set, task=raci.task, member=raci.Ann, letter="A")
    raci.write(raci_set, task=raci.task, member=raci.Budi, letter="A")
    raci.Ann.delete()  # by "system": the entries above still name her
    raci.Budi.full_name = "Budi Santoso"
    raci.Budi.save()
    page = listed(manager_client.get(activity_url(kind="task")))
    assert "Dewi Sari made Ann accountable for Schedule posts." in page
    assert "changed who is accountable for Schedule posts from Ann to Budi Santoso." in page


def test_a_task_change_with_more_than_its_accountable_names_the_people_in_its_changes(manager_client, team, raci):
    task = raci.task
    task.accountable, task.effort_hours = raci.Ann, 3  # as the admin's task form can, at once
    task.save()
    page = listed(manager_client.get(activity_url(kind="task", action="changed")))
    assert "changed the task Schedule posts: effort (hours) from 1 to 3; accountable from — to Ann." in page


def test_an_involvement_moved_to_another_person_in_the_admin_names_both(manager_client, team, raci):
    raci.write(raci_set, task=raci.task, member=raci.Ann, letter="C")
    involvement = TaskInvolvement.objects.get()
    involvement.member = raci.Budi  # the admin's involvement form can do this; RACI's cell cannot
    involvement.save()
    page = listed(manager_client.get(activity_url(kind="involvement", action="changed")))
    assert "changed how Budi is involved in Schedule posts: member from Ann to Budi." in page


def test_the_kind_filter_offers_consulted_and_informed_and_finds_them(manager_client, team, raci):
    raci.write(raci_set, task=raci.task, member=raci.Ann, letter="C")
    raci.write(raci_set, task=raci.task, member=raci.Budi, letter="A")
    response = manager_client.get(activity_url(kind="involvement"))
    assertContains(response, '<option value="involvement" selected>Consulted and informed</option>', html=True)
    page = listed(response)
    assert "asked for Ann to be consulted on Schedule posts." in page and "accountable" not in page


def test_the_member_filter_finds_their_letters_but_not_the_tasks_other_changes(manager_client, team, raci):
    raci.write(raci_set, task=raci.task, member=raci.Ann, letter="A")
    raci.write(raci_set, task=raci.task, member=raci.Budi, letter="I")
    task_update(task=raci.task, title="Schedule all posts")  # Ann stays accountable: not a change about her
    page = listed(manager_client.get(activity_url(member=raci.Ann.pk)))
    assert "made Ann accountable for Schedule all posts." in page
    assert "changed the task" not in page and "Budi" not in page
    assert "asked for Budi to be informed" in listed(manager_client.get(activity_url(member=raci.Budi.pk)))


def test_the_task_filter_finds_its_involvements(manager_client, team, specialist, this_monday, raci):
    other = make_task(team, specialist, title="Reply to DMs", start_date=this_monday)
    raci.write(raci_set, task=raci.task, member=raci.Ann, letter="C")
    raci.write(raci_set, task=other, member=raci.Budi, letter="I")
    page = listed(manager_client.get(activity_url(task=raci.task.pk, kind="involvement")))
    assert "asked for Ann to be consulted on Schedule posts." in page and "Reply to DMs" not in page


def test_an_involvement_is_reverted_from_the_page(manager_client, team, raci):
    raci.write(raci_set, task=raci.task, member=raci.Ann, letter="C")
    record = TaskInvolvement.history.get()
    url = reverse("activity:revert", args=["marketing", "involvement", record.history_id])
    assert f'action="{url}"' in listed(manager_client.get(activity_url()))  # its Revert button
    assertContains(manager_client.post(url, **HTMX), "Reverted.")
    assert "Dewi Sari took Ann off the people consulted on Schedule posts." in listed(
        manager_client.get(activity_url())
    )


def test_a_refused_accountable_revert_says_the_rule_beside_the_entry(manager_client, team, raci):
    raci.write(raci_set, task=raci.task, member=raci.Ann, letter="A")
    raci.write(raci_set, task=raci.task, member=raci.Budi, letter="A")
    raci.Ann.is_active = False
    raci.Ann.save()
    record = Task.history.filter(id=raci.task.pk).first()
    url = reverse("activity:revert", args=["marketing", "task", record.history_id])
    assertContains(manager_client.post(url, **HTMX), "Ann is not an active team member.")
    assert Task.objects.get(pk=raci.task.pk).accountable == raci.Budi


def test_raci_sentences_in_indonesian(client, manager, team, raci):
    """The sentences come from the catalog, with the names put in (needs the Indonesian translations)."""
    raci_story(raci, team)
    UserPreferences.objects.create(user=manager, language="id")
    client.force_login(manager)
    page = listed(client.get(activity_url()))
    with translation.override("id"):
        expected = {
            "Dewi Sari made Ann accountable for Schedule posts.": gettext(
                "%(actor)s made %(member)s accountable for %(task)s."
            )
            % {"actor": "Dewi Sari", "member": "Ann", "task": "Schedule posts"},
            "switched RACI on": gettext("%(actor)s switched RACI on for the team %(team)s.")
            % {"actor": "Dewi Sari", "team": "Marketing"},
            "asked for Citra to be informed": gettext(
                "%(actor)s asked for %(member)s to be informed of %(task)s instead of consulted."
            )
            % {"actor": "Dewi Sari", "member": "Citra", "task": "Schedule posts"},
            "took Ann off": gettext("%(actor)s took %(member)s off the people informed of %(task)s.")
            % {"actor": "Dewi Sari", "member": "Ann", "task": "Schedule posts"},
        }
    for english, indonesian in expected.items():
        assert english not in indonesian, f"not translated yet: {english}"
        assert indonesian in page


def test_the_activity_page_with_raci_history_runs_a_fixed_number_of_queries(
    manager_client, team, specialist, strategist, this_monday, raci
):
    """RACI's entries (names of accountables old and new, involvements) at two team sizes, unfiltered and
    filtered by a member (the accountable condition)."""

    def grow_and_write(size):
        grow_team(team, specialist, strategist, size, this_monday)
        for member in (raci.Ann, raci.Budi, raci.Citra):
            raci.write(raci_set, task=raci.task, member=member, letter="A")
            raci.write(raci_set, task=raci.task, member=member, letter="C")
        return [
            count_queries(manager_client, url)
            for url in (activity_url(), activity_url(member=raci.Ann.pk), activity_url(task=raci.task.pk))
        ]

    assert grow_and_write(2) == grow_and_write(12)
