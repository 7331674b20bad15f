"""A digest as an email: text and HTML (inline styles only, no images), in the recipient's language.

The words come from the pages' own helpers (a duty's line as My duties writes it, the flag lines, the cover
sentences, the hours and dates of ``assignments.formatting``), so a digest says what the pages say, in the
same numbers: Indonesian gets "5,50 jam".
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from django.core.mail import EmailMultiAlternatives
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assignments.flag_lines import flag_lines
from assignments.flags import FlagKind
from assignments.formatting import band_name, day_text, hours_display, percent_text
from assignments.models import Task
from assignments.selectors.member import cover_lines
from assignments.views.duties import duty_line

from .digests import Digest
from .messages import multipart
from .models import SentMessage


@dataclass(frozen=True)
class DigestDuty:
    title: str
    role: str
    channel: str  # "" when the task has none
    hours: str  # "2.00 h"
    note: str  # "for NAME", "you are away · NAME covers", or ""
    away: bool


@dataclass(frozen=True)
class DigestDay:
    heading: str  # "Monday 30 Nov"
    duties: list[DigestDuty]


def digest_message(digest: Digest, *, connection=None) -> EmailMultiAlternatives:
    """The digest as a multipart/alternative message (text, then HTML) to the member's email."""
    return multipart(
        digest, template="digest", kind=SentMessage.Kind.DIGEST, context_of=digest_context, connection=connection
    )


def digest_context(digest: Digest) -> dict:
    """What the templates write, in the active language."""
    load = digest.load
    flags = [line for line in flag_lines(digest.flags) if line.kind != FlagKind.DUAL_ROLE]
    dual_role = next((flag for flag in digest.flags if flag.kind == FlagKind.DUAL_ROLE), None)
    return {
        "subject": _("Your duties for the week of %(week)s") % {"week": day_text(digest.week)},
        "member": digest.member,
        "language": digest.language,
        "week": day_text(digest.week),
        "days": _days(digest),
        "time_off": [_time_off_text(row) for row in digest.time_off],
        "covers": cover_lines(digest.covers_given, digest.covers_received),
        "load": _("%(hours)s of %(capacity)s h planned")
        % {"hours": hours_display(load.total_hours), "capacity": hours_display(load.capacity_hours)},
        "utilization": percent_text(load.utilization) if load.utilization is not None else "",
        "band": band_name(load.band),
        "dual_role": dual_role.sentence() if dual_role else "",
        "dual_role_acknowledged": bool(dual_role and dual_role.acknowledged),
        "flags": [line.sentence for line in flags],
    }


def _days(digest: Digest) -> list[DigestDay]:
    member = digest.member
    days = []
    for day, on_day in groupby(digest.duties, key=lambda duty: duty.date):
        duties = []
        for duty in on_day:
            line = duty_line(duty, member)
            channel = digest.channels.get(duty.task.id, "")
            duties.append(
                DigestDuty(
                    title=line.title,
                    role=duty.task.role.name,
                    channel=str(Task.Channel(channel).label) if channel else "",
                    hours=line.hours,
                    note=line.note,
                    away=line.away,
                )
            )
        days.append(DigestDay(date_format(day, "l j M"), duties))
    return days


def _time_off_text(row) -> str:
    dates = day_text(row.start_date)
    if row.end_date != row.start_date:
        dates = f"{dates} – {day_text(row.end_date)}"
    return f"{dates}: {row.reason}" if row.reason else dates
