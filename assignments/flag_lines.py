"""Flags as a manager reads them: one line per person (or role, or task) and kind.

The JSON keeps one flag per week (``over_allocated``) and per day (``duty_uncovered``); on a page
that is a wall of near-identical sentences. ``flag_lines`` folds those into one line each, listing
the weeks or days ("Eko Wibowo is over capacity in 5 weeks, 30 Nov – 28 Dec: 44.00 h of 40.00 h
each."); every other kind already says one thing per line and keeps its own sentence.

A line writes its sentence when it is read (``FlagLine.sentence``): a page lists the first 50 lines of
a kind and counts the rest, so a large team's hundreds of lines cost a fold each, not a sentence each.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .flags import DutyUncoveredFlag, Flag, FlagKind, OverAllocatedFlag
from .formatting import hours_display

WEEK = datetime.timedelta(days=7)
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class FlagLine:
    """One line of a page's flag list; ``flag`` is the first folded flag (whose links the line shows)."""

    flags: tuple[Flag, ...]

    @cached_property
    def sentence(self) -> str:
        """Written when first read, in the language active then (a kind of ``FOLDED`` says its weeks or days)."""
        fold = FOLDED.get(self.kind)
        return fold(list(self.flags)) if fold else self.flag.sentence()

    def __getstate__(self) -> dict:
        """The flags only: the plan's cache keeps lines, never a sentence in the language of whoever read it."""
        return {"flags": self.flags}

    @property
    def flag(self) -> Flag:
        return self.flags[0]

    @property
    def kind(self) -> str:
        return self.flag.kind


def dates_text(dates: list[datetime.date], step: datetime.timedelta) -> str:
    """Runs of consecutive dates as ranges: "30 Nov – 14 Dec, 4 Jan" (weeks by their Monday)."""
    runs: list[list[datetime.date]] = []
    for date in sorted(dates):
        if runs and date - runs[-1][-1] == step:
            runs[-1].append(date)
        else:
            runs.append([date])
    return ", ".join(
        date_format(run[0], "j M") if len(run) == 1 else f"{date_format(run[0], 'j M')} – {date_format(run[-1], 'j M')}"
        for run in runs
    )


def _over_allocated_line(flags: list[OverAllocatedFlag]) -> str:
    weeks = [flag.week for flag in flags]
    figures = {(week.total_hours, week.capacity_hours) for week in weeks}
    values = {
        "name": flags[0].member.name,
        "count": len(weeks),
        "weeks": dates_text([week.week for week in weeks], WEEK),
    }
    if len(figures) == 1:
        total, capacity = figures.pop()
        return ngettext(
            "%(name)s is over capacity in %(count)s week, %(weeks)s: %(total)s h of %(capacity)s h.",
            "%(name)s is over capacity in %(count)s weeks, %(weeks)s: %(total)s h of %(capacity)s h each.",
            len(weeks),
        ) % (values | {"total": hours_display(total), "capacity": hours_display(capacity)})
    worst = max(weeks, key=lambda week: (week.utilization or Fraction(10**9), week.total_hours))
    return _(
        "%(name)s is over capacity in %(count)s weeks, %(weeks)s: at most %(total)s h of %(capacity)s h "
        "(week of %(worst)s)."
    ) % (
        values
        | {
            "total": hours_display(worst.total_hours),
            "capacity": hours_display(worst.capacity_hours),
            "worst": date_format(worst.week, "j M"),
        }
    )


def _duty_uncovered_line(flags: list[DutyUncoveredFlag]) -> str:
    tasks = sorted({flag.task.title for flag in flags})
    return ngettext(
        "%(name)s has %(count)s duty on days off (%(days)s): %(tasks)s; %(hours)s h uncovered.",
        "%(name)s has %(count)s duties on days off (%(days)s): %(tasks)s; %(hours)s h uncovered.",
        len(flags),
    ) % {
        "name": flags[0].member.name,
        "count": len(flags),
        "days": dates_text(sorted({flag.date for flag in flags}), DAY),
        "tasks": ", ".join(tasks),
        "hours": hours_display(sum((flag.hours for flag in flags), Fraction(0))),
    }


FOLDED = {FlagKind.OVER_ALLOCATED: _over_allocated_line, FlagKind.DUTY_UNCOVERED: _duty_uncovered_line}


def flag_lines(flags: Iterable[Flag]) -> list[FlagLine]:
    """The flags in their order, those of ``FOLDED`` kinds folded per member (at their first place).

    Every kind raised per week or per day (``over_allocated``, ``duty_uncovered``) is in ``FOLDED``;
    the others are raised once per member, role or task, so each flag is its own line.
    """
    lines: list[FlagLine | None] = []
    folded: dict[tuple[str, int], tuple[int, list[Flag]]] = {}
    for flag in flags:
        if flag.kind not in FOLDED:
            lines.append(FlagLine((flag,)))
            continue
        key = (flag.kind, flag.member.id)
        if key not in folded:
            folded[key] = (len(lines), [])
            lines.append(None)  # the line's place, filled below
        folded[key][1].append(flag)
    for place, group in folded.values():
        lines[place] = FlagLine(tuple(group))
    return lines
