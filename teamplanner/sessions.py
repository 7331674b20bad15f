"""Idle sessions without a database write on every request.

Sessions end after ``TEAMPLANNER_SESSION_IDLE_MINUTES`` without a request. Saving the session on every
request (``SESSION_SAVE_EVERY_REQUEST``) would move its expiry exactly, at the price of one database
write per page view; this middleware saves it only when its expiry is more than
``REFRESH_SECONDS`` old, so a session ends between the idle timeout minus a minute and the timeout.
"""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

REFRESH_SECONDS = 60
REFRESHED_KEY = "teamplanner_refreshed"


class IdleSessionMiddleware:
    """After SessionMiddleware: marks a live session for saving (a new expiry) once a minute at most."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if session.modified or now - session.get(REFRESHED_KEY, 0) >= REFRESH_SECONDS:
                session[REFRESHED_KEY] = now  # saved by SessionMiddleware, with the expiry moved on
        return response


@receiver(user_logged_in)
def refreshed_at_login(sender, request, user, **kwargs):
    """A login saves the session anyway: the next minute's requests need not write it again."""
    if request is not None and hasattr(request, "session"):
        request.session[REFRESHED_KEY] = int(time.time())
