"""Filters that show the engine's exact figures: hours with two places, shares as whole percents."""

from fractions import Fraction

from django import template
from django.utils.formats import number_format

from assignments.workload import round_half_up

register = template.Library()


@register.filter
def hours(value: Fraction | None) -> str:
    """7.5 h → "7.50" (rounded half up, in the active locale's number format)."""
    if value is None:
        return "—"
    return number_format(round_half_up(value), 2)


@register.filter
def percent(value: Fraction | None) -> str:
    """0.725 → "73 %"."""
    if value is None:
        return "—"
    return f"{number_format(round_half_up(value * 100), 0)} %"


@register.filter
def split(value: str) -> list[str]:
    return value.split()


@register.filter
def add_float(value: float, other: float) -> str:
    """SVG coordinates: value + other, one decimal."""
    return f"{float(value) + float(other):.1f}"
