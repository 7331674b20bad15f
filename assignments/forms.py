from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .workload import MAX_WEEKS, monday_of

DEFAULT_WEEKS = 4


class WorkloadWindowForm(forms.Form):
    """The window of a workload query: ``start`` (any day of the first week) and ``weeks``."""

    start = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Must be a date as YYYY-MM-DD.")},
    )
    weeks = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_WEEKS,
        error_messages={
            "invalid": _("Must be a whole number from 1 to %(max)s.") % {"max": MAX_WEEKS},
            "min_value": _("Must be a whole number from 1 to %(max)s.") % {"max": MAX_WEEKS},
            "max_value": _("Must be a whole number from 1 to %(max)s.") % {"max": MAX_WEEKS},
        },
    )

    def clean_start(self):
        """A start that is not a Monday means the Monday of its week; none means this week."""
        return monday_of(self.cleaned_data["start"] or timezone.localdate())

    def clean_weeks(self):
        return self.cleaned_data["weeks"] or DEFAULT_WEEKS
