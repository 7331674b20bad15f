from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme

from roles.navigation import navigation_of


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
    """What the header links to; read (two queries at most) only when a page shows the header."""
    return {"navigation": navigation_of(request), "language_next": SimpleLazyObject(lambda: language_next(request))}


def csp_nonce(request: HttpRequest) -> dict:
    """The CSP nonce under the name django-htmx's {% htmx_script %} reads (django-csp calls it CSP_NONCE)."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
