"""My duties: a member's today, this week, roles and coming load (docs/rules.md, "Pages").

The duty lists are most of what the page costs with many duties: each line comes with its words ready
(``DutyLine``: a few strings, in the active language), and the template writes them in one loop per list,
without an include per line.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assignments import selectors
from assignments.formatting import hours_display
from assignments.loads import Occurrence
from roles.models import TeamMember
from roles.permissions import member_of

from .common import HtmxHttpRequest


@dataclass(frozen=True)
class DutyLine:
    """One duty: their own, one they cover for someone away, or their own on a day away (``away``)."""

    focus: str
    title: str
    note: str  # who it is for, or who covers it on their day away; "" for their own on a working day
    hours: str  # "2.00 h"
    away: bool


@dataclass(frozen=True)
class DutyDay:
    heading: str  # "Monday 30 Nov"
    is_today: bool
    lines: list[DutyLine]


def duty_line(duty: Occurrence, member: TeamMember) -> DutyLine:
    away = False
    if duty.member.id != member.pk:
        note = _("for %(name)s") % {"name": duty.member.name}
    elif not duty.counted:
        away = True
        if duty.covered_by:
            note = _("you are away · %(name)s covers") % {"name": duty.covered_by.name}
        else:
            note = _("you are away · nobody covers yet")
    else:
        note = ""
    return DutyLine(duty.task.role.focus, duty.task.title, note, _hours_in(get_language(), duty.hours), away)


@lru_cache(maxsize=1024)
def _hours_in(language: str, hours: Fraction) -> str:
    """ "2.00 h": a week's duties repeat a few figures, each written once per language (the catalogs are fixed)."""
    return _("%(hours)s h") % {"hours": hours_display(hours)}


def duty_days(duties: list[Occurrence], member: TeamMember, today: datetime.date) -> list[DutyDay]:
    """The duties (by date, then title) under their days."""
    return [
        DutyDay(date_format(day, "l j M"), day == today, [duty_line(duty, member) for duty in on_day])
        for day, on_day in groupby(duties, key=lambda duty: duty.date)
    ]


@login_required
@require_GET
def my_duties(request: HtmxHttpRequest) -> HttpResponse:
    """Only for an active member; anyone else is told they are not on a team (404)."""
    member = member_of(user=request.user)
    if member is None:
        return render(request, "not_on_a_team.html", status=404)
    today = timezone.localdate()
    duties = selectors.my_duties(member=member, today=today)
    context = {
        "member": member,
        "today": today,
        "duties": duties,
        "today_lines": [duty_line(duty, member) for duty in duties.today],
        "this_week_days": duty_days(duties.this_week, member, today),
        "next_week_days": duty_days(duties.next_week, member, today),
        "active": "me",
    }
    return render(request, "assignments/my_duties.html", context)
