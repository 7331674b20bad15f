from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme

from roles.models import Team, TeamMember
from roles.permissions import member_of


@dataclass
class Navigation:
    teams: list[Team]  # teams this user manages
    member: TeamMember | None  # this user's own place on a team


def language_next(request: HttpRequest) -> str:
    """Where the language switch returns to: this page, unless it answered a POST (a form with
    errors), whose URL only takes POST; then the page the form was on, if it is ours."""
    if request.method == "GET":
        return request.get_full_path()
    referer = request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return referer
    return "/"


def navigation(request: HttpRequest) -> dict:
    """What the header links to; computed (two queries) only when a page shows the header."""

    def build() -> Navigation:
        user = request.user
        if not user.is_authenticated:
            return Navigation(teams=[], member=None)
        return Navigation(teams=list(Team.objects.filter(managers=user).order_by("name")), member=member_of(user=user))

    return {"navigation": SimpleLazyObject(build), "language_next": SimpleLazyObject(lambda: language_next(request))}


def csp_nonce(request: HttpRequest) -> dict:
    """The CSP nonce under the name django-htmx's {% htmx_script %} reads (django-csp calls it CSP_NONCE)."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
