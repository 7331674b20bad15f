"""RACI in the admin: the Accountable on a task's form, the Consulted and Informed inline on it, and their own
list (docs/rules.md, "RACI").

The rules are the services' (``raci``): a letter goes to an active member of the task's team, one letter per
member and task. Values left as they were are not judged again (someone who left since keeps their letter
until a manager takes it away), as in the assignment inline.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Task, TaskInvolvement
from .raci import involvement_error, raci_member_error
from .services import task_lock


class TaskAdminForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = [
            "team",
            "role",
            "title",
            "description",
            "channel",
            "cadence",
            "effort_hours",
            "start_date",
            "end_date",
            "is_active",
            "accountable",
        ]

    def clean(self):
        cleaned = super().clean()
        stored = self.instance.pk is not None
        if stored:  # before the task's people are read, here and by the inlines, as every writer of them does
            task_lock(task_id=self.instance.pk)
        team, accountable = cleaned.get("team"), cleaned.get("accountable")
        if team is not None and accountable is not None and {"accountable", "team"} & set(self.changed_data):
            error = raci_member_error(task=Task(team=team, is_active=True), member=accountable)
            if error is None and "accountable" in self.changed_data and not cleaned.get("is_active", True):
                error = _("This task is archived.")
            if error:
                self.add_error("accountable", error)
        return cleaned


class InvolvementInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        task = self.instance
        if any(self.errors) or task.team_id is None:
            return
        if task.pk is not None:
            task_lock(task_id=task.pk)
        for form in self.forms:
            data = form.cleaned_data
            member = data.get("member") if data and not data.get("DELETE") else None
            if member is None:
                continue
            error = involvement_error(task=task, member=member)
            if error is None and form.has_changed() and not task.is_active:
                error = _("This task is archived.")
            if error and (form.has_changed() or member.pk == task.accountable_id):
                form.add_error("member", error)


class InvolvementInline(admin.TabularInline):
    model = TaskInvolvement
    formset = InvolvementInlineFormSet
    extra = 0
    autocomplete_fields = ["member"]
    fields = ["member", "kind"]


class InvolvementAdminForm(forms.ModelForm):
    class Meta:
        model = TaskInvolvement
        fields = ["task", "member", "kind"]

    def clean(self):
        cleaned = super().clean()
        task, member = cleaned.get("task"), cleaned.get("member")
        if task is not None and member is not None:
            task = task_lock(task_id=task.pk)
            error = involvement_error(task=task, member=member) or (
                None if task.is_active else _("This task is archived.")
            )
            if error:
                self.add_error("member", error)
        return cleaned


@admin.register(TaskInvolvement)
class TaskInvolvementAdmin(admin.ModelAdmin):
    form = InvolvementAdminForm
    list_display = ["task", "member", "kind", "team"]
    list_filter = ["kind", "task__team"]
    list_select_related = ["task__team", "member"]
    search_fields = ["task__title", "member__full_name", "member__email"]
    autocomplete_fields = ["task", "member"]

    @admin.display(description=_("team"), ordering="task__team__name")
    def team(self, involvement):
        return involvement.task.team
