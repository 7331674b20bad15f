from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Role, RoleHolding, TimeOff, validate_plan_date


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RoleHoldingForm(forms.ModelForm):
    class Meta:
        model = RoleHolding
        fields = ["role", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = Role.objects.for_pickers()


class HoldingEndForm(forms.Form):
    end_date = forms.DateField(label=_("Last day"), widget=DateInput(), validators=[validate_plan_date])


class TimeOffForm(forms.ModelForm):
    class Meta:
        model = TimeOff
        fields = ["start_date", "end_date", "reason"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        labels = {"start_date": _("First day off"), "end_date": _("Last day off")}
