"""How the engine's exact figures are written: in the JSON document, and for people.

Rounding happens here and only here: half up to two places (docs/rules.md,
"Workload (exact)"). The JSON forms (``hours_text``, ``ratio_text``) never
change with the language; the forms for people (``hours_display``,
``percent_text``, ``day_text``, ``band_name``) follow the active one.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .loads import Band


def round_half_up(value: Fraction | Decimal | int) -> Decimal:
    """Round an exact value half up to two places (1/200 → 0.01), for output only."""
    value = Fraction(value)
    numerator, denominator = abs(value.numerator), value.denominator
    hundredths = (numerator * 200 + denominator) // (2 * denominator)
    return Decimal(-hundredths if value < 0 else hundredths).scaleb(-2)


def hours_text(value: Fraction) -> str:
    """Hours in the JSON document: always "7.50", whatever the language."""
    return str(round_half_up(value))


def ratio_text(value: Fraction | None) -> str | None:
    return None if value is None else str(round_half_up(value))


def hours_display(value: Fraction) -> str:
    """Hours for people, in the active language's number format ("7,50" in Indonesian)."""
    return number_format(round_half_up(value), 2)


def whole_percent(value: Fraction | Decimal) -> int:
    """A ratio as a whole percent, rounded half up: 2/7 → 29."""
    return int((Fraction(value) * 200 + 1) // 2)


def percent_text(value: Fraction | Decimal) -> str:
    """A share as a whole percent: 2/7 → "29 %" (Indonesian writes "29%")."""
    return _("%(percent)s %%") % {"percent": whole_percent(value)}


def day_text(value: datetime.date) -> str:
    """A date in a sentence, in the active language: "7 Dec 2026"."""
    return date_format(value, "j M Y")


BAND_NAMES = {
    Band.UNDER: gettext_lazy("under"),
    Band.HEALTHY: gettext_lazy("healthy"),
    Band.FULL: gettext_lazy("full"),
    Band.OVER: gettext_lazy("over"),
    Band.OFF: gettext_lazy("off"),
}


def band_name(band: str) -> str:
    """The band in the active language (the JSON keeps the English code)."""
    return str(BAND_NAMES[band])
