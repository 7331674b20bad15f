"""Tasks: the work of a team, by role and cadence, and who answers for it (RACI's Accountable)."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from roles.models import (
    END_BEFORE_START,
    Role,
    Team,
    TeamMember,
    check_dates_in_order,
    dates_in_range,
    validate_plan_date,
)


def clean_title(value: str) -> str:
    """A title as people see it: NFC, no invisible characters (zero-width spaces, BOMs, bidi marks,
    soft hyphens: Unicode's "format" category), single spaces, no spaces at the ends; so two titles
    that look the same are the same."""
    value = unicodedata.normalize("NFC", value)
    value = "".join(character for character in value if unicodedata.category(character) != "Cf")
    return " ".join(value.split())


class TitleFormField(forms.CharField):
    def to_python(self, value):
        return clean_title(super().to_python(value))


class TitleField(models.CharField):
    """A CharField whose value is cleaned by ``clean_title`` in every writer: forms, admin and plan file."""

    def to_python(self, value):
        value = super().to_python(value)
        return value if value is None else clean_title(value)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": TitleFormField, **kwargs})


class Task(models.Model):
    class Channel(models.TextChoices):
        INSTAGRAM = "instagram", "Instagram"
        TIKTOK = "tiktok", "TikTok"
        FACEBOOK = "facebook", "Facebook"
        X = "x", "X"
        LINKEDIN = "linkedin", "LinkedIn"
        YOUTUBE = "youtube", "YouTube"
        OTHER = "other", _("Other")

    class Cadence(models.TextChoices):
        ONCE = "once", _("Once")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("team"))
    role = models.ForeignKey(
        Role,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("role"),
        help_text=_("The role whose work this is; its focus makes the task operational or strategic."),
    )
    title = TitleField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, blank=True)
    cadence = models.CharField(_("cadence"), max_length=8, choices=Cadence.choices)
    effort_hours = models.DecimalField(
        _("effort (hours)"),
        max_digits=6,
        decimal_places=2,
        help_text=_("Hours per occurrence; for a one-off task, the hours of the whole task."),
    )
    start_date = models.DateField(_("start date"), validators=[validate_plan_date])
    end_date = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_("Required for a one-off task."),
        validators=[validate_plan_date],
    )
    is_active = models.BooleanField(_("active"), default=True)
    # RACI's Accountable: the one person who answers for the task (docs/rules.md, "RACI"); those who do it
    # (Responsible) are its assignees. A member of the task's own team: the services check it.
    accountable = models.ForeignKey(
        TeamMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accountable_for",
        verbose_name=_("accountable"),
        help_text=_("The one person who answers for this task (RACI)."),
    )

    class Meta:
        ordering = ["team", "title"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            # The plan file matches tasks by title within the team, ignoring case (TitleField
            # removes invisible characters first).
            models.UniqueConstraint(
                "team",
                Lower("title"),
                name="task_unique_title_per_team_ignoring_case",
                violation_error_message=_("This team already has a task with this title."),
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="task_title_not_blank",
                violation_error_message=_("A task needs a title."),
            ),
            models.CheckConstraint(
                condition=Q(effort_hours__gt=0),
                name="task_effort_positive",
                violation_error_message=_("Effort must be more than 0 hours."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="task_end_on_or_after_start",
                violation_error_message=END_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=~Q(cadence="once") | Q(end_date__isnull=False),
                name="task_once_needs_end_date",
                violation_error_message=_("A one-off task needs an end date."),
            ),
            models.CheckConstraint(
                condition=Q(cadence__in=["once", "daily", "weekly", "monthly"]),
                name="task_cadence_valid",
                violation_error_message=_("Cadence must be once, daily, weekly or monthly."),
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["", "instagram", "tiktok", "facebook", "x", "linkedin", "youtube", "other"]),
                name="task_channel_valid",
                violation_error_message=_("Unknown channel."),
            ),
            dates_in_range("task", "start_date", "end_date"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        # On the field each rule is about; the constraints above hold the same rules in the database.
        errors = {}
        if self.team_id and self.title:
            same_title = Task.objects.filter(team_id=self.team_id, title__iexact=self.title).exclude(pk=self.pk)
            if same_title.exists():
                errors["title"] = _("This team already has a task with this title.")
        if self.cadence == self.Cadence.ONCE and self.end_date is None:
            errors["end_date"] = _("A one-off task needs an end date.")
        if self.effort_hours is not None and self.effort_hours <= 0:
            errors["effort_hours"] = _("Effort must be more than 0 hours.")
        # Its assignees and its consulted and informed are the team's members: moving the task would
        # leave them pointing into the old team (the same rule as for moving a member).
        stored_team = Task.objects.filter(pk=self.pk).values_list("team_id", flat=True).first() if self.pk else None
        moved = stored_team is not None and stored_team != self.team_id
        if moved and (self.assignments.exists() or self.involvements.exists()):
            errors["team"] = _("Remove this task's assignees, consulted and informed before moving it to another team.")
        if errors:
            raise ValidationError(errors)
        check_dates_in_order(self.start_date, self.end_date)
