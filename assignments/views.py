from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from roles.models import Team
from roles.permissions import managed_team

from .document import workload_document
from .forms import WorkloadWindowForm
from .workload import team_workload


@require_GET
def team_workload_api(request: HttpRequest, slug: str) -> JsonResponse:
    """The workload document of a team, for its managers and staff (session authentication).

    Anonymous: 401 (JSON, no login redirect). Not a manager of this team: 404,
    the same as a team that does not exist. Bad parameters: 400 naming them.
    """
    if not request.user.is_authenticated:
        response = JsonResponse({"error": _("Authentication required.")}, status=401)
        response["WWW-Authenticate"] = 'Session realm="Teamplanner"'
        return response
    try:
        team = managed_team(user=request.user, slug=slug)
    except Team.DoesNotExist:
        return JsonResponse({"error": _("Not found.")}, status=404)
    window = WorkloadWindowForm(request.GET)
    if not window.is_valid():
        return JsonResponse({"errors": {name: list(errors) for name, errors in window.errors.items()}}, status=400)
    result = team_workload(team=team, start=window.cleaned_data["start"], weeks=window.cleaned_data["weeks"])
    return JsonResponse(workload_document(result))
