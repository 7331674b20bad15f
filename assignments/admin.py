from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Assignment, DualRoleAcknowledgement, Task
from .services import assignment_member_error, assignment_rules_check, assignment_share_error, task_lock


class AssignmentInlineFormSet(forms.BaseInlineFormSet):
    """Holds the services' cross-row rules in the admin too (``assignment_member_error``,
    ``assignment_share_error``): an active member of the task's team, on an active task,
    and the active members' shares of the task at most 100 in total.

    The admin saves inside one transaction; locking the task here keeps the
    lock until the rows are written, like the services do. Rows left as they
    were are not re-judged: a member who left since keeps their row until a
    manager hands it over.
    """

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if self.instance.pk is not None:
            task_lock(task_id=self.instance.pk)
        assigned = 0  # the shares of the rows above, which the next row adds to
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            member, share = form.cleaned_data.get("member"), form.cleaned_data.get("share_percent") or 0
            if form.has_changed() and member is not None:
                if not self.instance.is_active:
                    form.add_error(None, _("This task is archived."))
                error = assignment_member_error(task=self.instance, member=member)
                if error:
                    form.add_error("member", error)
            if member is not None and not member.is_active:
                continue  # a share of someone who left counts nowhere
            error = assignment_share_error(assigned_elsewhere=assigned, share_percent=share)
            if error:
                form.add_error("share_percent", error)
            assigned += share


class AssignmentInline(admin.TabularInline):
    model = Assignment
    formset = AssignmentInlineFormSet
    extra = 0
    autocomplete_fields = ["member"]
    fields = ["member", "share_percent", "start_date", "end_date", "assigned_by"]
    readonly_fields = ["assigned_by"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "team", "role", "focus", "cadence", "channel", "effort_hours", "assignees", "is_active"]
    list_filter = ["team", "role__focus", "role", "cadence", "channel", "is_active"]
    list_select_related = ["team", "role"]
    search_fields = ["title", "description", "role__name"]
    autocomplete_fields = ["team", "role"]
    date_hierarchy = "start_date"
    inlines = [AssignmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("assignments__member")

    @admin.display(description=_("focus"), ordering="role__focus")
    def focus(self, task):
        return task.role.get_focus_display()

    @admin.display(description=_("assignees"))
    def assignees(self, task):
        return ", ".join(f"{a.member.full_name} {a.share_percent} %" for a in task.assignments.all())

    def save_formset(self, request, form, formset, change):
        for assignment in formset.save(commit=False):
            if assignment.assigned_by_id is None:
                assignment.assigned_by = request.user
            assignment.save()
        for assignment in formset.deleted_objects:
            assignment.delete()
        formset.save_m2m()


class AssignmentAdminForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["task", "member", "share_percent", "start_date", "end_date"]

    def clean(self):
        cleaned = super().clean()
        task, member, share = cleaned.get("task"), cleaned.get("member"), cleaned.get("share_percent")
        if task is not None and member is not None and share is not None:
            try:
                assignment_rules_check(
                    task=task_lock(task_id=task.pk),
                    member=member,
                    share_percent=share,
                    exclude_assignment_id=self.instance.pk,
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field, messages)
        return cleaned


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    form = AssignmentAdminForm
    list_display = ["task", "member", "share_percent", "start_date", "end_date", "assigned_by", "updated_at"]
    list_filter = ["task__team", "task__role__focus", "task__cadence"]
    list_select_related = ["task", "member", "assigned_by"]
    search_fields = ["task__title", "member__full_name", "member__email"]
    autocomplete_fields = ["task", "member"]

    def save_model(self, request, obj, form, change):
        if obj.assigned_by_id is None:
            obj.assigned_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(DualRoleAcknowledgement)
class DualRoleAcknowledgementAdmin(admin.ModelAdmin):
    list_display = ["member", "team", "acknowledged_by", "created_at", "valid_until", "withdrawn_at"]
    list_filter = ["member__team", "valid_until", "withdrawn_at"]
    list_select_related = ["member__team", "acknowledged_by"]
    search_fields = ["member__full_name", "member__email", "note"]
    autocomplete_fields = ["member"]
    readonly_fields = ["acknowledged_by", "created_at", "withdrawn_by"]

    @admin.display(description=_("team"), ordering="member__team__name")
    def team(self, acknowledgement):
        return acknowledgement.member.team

    def save_model(self, request, obj, form, change):
        if obj.acknowledged_by_id is None:
            obj.acknowledged_by = request.user
        super().save_model(request, obj, form, change)
