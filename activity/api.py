"""``GET /api/teams/SLUG/activity/``: the team's history as JSON entries, newest first (docs/rules.md,
"History"), and the POST behind each entry's ``revert_url``. Access as for the workload API: its
managers and staff; anonymous 401, anyone else 404.

Pages are keyset pages, not offsets: ``next`` carries the last entry's position (time, kind, id), so a
page costs the same at the end of a long history as at its start, and entries written meanwhile never
shift a page.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assignments.views.api import bad_parameters, not_found, team_api
from roles.models import Team
from teamplanner.http import head_without_body

from .entries import Entry, Names, order
from .forms import ActivityFilterForm
from .reverts import revert_entry
from .selectors import Position, entries_after
from .sentences import object_text

API_PAGE_SIZE = 50


def _after(cursor: str) -> Position | None:
    """The position a ``next`` link carries: "2026-11-27T10:00:00.123456+00:00~3~812"; None if it is not one."""
    try:
        at, rank, history_id = cursor.split("~")
        position = datetime.datetime.fromisoformat(at), int(rank), int(history_id)
    except ValueError:
        return None
    return position if position[0].tzinfo is not None else None


def _json(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def entry_json(request, team: Team, entry: Entry, names: Names) -> dict:
    if entry.action == "created":
        changes = {name: [None, _json(value)] for name, value in entry.values.items()}
    elif entry.action == "deleted":
        changes = {name: [_json(value), None] for name, value in entry.values.items()}
    else:
        changes = {name: [_json(old), _json(new)] for name, (old, new) in entry.changes.items()}
    revert_url = (
        request.build_absolute_uri(
            reverse("activity:api_revert", args=[team.slug, entry.object_type, entry.history_id])
        )
        if entry.revertible
        else None
    )
    return {
        "id": entry.key,
        "at": entry.at.isoformat(),
        "actor": entry.change_set.actor,
        "action": entry.action,
        "object_type": entry.object_type,
        "object": object_text(entry, names),
        "changes": changes,
        "revert_url": revert_url,
    }


@require_safe
@head_without_body
@team_api
def team_activity_api(request, team: Team) -> JsonResponse:
    form = ActivityFilterForm(request.GET, team=team)
    if not form.is_valid():
        return bad_parameters(form)
    position = _after(request.GET["after"]) if "after" in request.GET else None
    if "after" in request.GET and position is None:
        return JsonResponse({"errors": {"after": [_("Not a position this API gave.")]}}, status=400)
    entries = entries_after(team, form.filters(), position, API_PAGE_SIZE + 1)
    names = Names(entries[:API_PAGE_SIZE])
    next_url = None
    if len(entries) > API_PAGE_SIZE:
        at, rank, history_id = order(entries[API_PAGE_SIZE - 1])
        query = request.GET.copy()
        query["after"] = f"{at.isoformat()}~{rank}~{history_id}"
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return JsonResponse(
        {"entries": [entry_json(request, team, entry, names) for entry in entries[:API_PAGE_SIZE]], "next": next_url}
    )


@require_POST
@team_api
def revert_api(request, team: Team, kind: str, history_id: int) -> JsonResponse:
    """Revert one entry: 200 with the revert's change set, 400 with the rule it would break, 404."""
    try:
        change_set = revert_entry(team=team, object_type=kind, history_id=history_id, user=request.user)
    except LookupError:
        return not_found()
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"reverted": f"{kind}-{history_id}", "at": change_set.at.isoformat() if change_set else None})
