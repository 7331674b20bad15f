"""The RACI page's forms and the state a request looks at (docs/rules.md, "RACI").

The window is the overview's (``?start=`` any day of the first week, ``?weeks=``), read by the workload
API's form (``WorkloadWindowForm``) as the pages read it: a bad value is ignored and shown beside its field.
The filters (focus, role, member) and the two pages (``page``: the tasks of each focus; ``member_page``: the
member columns) are the query string too, and every link and form of the page carries them, so an answer
comes back to the matrix the manager was looking at.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.calendars import monday_of
from assignments.forms import OverviewFilterForm, WorkloadWindowForm
from assignments.raci import ACCOUNTABLE, CONSULTED, INFORMED, NONE
from assignments.selectors.overview import OVERVIEW_WEEKS
from assignments.selectors.raci import RaciWindow
from roles.models import Role

from .common import page_number

LETTER_NAMES = {
    NONE: _("None"),
    ACCOUNTABLE: _("Accountable"),
    CONSULTED: _("Consulted"),
    INFORMED: _("Informed"),
}

CHOOSE_A_LETTER = _("Choose A, C, I or none.")


class RaciFilterForm(OverviewFilterForm):
    """The matrix's filters (GET): tasks of a focus, tasks of a role, one member's column. A bad value is
    shown beside its field and ignored. The choices come from the window (``RaciWindow``): no query."""

    band = None  # the overview's heatmap filter: not the matrix's
    focus = forms.ChoiceField(label=_("Focus"), required=False, choices=[("", _("All")), *Role.Focus.choices])
    member = forms.TypedChoiceField(label=_("Member"), required=False, coerce=int, empty_value=None)
    field_order = ["focus", "role", "member"]

    def __init__(self, *args, window: RaciWindow, **kwargs):
        super().__init__(*args, roles=window.roles, **kwargs)
        self.fields["role"].label = _("Role")
        self.fields["member"].choices = [("", _("Everyone")), *window.members]


class RaciCellForm(forms.Form):
    """A cell's letter: none, A, C or I (R is the board's: the task's assignees)."""

    letter = forms.ChoiceField(
        label=_("Letter"),
        required=False,
        choices=list(LETTER_NAMES.items()),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": CHOOSE_A_LETTER},  # the service's words (``raci_set``)
    )

    def clean(self):
        # A post without the field is no choice of "none": nothing is taken away by a form that did not ask.
        if "letter" not in self.data:
            self.add_error("letter", CHOOSE_A_LETTER)
        return super().clean()


class RaciSwitchForm(forms.Form):
    enabled = forms.TypedChoiceField(
        choices=[("on", "on"), ("off", "off")],  # the values of a hidden field: never shown
        coerce=lambda value: value == "on",
        error_messages={"required": _("Choose on or off."), "invalid_choice": _("Choose on or off.")},
    )


def window_of(query: QueryDict) -> tuple[datetime.date, int, WorkloadWindowForm]:
    """The window's Monday and weeks: a bad value falls back (this week; the overview's weeks), its error on the
    form returned."""
    form = WorkloadWindowForm(query, default_weeks=OVERVIEW_WEEKS)
    form.is_valid()
    start = form.cleaned_data.get("start") or monday_of(timezone.localdate())
    return start, form.cleaned_data.get("weeks") or OVERVIEW_WEEKS, form


@dataclass
class RaciState:
    """What a request looks at: the window, the filters (their good values) and the two pages."""

    start: datetime.date
    weeks: int
    window_form: WorkloadWindowForm
    filters_form: RaciFilterForm
    filters: dict
    page: int
    member_page: int

    def query(self, **changes: object) -> str:
        """``?start=…&weeks=…`` with the filters and pages, changed by ``changes`` (None drops a parameter)."""
        values: dict[str, object] = {"start": self.start.isoformat(), "weeks": self.weeks, **self.filters}
        values |= {"page": self.page, "member_page": self.member_page}
        values |= changes
        return "?" + urlencode({name: value for name, value in values.items() if value is not None})

    @property
    def filtered(self) -> bool:
        return bool(self.filters)


def raci_state(query: QueryDict, window: RaciWindow, start: datetime.date, weeks: int, window_form) -> RaciState:
    filters_form = RaciFilterForm(query, window=window)
    return RaciState(
        start=start,
        weeks=weeks,
        window_form=window_form,
        filters_form=filters_form,
        filters=filters_form.valid_filters(),
        page=page_number(query.get("page")),
        member_page=page_number(query.get("member_page")),
    )
