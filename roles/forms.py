from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Role, RoleHolding, TeamMember, TimeOff, validate_plan_date


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


def _member_field(name: str, **kwargs) -> forms.Field:
    """The model field's own form field: its label, length, help text and whether it is required."""
    return TeamMember._meta.get_field(name).formfield(**kwargs)


class MemberForm(forms.Form):
    """A member's details as a manager adds or changes them (the services' MEMBER_FIELDS).

    A plain form: the service validates the row (an email taken, ignoring case; a return that would push
    one of their tasks past 100 %) and ``run_service`` puts those errors beside these fields. Capacity is
    checked here too, so its error is beside the field rather than above the form (the database's check
    constraint reports on no field).
    """

    full_name = _member_field("full_name")
    email = _member_field("email")
    job_title = _member_field("job_title")
    weekly_capacity_hours = _member_field("weekly_capacity_hours", min_value=0, max_value=168)
    is_active = _member_field("is_active")

    @classmethod
    def of(cls, member: TeamMember, **kwargs) -> "MemberForm":
        """An unbound form showing the member's saved details."""
        return cls(initial={name: getattr(member, name) for name in cls.base_fields}, **kwargs)
