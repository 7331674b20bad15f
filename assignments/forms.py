from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from roles.forms import DateInput
from roles.models import FIRST_DATE, LAST_DATE, Role, Team, TeamMember, validate_plan_date

from .calendars import monday_of
from .formatting import BAND_NAMES
from .models import Assignment, Task
from .services import ACKNOWLEDGEMENT_NOTE_MAX_LENGTH
from .workload import MAX_WEEKS
from .workload_rows import RoleInfo

DEFAULT_WEEKS = 4
# Lazy all the way: formatted in the language of the request that shows it, not at import.
WEEKS_MESSAGE = lazy(lambda: _("Must be a whole number from 1 to %(max)s.") % {"max": MAX_WEEKS}, str)()
WHOLE_NUMBER = _("Must be a whole number from 1 to 100.")  # a share


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
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), WEEKS_MESSAGE),
    )

    def __init__(self, *args, default_weeks: int = DEFAULT_WEEKS, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_weeks = default_weeks

    def clean_start(self):
        """A start that is not a Monday means the Monday of its week; none means this week."""
        start = self.cleaned_data["start"] or timezone.localdate()
        # The dates a person can enter anywhere (roles.models.FIRST_DATE..LAST_DATE), judged before
        # moving to the Monday: 3000-01-01 is refused although its Monday is in 2999.
        if not FIRST_DATE <= start <= LAST_DATE:
            raise forms.ValidationError(
                _("Must be a date between %(first)s and %(last)s.") % {"first": FIRST_DATE.year, "last": LAST_DATE.year}
            )
        return monday_of(start)

    def clean_weeks(self):
        return self.cleaned_data["weeks"] or self.default_weeks


class SuggestionWindowForm(WorkloadWindowForm):
    """The window of suggestions, and the share the candidate would take (empty: what is left)."""

    share = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=100,
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), WHOLE_NUMBER),
    )


class TaskForm(forms.ModelForm):
    """Create or edit a task of ``team``; errors land on the field they are about."""

    class Meta:
        model = Task
        fields = ["title", "role", "channel", "cadence", "effort_hours", "start_date", "end_date", "description"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, team: Team, roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team
        self.fields["role"].queryset = Role.objects.for_pickers()
        if roles is not None:  # already fetched: rendering many forms runs no query each
            self.fields["role"].choices = [("", "---------"), *((role.pk, role.name) for role in roles)]
        self.fields["effort_hours"].widget.attrs.update(min="0.01", step="0.25")

    def clean_title(self):
        title = self.cleaned_data["title"]  # already cleaned by the model's TitleField
        duplicate = Task.objects.filter(team=self.team, title__iexact=title).exclude(pk=self.instance.pk).first()
        if duplicate is not None and not duplicate.is_active:
            raise forms.ValidationError(
                _("An archived task has this title: restore it from the archive or choose another title.")
            )
        if duplicate is not None:
            raise forms.ValidationError(_("This team already has a task with this title."))
        return title


class AssignForm(forms.Form):
    member = forms.ModelChoiceField(queryset=TeamMember.objects.none(), label=_("Member"))
    share_percent = forms.IntegerField(label=_("Share (%)"), min_value=1, max_value=100, initial=100)

    def __init__(self, *args, team: Team, member_choices: list[tuple[int, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = TeamMember.objects.filter(team=team, is_active=True)
        if member_choices is not None:  # already fetched: rendering many forms runs no query each
            self.fields["member"].choices = [("", "---------"), *member_choices]


class ShareForm(forms.Form):
    share_percent = forms.IntegerField(label=_("Share (%)"), min_value=1, max_value=100)


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=ACKNOWLEDGEMENT_NOTE_MAX_LENGTH)
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=DateInput(), validators=[validate_plan_date]
    )


class BoardFilterForm(forms.Form):
    """Board filters (GET); every field is optional and an invalid value is ignored."""

    focus = forms.ChoiceField(label=_("Focus"), required=False, choices=[("", _("All")), *Role.Focus.choices])
    role = forms.ModelChoiceField(label=_("Role"), required=False, queryset=Role.objects.all(), empty_label=_("All"))
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("All")), *Task.Channel.choices])
    member = forms.ModelChoiceField(
        label=_("Member"), required=False, queryset=TeamMember.objects.none(), empty_label=_("Anyone")
    )
    unassigned = forms.BooleanField(label=_("Not fully assigned"), required=False)

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = TeamMember.objects.filter(team=team, is_active=True)


class OverviewFilterForm(forms.Form):
    """The overview heatmap's filters (GET): a band some week shows, a role held in the window.

    Both are optional; a bad value is shown beside its field and ignored (the other filter still applies).
    ``roles``: the roles held in the window (``Overview.roles``), so the choices cost no query.
    """

    band = forms.ChoiceField(
        label=_("Band in some week"),
        required=False,
        choices=[("", _("Any band")), *BAND_NAMES.items()],  # under, healthy, full, over, off: the legend's order
    )
    role = forms.TypedChoiceField(label=_("Role held"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, roles: list[RoleInfo], **kwargs):
        super().__init__(*args, **kwargs)
        groups = [
            (focus_label, [(role.id, role.name) for role in roles if role.focus == focus])
            for focus, focus_label in Role.Focus.choices
        ]
        self.fields["role"].choices = [("", _("Any role")), *(group for group in groups if group[1])]

    def valid_filters(self) -> dict:
        """The filters whose values are good (a bad one is left out, its error stays on the form)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}

    def options(self, name: str) -> list[tuple[str, list[tuple[str, str, bool]]]]:
        """A select's choices as (group label, or "" for none; [(value, label, selected)]): the page writes the
        two selects itself, without a widget template per option."""
        current = str(self[name].value() or "")
        groups: list[tuple[str, list[tuple[str, str, bool]]]] = []
        for value, label in self.fields[name].choices:
            if isinstance(label, list | tuple):  # an optgroup: (its label, [(value, label), …])
                groups.append((str(value), [(str(key), str(text), str(key) == current) for key, text in label]))
            else:
                groups.append(("", [(str(value), str(label), str(value) == current)]))
        return groups

    @property
    def selects(self) -> list[tuple[forms.BoundField, list]]:
        """Each field with its options, for the page's loop."""
        return [(self[name], self.options(name)) for name in self.fields]


class ShareQueryForm(forms.Form):
    """The share a candidate would take (empty: what is left)."""

    share = forms.IntegerField(
        label=_("Share (%)"),
        required=False,
        min_value=1,
        max_value=100,
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), WHOLE_NUMBER),
    )


class HandOverForm(forms.Form):
    """Who takes an assignment over (the field is named as ``assignment_hand_over``'s argument)."""

    to_member = forms.ModelChoiceField(queryset=TeamMember.objects.none(), label=_("Hand it over to"))

    def __init__(self, *args, assignment: Assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        self.fields["to_member"].queryset = TeamMember.objects.filter(team_id=assignment.task.team_id, is_active=True)

    def clean_to_member(self) -> TeamMember:
        """Handing a task to the person who has it is no move (the preview would show nothing changing)."""
        member = self.cleaned_data["to_member"]
        if member.pk == self.assignment.member_id:
            raise forms.ValidationError(_("%(member)s is already assigned to this task.") % {"member": member})
        return member


class DutyDayForm(forms.Form):
    date = forms.DateField(
        label=_("Day"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=DateInput(),
        error_messages={"invalid": _("Must be a date as YYYY-MM-DD.")},
        validators=[validate_plan_date],
    )


class CoverForm(forms.Form):
    """A cover as the "Arrange cover" page saves it (``cover_services.cover_create`` checks the rules)."""

    assignment = forms.ModelChoiceField(queryset=Assignment.objects.none(), label=_("Duty"))
    member = forms.ModelChoiceField(queryset=TeamMember.objects.none(), label=_("Substitute"))
    start_date = forms.DateField(
        label=_("From"), input_formats=["%Y-%m-%d"], widget=DateInput(), validators=[validate_plan_date]
    )
    end_date = forms.DateField(
        label=_("To"), input_formats=["%Y-%m-%d"], widget=DateInput(), validators=[validate_plan_date]
    )

    def __init__(self, *args, away: TeamMember, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = Assignment.objects.filter(member=away).select_related("member")
        self.fields["member"].queryset = TeamMember.objects.filter(team=away.team_id, is_active=True).exclude(
            pk=away.pk
        )
