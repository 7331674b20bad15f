"""How a member's task lists write a task's dates and cadence, in the active language: the member page and
My duties (their tasks, and the tasks they are Accountable for, Consulted on or Informed of).

A long list repeats its dates and cadences: each is written once per language (the catalogs are fixed).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import lru_cache

from django.utils.dates import MONTHS_3
from django.utils.formats import localize
from django.utils.translation import gettext as _

from assignments.models import Task


def short_date(day: datetime.date) -> str:
    """``date_format(day, "j M Y")`` ("7 Dec 2026", "7 Des 2026"), without its parser: a table writes many."""
    return f"{day.day} {MONTHS_3[day.month].title()} {day.year}"


@lru_cache(maxsize=4096)
def short_date_in(language: str, day: datetime.date) -> str:
    return short_date(day)


@lru_cache(maxsize=1024)
def cadence_in(language: str, cadence: str, effort_hours: Decimal) -> str:
    """ "Daily, 2.00 h": the cadence and the effort of each time."""
    effort = _("%(hours)s h") % {"hours": localize(effort_hours)}
    return f"{Task.Cadence(cadence).label}, {effort}"


def dates_in(language: str, start: datetime.date, end: datetime.date | None) -> str:
    """ "7 Dec 2026" (one day), "7 Dec 2026 – 29 Jan 2027", or "from 7 Dec 2026" (open-ended)."""
    first = short_date_in(language, start)
    if end == start:
        return first
    if end is not None:
        return f"{first} – {short_date_in(language, end)}"
    return _("from %(start)s") % {"start": first}
