"""The SVG bar chart of a member's weeks: operational and strategic hours stacked, against capacity.

Coordinates only; ``templates/assignments/_chart.html`` draws it, with the same figures as a table.
The axis steps by a "nice" number of hours (1, 2, 5 × 10^n), so it has a handful of grid lines
whether the highest week is half an hour or seventy thousand.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from django.utils.formats import number_format

from assignments.loads import WeekLoad

MAX_GRID_LINES = 8  # 0 included: at most seven intervals
HEADROOM = Fraction(11, 10)  # the highest bar or capacity line stays below the top grid line
LABEL_CHARACTER_WIDTH = 6.5  # an axis label's digit at 11 px, in user units (a little generous)


@dataclass
class ChartBar:
    load: WeekLoad
    x: float
    width: float
    operational_y: float
    operational_height: float
    strategic_y: float
    strategic_height: float
    capacity_y: float

    @property
    def half_width(self) -> float:
        return self.width / 2


@dataclass
class Gridline:
    y: float
    hours: int
    label: str  # the hours in the active language's number format ("20,000"; "20.000" in Indonesian)


@dataclass
class Chart:
    """A stacked operational/strategic bar per week against a capacity line, in SVG user units."""

    width: int
    height: int
    top: int
    bottom: int
    left: float  # where the plot starts: right of the widest axis label
    bars: list[ChartBar]
    gridlines: list[Gridline]  # from 0 up, at most MAX_GRID_LINES


def nice_numbers() -> Iterator[int]:
    """1, 2, 5, 10, 20, 50, 100, …"""
    magnitude = 1
    while True:
        for multiple in (1, 2, 5):
            yield multiple * magnitude
        magnitude *= 10


def axis_step(highest: Fraction) -> int:
    """The smallest nice number of hours (at least 1) that reaches ``highest`` in at most seven steps."""
    return next(step for step in nice_numbers() if highest <= step * (MAX_GRID_LINES - 1))


def workload_chart(weeks: list[WeekLoad], width: int = 640, height: int = 220) -> Chart:
    top, bottom = 10, height - 24
    highest = max([w.total_hours for w in weeks] + [w.capacity_hours for w in weeks] + [Fraction(0)]) * HEADROOM
    step = axis_step(highest)
    ceiling = max(math.ceil(highest / step), 1) * step
    scale = Fraction(bottom - top, ceiling)

    def y(hours: Fraction) -> float:
        return round(float(bottom - hours * scale), 1)

    gridlines = [
        Gridline(y(Fraction(hours)), hours, number_format(hours, force_grouping=True))
        for hours in range(0, ceiling + 1, step)
    ]
    left = max(36.0, 6 + LABEL_CHARACTER_WIDTH * max(len(line.label) for line in gridlines))
    slot = (width - left) / max(len(weeks), 1)
    bars = []
    for index, load in enumerate(weeks):
        operational_top = y(load.operational_hours)
        total_top = y(load.total_hours)
        bars.append(
            ChartBar(
                load=load,
                x=round(left + index * slot + slot * 0.2, 1),
                width=round(slot * 0.6, 1),
                operational_y=operational_top,
                operational_height=round(bottom - operational_top, 1),
                strategic_y=total_top,
                strategic_height=round(operational_top - total_top, 1),
                capacity_y=y(load.capacity_hours),
            )
        )
    return Chart(width=width, height=height, top=top, bottom=bottom, left=left, bars=bars, gridlines=gridlines)
