"""The filters of the team's activity, on the page and in the API (the same names: ``member``, ``task``,
``kind``, ``action``, ``since``, ``until``)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from assignments.models import Task
from roles.models import Team, TeamMember

from .selectors import TEAM_KINDS, Filters

KIND_LABELS = {
    "team": _("Team"),
    "member": _("Members"),
    "holding": _("Role holdings"),
    "time_off": _("Time off"),
    "task": _("Tasks"),
    "assignment": _("Assignments"),
    "cover": _("Covers"),
    "acknowledgement": _("Acknowledgements"),
    "involvement": _("Consulted and informed"),
}
ACTION_LABELS = {"created": _("Added"), "changed": _("Changed"), "deleted": _("Removed")}


class ActivityFilterForm(forms.Form):
    member = forms.ModelChoiceField(
        TeamMember.objects.none(), required=False, label=_("Member"), empty_label=_("Anyone")
    )
    task = forms.ModelChoiceField(Task.objects.none(), required=False, label=_("Task"), empty_label=_("Any task"))
    kind = forms.ChoiceField(
        choices=[("", _("Anything"))] + [(kind, KIND_LABELS[kind]) for kind in TEAM_KINDS],
        required=False,
        label=_("What"),
    )
    action = forms.ChoiceField(
        choices=[("", _("Any change")), *ACTION_LABELS.items()], required=False, label=_("Type of change")
    )
    since = forms.DateTimeField(required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateTimeField(required=False, label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = team.members.order_by("full_name")
        self.fields["task"].queryset = team.tasks.order_by("title")

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("Must be on or after the first day."))
        return data

    def filters(self) -> Filters:
        """The filters of a valid form; a date without a time means the whole day ("until" included)."""
        data = self.cleaned_data
        until = data.get("until")
        if until is not None and _whole_day(self.data.get(self.add_prefix("until"), "")):
            until += datetime.timedelta(days=1)
        return Filters(
            member_id=data["member"].pk if data.get("member") else None,
            task_id=data["task"].pk if data.get("task") else None,
            kind=data.get("kind") or None,
            action=data.get("action") or None,
            since=data.get("since"),
            until=until,
        )


def _whole_day(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text.strip())
    except ValueError:
        return False
    return True
