"""The SVG bar chart of a member's weeks: operational and strategic hours stacked, against capacity.

Coordinates only; ``templates/assignments/_chart.html`` draws it, with the same figures as a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from assignments.loads import WeekLoad


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
class Chart:
    """A stacked operational/strategic bar per week against a capacity line, in SVG user units."""

    width: int
    height: int
    top: int
    bottom: int
    bars: list[ChartBar]
    gridlines: list[tuple[float, int]]  # (y, hours)


def workload_chart(weeks: list[WeekLoad], width: int = 640, height: int = 220) -> Chart:
    top, bottom, left = 10, height - 24, 36
    highest = max([float(w.total_hours) for w in weeks] + [float(w.capacity_hours) for w in weeks] + [1.0])
    step = 10 if highest <= 60 else 20
    ceiling = (int(highest * 1.1) // step + 1) * step
    scale = (bottom - top) / ceiling
    slot = (width - left) / max(len(weeks), 1)

    def y(hours: Fraction) -> float:
        return round(bottom - float(hours) * scale, 1)

    bars = []
    for index, load in enumerate(weeks):
        x = round(left + index * slot + slot * 0.2, 1)
        operational_top = y(load.operational_hours)
        total_top = y(load.total_hours)
        bars.append(
            ChartBar(
                load=load,
                x=x,
                width=round(slot * 0.6, 1),
                operational_y=operational_top,
                operational_height=round(bottom - operational_top, 1),
                strategic_y=total_top,
                strategic_height=round(operational_top - total_top, 1),
                capacity_y=y(load.capacity_hours),
            )
        )
    gridlines = [(y(Fraction(hours)), hours) for hours in range(0, ceiling + 1, step)]
    return Chart(width=width, height=height, top=top, bottom=bottom, bars=bars, gridlines=gridlines)
