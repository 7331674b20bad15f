"""The dates people enter into the plan: their range, and "end on or after start", for every dated model."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

END_BEFORE_START = _("The end date must be on or after the start date.")

# The dates a person can enter, far from the calendar's ends: every window, week link and drill-down stays a date.
FIRST_DATE = datetime.date(1900, 1, 1)
LAST_DATE = datetime.date(2999, 12, 31)


def validate_plan_date(value: datetime.date | None) -> None:
    if value is not None and not FIRST_DATE <= value <= LAST_DATE:
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s."),
            code="date_out_of_range",
            params={"first": FIRST_DATE.isoformat(), "last": LAST_DATE.isoformat()},
        )


def dates_in_range(prefix: str, *fields: str) -> models.CheckConstraint:
    """The database's copy of ``validate_plan_date`` for a table's date fields (an empty one passes)."""
    condition = Q()
    for name in fields:
        condition &= Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__range": (FIRST_DATE, LAST_DATE)})
    return models.CheckConstraint(
        condition=condition,
        name=f"{prefix}_dates_in_range",
        violation_error_message=_("Dates must be between 1900-01-01 and 2999-12-31."),  # FIRST_DATE, LAST_DATE
    )


def check_dates_in_order(start_date, end_date) -> None:
    """The one "end on or after start" check, from each dated model's ``clean()``, reported on ``end_date``."""
    if start_date is not None and end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": END_BEFORE_START})


def end_on_or_after_start(prefix: str, *, end_optional: bool) -> models.CheckConstraint:
    condition = Q(end_date__gte=F("start_date"))
    if end_optional:
        condition |= Q(end_date__isnull=True)
    return models.CheckConstraint(
        condition=condition, name=f"{prefix}_end_on_or_after_start", violation_error_message=END_BEFORE_START
    )
