"""The workload document as JSON, for a team's managers and staff (docs/rules.md, "Workload document (JSON)")."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assignments import selectors
from assignments.forms import WorkloadWindowForm

from .common import HtmxHttpRequest, managed_team_or_404


@require_GET
def team_workload_api(request: HtmxHttpRequest, slug: str) -> JsonResponse:
    """The workload document of a team (session authentication).

    Anonymous: 401 (JSON, no login redirect). Not a manager of this team: 404, the same as a team
    that does not exist (the pages' own access check). Bad parameters: 400 naming them.
    """
    if not request.user.is_authenticated:
        response = JsonResponse({"error": _("Authentication required.")}, status=401)
        response["WWW-Authenticate"] = 'Session realm="Teamplanner"'
        return response
    try:
        team = managed_team_or_404(request, slug)
    except Http404:
        return JsonResponse({"error": _("Not found.")}, status=404)
    window = WorkloadWindowForm(request.GET)
    if not window.is_valid():
        return JsonResponse({"errors": {name: list(errors) for name, errors in window.errors.items()}}, status=400)
    document = selectors.team_workload_document(
        team=team, start=window.cleaned_data["start"], weeks=window.cleaned_data["weeks"]
    )
    return JsonResponse(document)
