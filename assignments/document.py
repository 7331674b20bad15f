"""The workload document (docs/rules.md, "Workload document (JSON)"): the JSON that
the ``workload`` command and the API both return, and the command's text form."""

from __future__ import annotations

import datetime
from collections import defaultdict
from fractions import Fraction
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .calendars import monday_of
from .formatting import band_name, hours_display, hours_text, percent_text, ratio_text
from .loads import TeamWorkload, WeekLoad
from .report import TeamReport


def week_json(load: WeekLoad) -> dict[str, Any]:
    return {
        "week": load.week.isoformat(),
        "operational_hours": hours_text(load.operational_hours),
        "strategic_hours": hours_text(load.strategic_hours),
        "total_hours": hours_text(load.total_hours),
        "capacity_hours": hours_text(load.capacity_hours),
        "utilization": ratio_text(load.utilization),
        "band": load.band,
    }


def workload_document(report: TeamReport) -> dict[str, Any]:
    """Members sorted by name (then email); flags in the engine's documented order."""
    result = report.workload
    members = sorted(result.members, key=lambda workload: (workload.member.name, workload.member.email))
    return {
        "team": result.team.slug,
        "weeks": [week.isoformat() for week in result.weeks],
        "members": [
            {
                "email": workload.member.email,
                "name": workload.member.name,
                "weeks": [week_json(load) for load in workload.weeks],
            }
            for workload in members
        ],
        "totals": [
            {
                "week": load.week.isoformat(),
                "total_hours": hours_text(load.total_hours),
                "capacity_hours": hours_text(load.capacity_hours),
                "utilization": ratio_text(load.utilization),
            }
            for load in result.totals
        ],
        "flags": [flag.as_json() for flag in report.flags],
    }


def covering_hours(result: TeamWorkload) -> dict[tuple[int, datetime.date], dict[str, Fraction]]:
    """(substitute id, week) -> {the away member's name: the hours the substitute covers for them}."""
    covering: dict = defaultdict(lambda: defaultdict(Fraction))
    for occurrence in result.occurrences:
        if occurrence.covered_by is not None:
            key = (occurrence.covered_by.id, monday_of(occurrence.date))
            covering[key][occurrence.member.name] += occurrence.hours
    return covering


def workload_text(report: TeamReport) -> str:
    """A readable table, members × weeks (hours / capacity and band; ``*``: includes hours covering for
    someone away, listed below the table), then the flags as sentences."""
    result = report.workload
    covering = covering_hours(result)
    header = [_("Member")] + [date_format(week, "j M") for week in result.weeks]
    members = sorted(result.members, key=lambda w: (w.member.name, w.member.email))
    rows = [
        [workload.member.name]
        + [
            f"{hours_display(load.total_hours)}/{hours_display(load.capacity_hours)} {band_name(load.band)}"
            + ("*" if (workload.member.id, load.week) in covering else "")
            for load in workload.weeks
        ]
        for workload in members
    ]
    rows.append(
        [_("Team")]
        + [
            f"{hours_display(load.total_hours)}/{hours_display(load.capacity_hours)}"
            + (f" {percent_text(load.utilization)}" if load.utilization is not None else "")
            for load in result.totals
        ]
    )
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.ljust(width) if column == 0 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    lines = [
        ngettext(
            "Workload of team %(team)s, %(weeks)s week from %(start)s (hours / capacity, band)",
            "Workload of team %(team)s, %(weeks)s weeks from %(start)s (hours / capacity, band)",
            len(result.weeks),
        )
        % {"team": result.team.name, "weeks": len(result.weeks), "start": date_format(result.start, "j M Y")},
        "",
        line(header),
        line(["-" * width for width in widths]),
        *(line(row) for row in rows),
        "",
    ]
    lines.extend(_covering_lines(members, result.weeks, covering))
    if report.flags:
        lines.append(_("Flags (%(count)s):") % {"count": len(report.flags)})
        lines.extend(f"  - {flag.sentence()}" for flag in report.flags)
    else:
        lines.append(_("No flags."))
    return "\n".join(lines) + "\n"


def _covering_lines(members: list, weeks: list[datetime.date], covering: dict) -> list[str]:
    """The legend of the table's ``*``: who covers whom, how many hours, in which week (nothing without covers)."""
    if not covering:
        return []
    lines = [_("* includes hours covering for someone away:")]
    for workload in members:
        for week in weeks:
            for away, hours in covering.get((workload.member.id, week), {}).items():
                details = {
                    "member": workload.member.name,
                    "week": date_format(week, "j M"),
                    "hours": hours_display(hours),
                    "away": away,
                }
                lines.append("  " + _("%(member)s, week of %(week)s: %(hours)s h for %(away)s") % details)
    return [*lines, ""]
