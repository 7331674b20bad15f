"""The permission matrix: every URL × every kind of visitor × GET and POST.

A URL added to the app without a row here fails ``test_every_url_is_in_the_matrix``.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assignments.models import Assignment, Cover, DualRoleAcknowledgement, Task
from notifications.optouts import unsubscribe_token
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

LOGIN = 302  # anonymous: sent to the login page

# name -> (GET statuses by persona, POST statuses by persona). None: that method is not checked.
# Order of statuses follows PERSONAS.
MATRIX = {
    "healthz": ([200, 200, 200, 200, 200, 200], [405, 405, 405, 405, 405, 405]),
    "home": ([LOGIN, 302, 302, 302, 302, 302], [LOGIN, 405, 405, 405, 405, 405]),
    "login": ([200, 302, 302, 302, 302, 302], None),
    "logout": ([405, 405, 405, 405, 405, 405], [302, 302, 302, 302, 302, 302]),
    # anyone may choose a language (the login page has the switcher too)
    "set_language": ([405, 405, 405, 405, 405, 405], [302, 302, 302, 302, 302, 302]),
    "password_change": ([LOGIN, 200, 200, 200, 200, 200], [LOGIN, 200, 200, 200, 200, 200]),
    "password_change_done": ([LOGIN, 200, 200, 200, 200, 200], None),
    "roles:catalog": ([LOGIN, 200, 200, 200, 200, 200], [LOGIN, 405, 405, 405, 405, 405]),
    "assignments:my_duties": ([LOGIN, 200, 200, 404, 404, 404], [LOGIN, 405, 405, 405, 405, 405]),
    "assignments:api_team_workload": ([401, 404, 404, 200, 404, 200], [405, 405, 405, 405, 405, 405]),
    "assignments:api_task_suggestions": ([401, 404, 404, 200, 404, 200], [405, 405, 405, 405, 405, 405]),
    # an empty body is a bad change list: 400 for those who may preview
    "assignments:api_preview": ([405, 405, 405, 405, 405, 405], [401, 404, 404, 400, 404, 400]),
    "assignments:team_overview": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    # the teams index: a manager sees their own teams, staff all; anyone else 404
    "assignments:teams": ([LOGIN, 404, 404, 200, 200, 200], [LOGIN, 405, 405, 405, 405, 405]),
    "assignments:team_board": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    # the RACI page, as the board: a cell's form (GET; a post without a letter is refused, 400) and the switch
    # (a post without on or off is refused, 400)
    "assignments:team_raci": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    "assignments:raci_cell": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 404, 404, 400, 404, 400]),
    "assignments:raci_switch": ([LOGIN, 405, 405, 405, 405, 405], [LOGIN, 404, 404, 400, 404, 400]),
    "assignments:member": ([LOGIN, 200, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    # the world's member has no dual role to acknowledge: refused, the page again with the error (400)
    "assignments:acknowledge_dual_role": ([LOGIN, 405, 405, 405, 405, 405], [LOGIN, 404, 404, 400, 404, 400]),
    "assignments:withdraw_acknowledgement": ([LOGIN, 405, 405, 405, 405, 405], [LOGIN, 404, 404, 302, 404, 302]),
    # the acknowledgement form of an overview line, fetched when opened (a page of its own without JavaScript)
    "assignments:acknowledge_form": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    # the lines of a folded kind of flag, fetched when opened (a page of their own without JavaScript)
    "assignments:flag_group": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    "assignments:task_new": ([LOGIN, 405, 405, 405, 405, 405], [LOGIN, 404, 404, 400, 404, 400]),
    # the board's folded task forms, fetched when opened (a page of their own without JavaScript)
    "assignments:task_new_form": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    "assignments:task_edit_form": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    "assignments:task_edit": ([LOGIN, 405, 405, 405, 405, 405], [LOGIN, 404, 404, 400, 404, 400]),
    "assignments:task_archive": ([LOGIN, 405, 405, 405, 405, 405], [LOGIN, 404, 404, 302, 404, 302]),
    "assignments:task_restore": ([LOGIN, 405, 405, 405, 405, 405], [LOGIN, 404, 404, 302, 404, 302]),
    "assignments:assign": ([LOGIN, 405, 405, 405, 405, 405], [LOGIN, 404, 404, 400, 404, 400]),
    # before assigning: the ranked people (GET), and the preview of one choice (POST, writes nothing; an
    # empty form is the page again with its errors)
    "assignments:task_suggestions": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    "assignments:assign_preview": ([LOGIN, 405, 405, 405, 405, 405], [LOGIN, 404, 404, 400, 404, 400]),
    "assignments:assignment_share": ([LOGIN, 405, 405, 405, 405, 405], [LOGIN, 404, 404, 400, 404, 400]),
    # GET asks "Remove NAME from TASK?" (the confirmation without JavaScript); POST removes
    "assignments:assignment_remove": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 404, 404, 302, 404, 302]),
    # the member may see their own page but not change it
    "assignments:holding_add": ([LOGIN, 405, 405, 405, 405, 405], [LOGIN, 404, 404, 400, 404, 400]),
    "assignments:holding_end": ([LOGIN, 405, 405, 405, 405, 405], [LOGIN, 404, 404, 400, 404, 400]),
    "assignments:time_off_add": ([LOGIN, 405, 405, 405, 405, 405], [LOGIN, 404, 404, 400, 404, 400]),
    "assignments:time_off_edit": ([LOGIN, 405, 405, 405, 405, 405], [LOGIN, 404, 404, 400, 404, 400]),
    "assignments:member_edit": ([LOGIN, 405, 405, 405, 405, 405], [LOGIN, 404, 404, 400, 404, 400]),
    # the member page's folded forms, fetched when opened (a page of their own without JavaScript)
    "assignments:member_edit_form": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    "assignments:holding_add_form": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    "assignments:holding_end_form": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    "assignments:time_off_add_form": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    "assignments:time_off_edit_form": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    # deletes: GET asks first (the confirmation without JavaScript); POST deletes
    "assignments:holding_delete": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 404, 404, 302, 404, 302]),
    "assignments:time_off_delete": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 404, 404, 302, 404, 302]),
    # a team's people, for its managers; adding one
    "assignments:team_members": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    "assignments:member_add": ([LOGIN, 405, 405, 405, 405, 405], [LOGIN, 404, 404, 400, 404, 400]),
    # behind the flags (views/fix.py): pages of the team, for its managers; a preview without a person asks for one
    "assignments:fix_task": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    "assignments:fix_task_preview": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    "assignments:fix_hand_over": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    # GET previews the move (asks who without ``to_member``); POST without anyone to hand it to: 400
    "assignments:fix_move": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 404, 404, 400, 404, 400]),
    "assignments:fix_role": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    # Arrange cover: the page (GET) and saving a cover (POST; an empty form is the page again with its errors)
    "assignments:arrange_cover": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 404, 404, 400, 404, 400]),
    "assignments:cover_remove": ([LOGIN, 405, 405, 405, 405, 405], [LOGIN, 404, 404, 302, 404, 302]),
    # the overview's downloads (the workload API's window, default this week and the next three)
    "assignments:export_workload_csv": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    "assignments:export_workload_xlsx": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    "assignments:export_flags_csv": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    "assignments:export_raci_csv": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    # the team's history: its managers read it, and revert an entry (the world's assignment: removed again)
    "activity:team_activity": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    "activity:change_set": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    "activity:revert": ([LOGIN, 405, 405, 405, 405, 405], [LOGIN, 404, 404, 302, 404, 302]),
    # a task card's folded "Recent changes" (htmx); a plain GET is sent to the activity page filtered to it
    "activity:task_recent": ([LOGIN, 404, 404, 302, 404, 302], [LOGIN, 405, 405, 405, 405, 405]),
    "activity:api_team_activity": ([401, 404, 404, 200, 404, 200], [405, 405, 405, 405, 405, 405]),
    "activity:api_revert": ([405, 405, 405, 405, 405, 405], [401, 404, 404, 200, 404, 200]),
    # calendar feeds: the feed answers without a login (the world member's valid token; 404 for any other);
    # a member makes or replaces their own feed's address, a manager (or staff) the team's
    "feeds:calendar": ([200, 200, 200, 200, 200, 200], [405, 405, 405, 405, 405, 405]),
    "feeds:replace_my_feed": ([LOGIN, 405, 405, 405, 405, 405], [LOGIN, 302, 302, 404, 404, 404]),
    "feeds:team_feed": ([LOGIN, 404, 404, 200, 404, 200], [LOGIN, 405, 405, 405, 405, 405]),
    "feeds:replace_team_feed": ([LOGIN, 405, 405, 405, 405, 405], [LOGIN, 404, 404, 302, 404, 302]),
    # what a login receives by mail: everyone's own page (an empty POST unticks what is offered, then redirects)
    "notifications:preferences": ([LOGIN, 200, 200, 200, 200, 200], [LOGIN, 302, 302, 302, 302, 302]),
    # a mail's unsubscribe link, with a valid token (url_for): no login, the token is the key; GET asks, POST
    # unsubscribes and says so (a tampered token's 400 is in tests/test_unsubscribe.py)
    "notifications:unsubscribe": ([200, 200, 200, 200, 200, 200], [200, 200, 200, 200, 200, 200]),
}


def url_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the Django admin guards itself (staff only), tested in test_admin
            yield from url_names(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_is_in_the_matrix():
    assert set(url_names()) == set(MATRIX)


def url_for(name: str, ids: dict) -> str:
    """The URL with the fixture's ids for the arguments it takes."""
    arguments = {
        "assignments:api_team_workload": ["slug"],
        "assignments:api_task_suggestions": ["slug", "task_id"],
        "assignments:api_preview": ["slug"],
        "assignments:team_overview": ["slug"],
        "assignments:team_board": ["slug"],
        "assignments:team_raci": ["slug"],
        "assignments:raci_cell": ["slug", "task_id", "member_id"],
        "assignments:raci_switch": ["slug"],
        "assignments:member": ["member_id"],
        "assignments:acknowledge_dual_role": ["slug", "member_id"],
        "assignments:withdraw_acknowledgement": ["slug", "member_id"],
        "assignments:acknowledge_form": ["slug", "member_id"],
        "assignments:flag_group": ["slug", "kind"],
        "assignments:task_new": ["slug"],
        "assignments:task_new_form": ["slug"],
        "assignments:task_edit_form": ["slug", "task_id"],
        "assignments:task_edit": ["slug", "task_id"],
        "assignments:task_archive": ["slug", "task_id"],
        "assignments:task_restore": ["slug", "task_id"],
        "assignments:assign": ["slug", "task_id"],
        "assignments:task_suggestions": ["slug", "task_id"],
        "assignments:assign_preview": ["slug", "task_id"],
        "assignments:assignment_share": ["slug", "assignment_id"],
        "assignments:assignment_remove": ["slug", "assignment_id"],
        "assignments:holding_add": ["member_id"],
        "assignments:holding_end": ["member_id", "holding_id"],
        "assignments:time_off_add": ["member_id"],
        "assignments:time_off_edit": ["member_id", "time_off_id"],
        "assignments:member_edit": ["member_id"],
        "assignments:holding_delete": ["member_id", "holding_id"],
        "assignments:time_off_delete": ["member_id", "time_off_id"],
        "assignments:member_edit_form": ["member_id"],
        "assignments:holding_add_form": ["member_id"],
        "assignments:holding_end_form": ["member_id", "holding_id"],
        "assignments:time_off_add_form": ["member_id"],
        "assignments:time_off_edit_form": ["member_id", "time_off_id"],
        "assignments:team_members": ["slug"],
        "assignments:member_add": ["slug"],
        "assignments:fix_task": ["slug", "task_id"],
        "assignments:fix_task_preview": ["slug", "task_id"],
        "assignments:fix_hand_over": ["slug", "member_id"],
        "assignments:fix_move": ["slug", "assignment_id"],
        "assignments:fix_role": ["slug"],
        "assignments:arrange_cover": ["slug", "member_id"],
        "assignments:cover_remove": ["slug", "cover_id"],
        "assignments:export_workload_csv": ["slug"],
        "assignments:export_workload_xlsx": ["slug"],
        "assignments:export_flags_csv": ["slug"],
        "assignments:export_raci_csv": ["slug"],
        "activity:team_activity": ["slug"],
        "activity:change_set": ["slug", "change_set_id"],
        "activity:revert": ["slug", "kind", "history_id"],
        "activity:task_recent": ["slug", "task_id"],
        "activity:api_team_activity": ["slug"],
        "activity:api_revert": ["slug", "kind", "history_id"],
        "feeds:calendar": ["token"],
        "feeds:team_feed": ["slug"],
        "feeds:replace_team_feed": ["slug"],
        "notifications:unsubscribe": ["token"],
    }
    # The shared world (tests/conftest.py) has no time off; this module's world adds one. Elsewhere
    # (test_security) the time off URLs name one that is not there.
    if name == "notifications:unsubscribe":  # the world member's digests (the ids' token is a calendar feed's)
        ids = {**ids, "token": unsubscribe_token("member-a@example.com", "digest")}
    if name == "assignments:flag_group":
        ids = {**ids, "kind": "dual_role"}  # the kind of flag whose lines flag_group fetches
    return reverse(name, kwargs={key: ids[key] for key in arguments.get(name, [])})


CASES = [
    (name, method, persona, statuses[index])
    for name, (get_statuses, post_statuses) in MATRIX.items()
    for method, statuses in (("get", get_statuses), ("post", post_statuses))
    if statuses is not None
    for index, persona in enumerate(PERSONAS)
]


@pytest.mark.parametrize(("name", "method", "persona", "expected"), CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
def test_permission_matrix(client, world, name, method, persona, expected):
    users, ids = world
    if persona != "anonymous":
        client.force_login(users[persona])
    response = getattr(client, method)(url_for(name, ids))
    assert response.status_code == expected
    if expected == LOGIN and persona == "anonymous" and name not in {"logout", "set_language"}:
        assert response["Location"].startswith(reverse("login"))


def test_refused_writes_change_nothing(client, world):
    users, ids = world
    for persona in ["member", "other_member", "other_manager"]:
        client.force_login(users[persona])
        client.post(url_for("assignments:task_archive", ids))
        client.post(url_for("assignments:assignment_remove", ids))
        client.post(url_for("assignments:withdraw_acknowledgement", ids))
        client.post(url_for("assignments:assignment_share", ids), {f"share-{ids['assignment_id']}-share_percent": 10})
        client.post(url_for("assignments:cover_remove", ids))
        cover = {"assignment": ids["assignment_id"], "member": users["manager"].pk, "start_date": "2026-12-21"}
        client.post(url_for("assignments:arrange_cover", ids), {**cover, "end_date": "2026-12-21"})
    assert Cover.objects.filter(pk=ids["cover_id"]).exists()
    assert Cover.objects.count() == 1
    assert Task.objects.get(pk=ids["task_id"]).is_active
    assert Assignment.objects.get(pk=ids["assignment_id"]).share_percent == 50
    assert DualRoleAcknowledgement.objects.get().withdrawn_at is None
