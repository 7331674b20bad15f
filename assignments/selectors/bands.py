"""The workload bands as the pages show them: which bands a legend lists, and the thresholds it states.

The thresholds are settings (docs/rules.md, "Settings that change the rules"), so the legend's
figures come from ``band_thresholds()``, never from a template; the templates name a band with the
``band_name`` filter (``assignments.formatting.BAND_NAMES``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from assignments.loads import Band, band_thresholds

BADGE_BANDS = (Band.UNDER, Band.HEALTHY, Band.FULL, Band.OVER)  # the board's workload badges
HEATMAP_BANDS = (*BADGE_BANDS, Band.OFF)  # the overview's heatmap also shows capacity 0 ("off")


@dataclass(frozen=True)
class BandLegend:
    bands: tuple[str, ...]  # band codes, in the order the legend lists them
    thresholds: str = ""  # "under 60 % · healthy 60–85 % · full 85–100 % · over 100 %" with the default settings


def threshold_percent(ratio: Fraction) -> str:
    """A threshold as a percent, exactly: 0.6 → "60", 0.875 → "87.5" ("87,5" in Indonesian)."""
    percent = ratio * 100
    if percent.denominator == 1:
        return str(percent.numerator)
    return number_format(Decimal(percent.numerator) / Decimal(percent.denominator))


def thresholds_text() -> str:
    """The band thresholds of the settings, as one sentence in the active language."""
    healthy_min, healthy_max, full_max = (threshold_percent(value) for value in band_thresholds())
    return _(
        "under %(healthy_min)s %% · healthy %(healthy_min)s–%(healthy_max)s %% · "
        "full %(healthy_max)s–%(full_max)s %% · over %(full_max)s %%"
    ) % {"healthy_min": healthy_min, "healthy_max": healthy_max, "full_max": full_max}


def heatmap_legend() -> BandLegend:
    return BandLegend(bands=HEATMAP_BANDS, thresholds=thresholds_text())


def badge_legend() -> BandLegend:
    return BandLegend(bands=BADGE_BANDS)
