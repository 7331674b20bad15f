"""The workload document as JSON, for a team's managers and staff (docs/rules.md, "Workload document (JSON)")."""

from __future__ import annotations

from django.core.validators import slug_re
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assignments import selectors
from assignments.forms import WorkloadWindowForm
from teamplanner.http import head_without_body

from .common import HtmxHttpRequest, managed_team_or_404


@require_safe
@head_without_body
def team_workload_api(request: HtmxHttpRequest, slug: str) -> JsonResponse:
    """The workload document of a team (session authentication); GET, or HEAD for the same status without a body.

    Anonymous: 401 (JSON, no login redirect). Not a manager of this team: 404, the same as a team
    that does not exist, whatever the slug (the URL takes any path segment, so a slug no team could
    have is a JSON 404 too, not the HTML page). Bad parameters: 400 naming them.
    """
    if not request.user.is_authenticated:
        response = JsonResponse({"error": _("Authentication required.")}, status=401)
        response["WWW-Authenticate"] = 'Session realm="Teamplanner"'
        return response
    try:
        if not slug_re.match(slug):  # no team has it; and a NUL byte must not reach PostgreSQL
            raise Http404
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
