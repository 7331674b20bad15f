"""Constants and URL helpers shared by the page tests."""

import datetime

from django.urls import reverse

HTMX = {"HTTP_HX_REQUEST": "true"}
WEDNESDAY = datetime.date(2026, 12, 2)  # the frozen "today" of the page tests; its Monday is 30 November
SATURDAY = datetime.date(2026, 12, 5)


def board_url(name: str, *args) -> str:
    """A URL of the marketing team's board (``name`` of the URL, then its ids)."""
    return reverse(f"assignments:{name}", args=["marketing", *args])
