"""Filters that show the engine's exact figures: hours with two places, shares as whole percents."""

from fractions import Fraction

from django import template

from assignments.formatting import band_name as band_name_text
from assignments.formatting import hours_display, percent_text

register = template.Library()


@register.filter
def hours(value: Fraction | None) -> str:
    """7.5 h → "7.50" (rounded half up, in the active language's number format: "7,50" in Indonesian)."""
    return "—" if value is None else hours_display(value)


@register.filter
def percent(value: Fraction | None) -> str:
    """0.725 → "73 %"."""
    return "—" if value is None else percent_text(value)


@register.filter
def band_name(band: str) -> str:
    """A band code ("over") in the active language."""
    return band_name_text(band)


@register.filter
def add_float(value: float, other: float) -> str:
    """SVG coordinates: value + other, one decimal."""
    return f"{float(value) + float(other):.1f}"
