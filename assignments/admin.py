from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .admin_raci import InvolvementInline, TaskAdminForm
from .cover_services import cover_member_error, cover_overlap_error
from .models import Assignment, Cover, DualRoleAcknowledgement, Task
from .services import assignment_member_error, assignment_rules_check, assignment_share_error, task_lock

NO_ROW = 0  # no row has this id: nothing is left out of an overlap check


def own_cover_error(*, assignment_id: int | None, member) -> str | None:
    """An assignment cannot go to someone who covers it (the database refuses it too, migration 0005)."""
    if assignment_id is not None and Cover.objects.filter(assignment=assignment_id, member=member).exists():
        return _("%(member)s covers this duty: remove their cover before assigning them.") % {"member": member}
    return None


def cover_errors(
    *, task: Task, assignment: Assignment, member, start_date, end_date, covers: list[Cover], exclude_cover_id: int
) -> dict[str, str]:
    """The services' rules for a cover (cover_services), by field, with the task locked: "assignment" is
    the archived task, "member" who may cover, "start_date" an overlap with one of ``covers``."""
    errors = {}
    if not task.is_active:
        errors["assignment"] = _("This task is archived.")
    if member is not None:
        member_error = cover_member_error(assignment=assignment, member=member)
        if member_error:
            errors["member"] = member_error
    if start_date is not None and end_date is not None and start_date <= end_date:
        overlap = cover_overlap_error(
            covers=covers, start_date=start_date, end_date=end_date, exclude_cover_id=exclude_cover_id
        )
        if overlap:
            errors["start_date"] = overlap
    return errors


def save_rows_with_author(formset, author_field: str, user) -> None:
    """Save an inline's rows, naming the admin user as who assigned or arranged a row that has nobody yet."""
    for row in formset.save(commit=False):
        if getattr(row, f"{author_field}_id") is None:
            setattr(row, author_field, user)
        row.save()
    for row in formset.deleted_objects:
        row.delete()
    formset.save_m2m()


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
                error = assignment_member_error(task=self.instance, member=member) or own_cover_error(
                    assignment_id=form.instance.pk, member=member
                )
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
    form = TaskAdminForm
    list_display = ["title", "team", "role", "focus", "cadence", "channel", "effort_hours", "assignees", "is_active"]
    list_filter = ["team", "role__focus", "role", "cadence", "channel", "is_active"]
    list_select_related = ["team", "role"]
    search_fields = ["title", "description", "role__name"]
    autocomplete_fields = ["team", "role", "accountable"]
    date_hierarchy = "start_date"
    inlines = [AssignmentInline, InvolvementInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("assignments__member")

    @admin.display(description=_("focus"), ordering="role__focus")
    def focus(self, task):
        return task.role.get_focus_display()

    @admin.display(description=_("assignees"))
    def assignees(self, task):
        return ", ".join(f"{a.member.full_name} {a.share_percent} %" for a in task.assignments.all())

    def save_formset(self, request, form, formset, change):
        if formset.model is Assignment:
            save_rows_with_author(formset, "assigned_by", request.user)
        else:  # consulted and informed: no author to name
            formset.save()


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
            if "member" not in self.errors:
                error = own_cover_error(assignment_id=self.instance.pk, member=member)
                if error:
                    self.add_error("member", error)
        return cleaned


class CoverInlineFormSet(forms.BaseInlineFormSet):
    """An assignment's covers in its admin page, under the services' rules (cover_services): the
    substitute is an active member of the task's team other than the assignee, on an active task, and
    no two covers overlap, neither two rows here nor a row and a cover saved meanwhile.

    Like the assignment inline, rows left as they were are not judged again for who may cover
    (a substitute who left since keeps their row), but every row counts for overlaps.
    """

    def clean(self):
        super().clean()
        assignment = self.instance
        if any(self.errors) or assignment.task_id is None or assignment.member_id is None:
            return  # the rows' or the assignment's own errors come first
        task = task_lock(task_id=assignment.task_id)
        kept: list[Cover] = []  # the covers the next row must not overlap
        if assignment.pk is not None:  # and those saved since the page was read
            shown = [form.instance.pk for form in self.initial_forms]
            kept = list(Cover.objects.filter(assignment=assignment).exclude(pk__in=shown).select_related("member"))
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            errors = cover_errors(
                task=task,
                assignment=assignment,
                member=data.get("member"),
                start_date=data.get("start_date"),
                end_date=data.get("end_date"),
                covers=kept,
                exclude_cover_id=NO_ROW,
            )
            if not form.has_changed():
                errors = {field: error for field, error in errors.items() if field == "start_date"}
            for field, error in errors.items():
                form.add_error(None if field == "assignment" else field, error)
            kept.append(form.instance)


class CoverInline(admin.TabularInline):
    model = Cover
    formset = CoverInlineFormSet
    extra = 0
    autocomplete_fields = ["member"]
    fields = ["member", "start_date", "end_date", "arranged_by"]
    readonly_fields = ["arranged_by"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    form = AssignmentAdminForm
    list_display = ["task", "member", "share_percent", "start_date", "end_date", "assigned_by", "updated_at"]
    list_filter = ["task__team", "task__role__focus", "task__cadence"]
    list_select_related = ["task", "member", "assigned_by"]
    search_fields = ["task__title", "member__full_name", "member__email"]
    autocomplete_fields = ["task", "member"]
    inlines = [CoverInline]

    def save_model(self, request, obj, form, change):
        if obj.assigned_by_id is None:
            obj.assigned_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        save_rows_with_author(formset, "arranged_by", request.user)


class CoverAdminForm(forms.ModelForm):
    class Meta:
        model = Cover
        fields = ["assignment", "member", "start_date", "end_date"]

    def clean(self):
        cleaned = super().clean()
        assignment = cleaned.get("assignment")
        if assignment is None:
            return cleaned
        task = task_lock(task_id=assignment.task_id)
        current = Assignment.objects.select_related("member").filter(pk=assignment.pk).first()
        if current is None:
            self.add_error("assignment", _("This assignment was removed meanwhile."))
            return cleaned
        errors = cover_errors(
            task=task,
            assignment=current,
            member=cleaned.get("member"),
            start_date=cleaned.get("start_date"),
            end_date=cleaned.get("end_date"),
            covers=list(Cover.objects.filter(assignment=current).select_related("member")),
            exclude_cover_id=self.instance.pk or NO_ROW,
        )
        for field, error in errors.items():
            self.add_error(field, error)
        return cleaned


@admin.register(Cover)
class CoverAdmin(admin.ModelAdmin):
    form = CoverAdminForm
    list_display = ["task", "assignee", "member", "start_date", "end_date", "arranged_by"]
    list_filter = ["assignment__task__team", "start_date"]
    list_select_related = ["assignment__task", "assignment__member", "member", "arranged_by"]
    search_fields = [
        "assignment__task__title",
        "assignment__member__full_name",
        "assignment__member__email",
        "member__full_name",
        "member__email",
    ]
    autocomplete_fields = ["assignment", "member"]
    readonly_fields = ["arranged_by", "created_at"]
    date_hierarchy = "start_date"

    @admin.display(description=_("task"), ordering="assignment__task__title")
    def task(self, cover):
        return cover.assignment.task

    @admin.display(description=_("assignee"), ordering="assignment__member__full_name")
    def assignee(self, cover):
        return cover.assignment.member

    def save_model(self, request, obj, form, change):
        if obj.arranged_by_id is None:
            obj.arranged_by = request.user
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
