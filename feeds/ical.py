"""A feed's duties written as an iCalendar file (RFC 5545) with the ``icalendar`` library.

Every event is all-day. A duty's event carries the person's hours of that day twice: in its description,
in the owner's language ("Hours: 1,50 h"), and in ``X-TEAMPLANNER-HOURS`` ("1.50", the JSON document's
form), which a program can read. Duties are ``TRANSP:TRANSPARENT`` (they do not make the whole day busy);
time off is not. UIDs name the row (``assignment-12@host``; ``team-assignment-12@host`` in a team's
feed, whose event of the same row says more, so one person subscribed to both never sees one UID with
two contents), so an event keeps its identity from one request to the next; ``DTSTAMP`` is the time of
the last recorded change, so the same plan gives the same bytes (the ETag promises it).

The calendar is an ``icalendar.Calendar``. Its events, which are tens of thousands on a large team's feed,
are written line by line: each value encoded by the library's own types (``vText``, ``vRecur``,
``vDDDLists``…) and each long line folded by its ``Contentline``, in the order its ``Event`` writes them
(``tests/test_feeds.py`` reads them back with the library and checks it writes the same bytes). Building
an ``Event`` per duty costs about half a millisecond, half a minute for a 500-person team's 53,000 events;
this way costs a twentieth of that (docs/benchmarks.md, "Calendar feeds").
"""

from __future__ import annotations

import datetime
from fractions import Fraction
from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar, vDate, vDatetime, vDDDLists, vDuration, vRecur, vText
from icalendar.parser import Contentline

from assignments.formatting import hours_display, hours_text
from roles.models import Role

from .duties import CoverDay, DutySeries, FeedDuties
from .rows import TaskRow

PRODID = "-//Teamplanner//Calendar feed//EN"
REFRESH = datetime.timedelta(hours=1)  # a hint to calendar apps; the ETag makes a poll cheap anyway
ONE_DAY = datetime.timedelta(days=1)
FOLD_AT = 75  # octets: icalendar folds a line from this length on
END = b"END:VCALENDAR\r\n"


def feed_calendar(*, duties: FeedDuties, name: str, host: str, stamp: datetime.datetime, with_names: bool) -> bytes:
    """The calendar named ``name`` (in the active language); ``with_names``: a team's feed, every event says whose."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add(
        "x-wr-caldesc",
        _("Duties from Teamplanner. Anyone with this calendar's address can read it: replace the address if it leaks."),
    )
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    head = calendar.to_ical()
    writer = _Events(host, stamp, uid_prefix="team-" if with_names else "")
    for series in duties.series:
        writer.series(series, with_names)
    for day in duties.cover_days:
        writer.cover_day(day, with_names)
    for period in duties.time_off:
        away = _("Time off")
        summary = f"{period.member_name} · {away}" if with_names else away
        writer.event(f"time-off-{period.id}", summary, period.start_date, period.end_date + ONE_DAY)
        if period.reason:
            writer.line("DESCRIPTION", vText(period.reason).to_ical())
        writer.line("END", b"VEVENT")
    return head[: -len(END)] + b"".join(writer.lines) + END


class _Events:
    """The events' content lines, as ``icalendar.Event.to_ical`` writes them."""

    def __init__(self, host: str, stamp: datetime.datetime, uid_prefix: str):
        self.host = host
        self.uid_prefix = uid_prefix
        self.stamp = vDatetime(stamp).to_ical()
        self.lines: list[bytes] = []

    def line(self, name: str, value: bytes, parameters: str = "") -> None:
        self.lines.append(_line(name, value, parameters))

    def event(self, uid: str, summary: str, first: datetime.date, end: datetime.date) -> None:
        """BEGIN and the lines in the Event's canonical order up to UID; the caller adds the rest and END."""
        self.line("BEGIN", b"VEVENT")
        self.line("SUMMARY", vText(summary).to_ical())
        self.line("DTSTART", _date(first), ";VALUE=DATE")
        self.line("DTEND", _date(end), ";VALUE=DATE")
        self.line("DTSTAMP", self.stamp)
        self.line("UID", f"{self.uid_prefix}{uid}@{self.host}".encode())

    def series(self, series: DutySeries, with_names: bool) -> None:
        assignment, task = series.assignment, series.task
        summary = f"{task.title} · {assignment.member_name}" if with_names else task.title
        self.event(f"assignment-{assignment.id}", summary, series.first, series.first + ONE_DAY)
        if series.rule is not None:
            self.lines.append(_rule(tuple(series.rule.items())))
        if series.excluded:
            self.line("EXDATE", vDDDLists(series.excluded).to_ical(), ";VALUE=DATE")
        self._described(task, series.hours, assignment.share_percent)

    def cover_day(self, day: CoverDay, with_names: bool) -> None:
        cover, task = day.cover, day.task
        for_whom = _("for %(name)s") % {"name": cover.assignment.member_name}
        who = f" · {cover.member_name}" if with_names else ""
        self.event(f"cover-{cover.id}-{day.day:%Y%m%d}", f"{task.title}{who} ({for_whom})", day.day, day.day + ONE_DAY)
        self._described(task, day.hours, cover.assignment.share_percent)

    def _described(self, task: TaskRow, hours: Fraction, share_percent: int) -> None:
        """The person's hours of the day (their share), the role and its focus, the task's description; END."""
        self.lines.append(_described(get_language(), task, hours, share_percent))


def _line(name: str, value: bytes, parameters: str = "") -> bytes:
    """One content line, folded by the library's ``Contentline`` when it is long."""
    text = f"{name}{parameters}:".encode() + value
    return (Contentline(text.decode()).to_ical() if len(text) >= FOLD_AT else text) + b"\r\n"


# A team's duties repeat their tasks, shares, rules and days: each is encoded once (the catalogs are fixed).
@lru_cache(maxsize=16384)
def _described(language: str, task: TaskRow, hours: Fraction, share_percent: int) -> bytes:
    lines = [
        _("Hours: %(hours)s h (a %(share)s %% share)") % {"hours": hours_display(hours), "share": share_percent},
        _("Role: %(role)s (%(focus)s)") % {"role": task.role_name, "focus": Role.Focus(task.focus).label},
    ]
    if task.description:
        lines += ["", task.description]
    return b"".join(
        [
            _line("DESCRIPTION", vText("\n".join(lines)).to_ical()),
            _line("TRANSP", b"TRANSPARENT"),
            _line("X-TEAMPLANNER-HOURS", hours_text(hours).encode()),
            _line("END", b"VEVENT"),
        ]
    )


@lru_cache(maxsize=1024)
def _rule(parts: tuple) -> bytes:
    return _line("RRULE", vRecur(dict(parts)).to_ical())  # in RFC 5545's order of the parts, whatever theirs


@lru_cache(maxsize=8192)
def _date(day: datetime.date) -> bytes:
    return vDate(day).to_ical()


def forget_memos() -> None:
    """Empty the encodings kept per process: the next feed pays what the first one after a start does."""
    for memo in (_described, _rule, _date):
        memo.cache_clear()
