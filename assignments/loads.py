"""What the workload engine returns: exact figures per member and week, and the bands.

Plain values, no queries: the engine (``workload``) builds them, the flags,
pages, document and commands read them. docs/rules.md, "Workload (exact)".
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property, lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from roles.models import Team

from .workload_rows import MemberInfo, RoleInfo, TaskInfo

UNITS_PER_HOUR = 10_000  # effort cents × share percent: ten-thousandths of an hour


def effort_cents(effort_hours: Decimal) -> int:
    """A task's effort in hundredths of an hour, the engine's integer (× a share percent: units)."""
    return int(effort_hours * 100)


def hours_of_units(units: int, divisor: int) -> Fraction:
    """The hours of ``units`` (effort cents × share percent) spread over ``divisor`` days, exactly."""
    return Fraction(units, divisor * UNITS_PER_HOUR)


class Band:
    UNDER = "under"
    HEALTHY = "healthy"
    FULL = "full"
    OVER = "over"
    OFF = "off"


@lru_cache(maxsize=1)
def band_thresholds() -> tuple[Fraction, Fraction, Fraction]:
    """The healthy minimum, healthy maximum and full maximum, as exact ratios (settings; read once, and
    again when a test changes them)."""
    return (
        Fraction(settings.TEAMPLANNER_BAND_HEALTHY_MIN),
        Fraction(settings.TEAMPLANNER_BAND_HEALTHY_MAX),
        Fraction(settings.TEAMPLANNER_BAND_FULL_MAX),
    )


@receiver(setting_changed)
def _thresholds_changed(*, setting: str, **kwargs) -> None:
    if setting.startswith("TEAMPLANNER_BAND_"):
        band_thresholds.cache_clear()


def band_of(total: Fraction, capacity: Fraction) -> str:
    """The band from the exact ratio, never the rounded one (rule 8)."""
    if capacity == 0:
        return Band.OFF if total == 0 else Band.OVER
    healthy_min, healthy_max, full_max = band_thresholds()
    ratio = total / capacity
    if ratio < healthy_min:
        return Band.UNDER
    if ratio <= healthy_max:
        return Band.HEALTHY
    if ratio <= full_max:
        return Band.FULL
    return Band.OVER


@dataclass(frozen=True)
class WeekLoad:
    """One member's (or the team's) figures for one week, exact."""

    week: datetime.date
    operational_hours: Fraction
    strategic_hours: Fraction
    capacity_hours: Fraction

    @cached_property
    def total_hours(self) -> Fraction:
        return self.operational_hours + self.strategic_hours

    @cached_property
    def utilization(self) -> Fraction | None:
        return None if self.capacity_hours == 0 else self.total_hours / self.capacity_hours

    @cached_property
    def band(self) -> str:
        return band_of(self.total_hours, self.capacity_hours)


@dataclass
class MemberWorkload:
    member: MemberInfo | None  # None: an inactive member's empty load (pages only)
    weeks: list[WeekLoad]
    operational_hours: Fraction  # over the whole window
    strategic_hours: Fraction
    acknowledged: bool = False
    holdings: list[RoleInfo] = field(default_factory=list)  # roles held in the window


@dataclass(slots=True)
class Occurrence:
    """One occurrence of a task for one assignee (rule 4), and who does it when they are away (Covers)."""

    task: TaskInfo
    member: MemberInfo
    date: datetime.date
    units: int  # effort cents × share percent, to divide by ``divisor`` × UNITS_PER_HOUR
    divisor: int
    counted: bool  # False: it falls in the member's time off and does not count for them
    covered_by: MemberInfo | None = None  # away, and this substitute does it: it counts for them instead

    @property
    def hours(self) -> Fraction:
        """The member's share of this occurrence."""
        return hours_of_units(self.units, self.divisor)


@dataclass
class TeamWorkload:
    team: Team
    weeks: list[datetime.date]
    members: list[MemberWorkload]
    totals: list[WeekLoad]
    tasks: list[TaskInfo]
    # task id -> the shares of its active assignees, added up
    assigned_shares: dict[int, int]
    # the occurrences that fell in time off (covered or not), and the counted ones of ``occurrences_of``
    occurrences: list[Occurrence]

    @property
    def start(self) -> datetime.date:
        return self.weeks[0]

    @property
    def end(self) -> datetime.date:
        return self.weeks[-1] + datetime.timedelta(days=6)


def exact_hours(whole_units: int, divided_units: dict[int, int] | None) -> Fraction:
    """Hours from units of recurring work plus {divisor: units} of one-off work, exactly."""
    if not divided_units:
        return Fraction(whole_units, UNITS_PER_HOUR)
    common = math.lcm(*divided_units)
    units = whole_units * common + sum(value * (common // divisor) for divisor, value in divided_units.items())
    return Fraction(units, common * UNITS_PER_HOUR)
