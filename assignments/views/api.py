"""The JSON API for a team's managers and staff (session authentication): docs/rules.md,
"Workload document (JSON)", "Suggestions" and "Preview".

Every endpoint answers alike to who may not use it: anonymous 401 (JSON, no login redirect), not a
manager of this team 404, the same as a team that does not exist, whatever the slug (the URL takes
any path segment, so a slug no team could have is a JSON 404 too, not the HTML page). Bad
parameters get 400 naming them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps

from django.core.validators import slug_re
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assignments import selectors
from assignments.forms import SuggestionWindowForm, WorkloadWindowForm
from assignments.models import Task
from assignments.preview import PreviewError, parse_changes, preview
from assignments.suggestions import task_suggestions
from roles.models import Team
from teamplanner.http import head_without_body

from .common import HtmxHttpRequest, managed_team_or_404


def not_found() -> JsonResponse:
    return JsonResponse({"error": _("Not found.")}, status=404)


def bad_parameters(form) -> JsonResponse:
    return JsonResponse({"errors": {name: list(errors) for name, errors in form.errors.items()}}, status=400)


def team_api(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Look the team up for its managers and staff, or answer 401 / 404 as JSON; the view gets the team."""

    @wraps(view)
    def guarded(request: HtmxHttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            response = JsonResponse({"error": _("Authentication required.")}, status=401)
            response["WWW-Authenticate"] = 'Session realm="Teamplanner"'
            return response
        try:
            if not slug_re.match(slug):  # no team has it; and a NUL byte must not reach PostgreSQL
                raise Http404
            team = managed_team_or_404(request, slug)
        except Http404:
            return not_found()
        return view(request, team, *args, **kwargs)

    return guarded


@require_safe
@head_without_body
@team_api
def team_workload_api(request: HtmxHttpRequest, team: Team) -> JsonResponse:
    """The workload document of a team; GET, or HEAD for the same status without a body."""
    window = WorkloadWindowForm(request.GET)
    if not window.is_valid():
        return bad_parameters(window)
    document = selectors.team_workload_document(
        team=team, start=window.cleaned_data["start"], weeks=window.cleaned_data["weeks"]
    )
    return JsonResponse(document)


@require_safe
@head_without_body
@team_api
def task_suggestions_api(request: HtmxHttpRequest, team: Team, task_id: int) -> JsonResponse:
    """The team's active members ranked for taking an active task of the team (``share``: 1 to 100)."""
    task = Task.objects.select_related("team", "role").filter(pk=task_id, team=team, is_active=True).first()
    if task is None:
        return not_found()
    window = SuggestionWindowForm(request.GET)
    if not window.is_valid():
        return bad_parameters(window)
    found = task_suggestions(
        task=task,
        start=window.cleaned_data["start"],
        weeks=window.cleaned_data["weeks"],
        share_percent=window.cleaned_data["share"],
    )
    return JsonResponse(found.as_json())


@require_POST
@team_api
def preview_api(request: HtmxHttpRequest, team: Team) -> JsonResponse:
    """Before and after a list of changes, as JSON; writes nothing. A broken rule: 400 listing each."""
    window = WorkloadWindowForm(request.GET)
    if not window.is_valid():
        return bad_parameters(window)
    try:
        document = json.loads(request.body or b"null")
    except (ValueError, RecursionError):
        document = None
    try:
        changes = parse_changes(document)
        result = preview(
            team=team, start=window.cleaned_data["start"], weeks=window.cleaned_data["weeks"], changes=changes
        )
    except PreviewError as error:
        return JsonResponse({"errors": error.errors}, status=400)
    return JsonResponse(result.as_json())
