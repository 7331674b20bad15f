"""The workload document (docs/rules.md, "Workload document (JSON)"): the JSON that
the ``workload`` command and the API both return, and the command's text form."""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .formatting import band_name, hours_display, hours_text, percent_text, ratio_text
from .loads import WeekLoad
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


def workload_text(report: TeamReport) -> str:
    """A readable table, members × weeks (hours / capacity and band), then the flags as sentences."""
    result = report.workload
    header = [_("Member")] + [date_format(week, "j M") for week in result.weeks]
    rows = [
        [workload.member.name]
        + [
            f"{hours_display(load.total_hours)}/{hours_display(load.capacity_hours)} {band_name(load.band)}"
            for load in workload.weeks
        ]
        for workload in sorted(result.members, key=lambda w: (w.member.name, w.member.email))
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
    if report.flags:
        lines.append(_("Flags (%(count)s):") % {"count": len(report.flags)})
        lines.extend(f"  - {flag.sentence()}" for flag in report.flags)
    else:
        lines.append(_("No flags."))
    return "\n".join(lines) + "\n"
