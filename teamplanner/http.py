"""HTTP details shared by the project's plain endpoints (health check, JSON API)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse


def head_without_body(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer HEAD as GET would, status and headers, but with no body.

    Monitors and load balancers probe with HEAD. Django's test client and runserver drop a HEAD
    body themselves, but not every WSGI server does: the view drops it, keeping the length GET
    would have sent (RFC 9110, 9.3.2).
    """

    @wraps(view)
    def answer(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.method == "HEAD" and not response.streaming:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    return answer
