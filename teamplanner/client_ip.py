"""The client's address for login throttling, also behind reverse proxies.

``X-Forwarded-For`` is believed only when the connection comes from one of
TEAMPLANNER_TRUSTED_PROXIES (a proxy on the same host, say); the client is then
the right-most address in it that is not itself a trusted proxy. A client that
talks to the app directly cannot choose its address by sending the header.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    trusted = set(settings.TEAMPLANNER_TRUSTED_PROXIES)
    if remote not in trusted:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if address not in trusted:
            return address
    return remote
