"""Who does a task: assignments (a member's share), covers for days away, acknowledged dual roles."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from roles.models import (
    END_BEFORE_START,
    TeamMember,
    check_dates_in_order,
    dates_in_range,
    end_on_or_after_start,
    validate_plan_date,
)

from .tasks import Task


class AssignmentQuerySet(models.QuerySet):
    def counted(self) -> "AssignmentQuerySet":
        """The assignments whose share counts: an inactive member's share counts nowhere (docs/rules.md)."""
        return self.filter(member__is_active=True)

    def share_total(self) -> int:
        """The counted shares added up (0 when none)."""
        return self.counted().aggregate(total=models.Sum("share_percent"))["total"] or 0


class Assignment(models.Model):
    """A member's share of a task.

    Two rules a constraint cannot hold live in ``assignments.services``: the
    member is in the task's team, and a task's shares add up to 100 at most.
    """

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("task"))
    member = models.ForeignKey(
        TeamMember, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("member")
    )
    share_percent = models.PositiveSmallIntegerField(
        _("share (%)"), default=100, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    start_date = models.DateField(
        _("start date"),
        null=True,
        blank=True,
        help_text=_("Optional: narrows the task's window."),
        validators=[validate_plan_date],
    )
    end_date = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_("Optional: narrows the task's window."),
        validators=[validate_plan_date],
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["task", "member"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "member"],
                name="assignment_unique_task_member",
                violation_error_message=_("This person is already assigned to this task."),
            ),
            models.CheckConstraint(
                condition=Q(share_percent__gte=1) & Q(share_percent__lte=100),
                name="assignment_share_1_to_100",
                violation_error_message=_("The share must be between 1 and 100 %%."),  # Django formats it
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="assignment_end_on_or_after_start",
                violation_error_message=END_BEFORE_START,
            ),
            dates_in_range("assignment", "start_date", "end_date"),
        ]

    def __str__(self):
        return f"{self.member} · {self.task} ({self.share_percent} %)"

    def clean(self):
        check_dates_in_order(self.start_date, self.end_date)


class DualRoleAcknowledgement(models.Model):
    """A manager's record that a person holding both role focuses is intended."""

    member = models.ForeignKey(
        TeamMember,
        on_delete=models.CASCADE,
        related_name="dual_role_acknowledgements",
        verbose_name=_("member"),
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Empty: valid until withdrawn."),
        validators=[validate_plan_date],
    )
    # Withdrawing keeps the record (who decided what, when) instead of deleting it.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        ordering = ["member", "-created_at"]
        verbose_name = _("dual-role acknowledgement")
        verbose_name_plural = _("dual-role acknowledgements")
        constraints = [dates_in_range("acknowledgement", "valid_until")]

    def __str__(self):
        return f"{self.member} ({self.created_at:%Y-%m-%d})"


class Cover(models.Model):
    """A substitute who does an assignee's duties on the days the assignee is away (docs/rules.md, "Covers").

    The database holds the dates and "not the assignee themself" (a trigger, migration 0005: the
    assignee lives on another row); the services hold the rest (an active member of the task's team,
    no two covers of one assignment overlapping, also an exclusion constraint on PostgreSQL).
    """

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="covers", verbose_name=_("assignment")
    )
    member = models.ForeignKey(
        TeamMember, on_delete=models.CASCADE, related_name="covers", verbose_name=_("substitute")
    )
    start_date = models.DateField(_("start date"), validators=[validate_plan_date])
    end_date = models.DateField(_("end date"), validators=[validate_plan_date])
    arranged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("arranged by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["assignment", "start_date"]
        verbose_name = _("cover")
        verbose_name_plural = _("covers")
        constraints = [
            end_on_or_after_start("cover", end_optional=False),
            dates_in_range("cover", "start_date", "end_date"),
        ]

    def __str__(self):
        return f"{self.member} ↦ {self.assignment} ({self.start_date}–{self.end_date})"

    def clean(self):
        check_dates_in_order(self.start_date, self.end_date)
