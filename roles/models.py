"""Who: teams, their members, the role catalog, who holds which role, time off."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

# The date rules live in their own module; models of both apps import them from here.
from .dates import (  # noqa: F401
    END_BEFORE_START,
    FIRST_DATE,
    LAST_DATE,
    check_dates_in_order,
    dates_in_range,
    end_on_or_after_start,
    validate_plan_date,
)


def new_plan_revision() -> int:
    return secrets.randbits(62)


class Team(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="managed_teams",
        verbose_name=_("managers"),
    )
    # Renewed by database triggers in the same transaction as every write to the plan (assignments/revisions.py)
    plan_revision = models.BigIntegerField(_("plan revision"), default=new_plan_revision, editable=False)
    # With RACI on, a task without an active Accountable is flagged (docs/rules.md, "RACI"). Switching it
    # renews the plan revision (a trigger), since the flags change with it.
    raci_enabled = models.BooleanField(
        _("RACI"),
        default=False,
        help_text=_("Name who is Accountable, Consulted and Informed on each task; flag tasks with no Accountable."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The revision is the database's to renew: an UPDATE from a team read earlier would write back the
        # revision it read and bring back the cache entries of a plan that has changed since.
        if self.pk is not None and not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "plan_revision"
            ]
        super().save(*args, **kwargs)


CAPACITY_RANGE_MESSAGE = _("Weekly capacity must be between 0 and 168 hours.")


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members", verbose_name=_("team"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="team_member",
        verbose_name=_("login"),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("email"), unique=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    weekly_capacity_hours = models.DecimalField(
        _("weekly capacity (hours)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("40"),
        help_text=_("Hours a week this person can work, 0 to 168."),
        validators=[
            MinValueValidator(Decimal(0), CAPACITY_RANGE_MESSAGE),
            MaxValueValidator(Decimal(168), CAPACITY_RANGE_MESSAGE),
        ],
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.CheckConstraint(
                condition=Q(weekly_capacity_hours__gte=0) & Q(weekly_capacity_hours__lte=168),
                name="member_capacity_0_to_168",
                violation_error_message=CAPACITY_RANGE_MESSAGE,
            ),
            # Emails are matched without regard to case (the plan file, logins).
            models.UniqueConstraint(
                Lower("email"),
                name="member_email_unique_ignoring_case",
                violation_error_message=_("A member with this email already exists."),
            ),
            models.CheckConstraint(
                condition=~Q(full_name=""),
                name="member_full_name_not_blank",
                violation_error_message=_("A member needs a name."),
            ),
        ]

    def __str__(self):
        return self.full_name

    def clean(self):
        # The constraint ignoring case reports on no field; say it beside the email.
        if self.email and TeamMember.objects.filter(email__iexact=self.email).exclude(pk=self.pk).exists():
            raise ValidationError({"email": _("A member with this email already exists.")})
        # Rules across tables that no constraint can hold; every writer of members calls this.
        previous = TeamMember.objects.filter(pk=self.pk).values("team_id", "is_active").first() if self.pk else None
        if previous is None:
            return
        # A member's assignments belong to their team's tasks: moving them would leave those
        # assignments pointing into the old team.
        if previous["team_id"] != self.team_id and self.assignments.exists():
            raise ValidationError(
                {"team": _("Remove or hand over this person's assignments before moving them to another team.")}
            )
        if previous["team_id"] != self.team_id and (self.accountable_for.exists() or self.involvements.exists()):
            raise ValidationError(
                {"team": _("Take this person out of their tasks' RACI before moving them to another team.")}
            )
        # An inactive member's shares count nowhere, so their tasks may have been handed over
        # meanwhile: coming back must not push a task past 100 %.
        if self.is_active and not previous["is_active"]:
            crowded = self.tasks_over_full_on_return()
            if crowded:
                raise ValidationError(
                    {
                        "is_active": _(
                            "Coming back would put %(tasks)s over 100 %%: remove or lower this person's share there "
                            "first."
                        )
                        % {"tasks": ", ".join(crowded)}
                    }
                )

    def tasks_over_full_on_return(self) -> list[str]:
        """The titles of this member's tasks whose active shares plus theirs would pass 100."""
        others = Sum(
            "task__assignments__share_percent",
            filter=Q(task__assignments__member__is_active=True) & ~Q(task__assignments__member=self.pk),
            default=0,
        )
        return list(
            self.assignments.annotate(others=others)
            .filter(others__gt=100 - F("share_percent"))
            .order_by("task__title")
            .values_list("task__title", flat=True)
        )


class RoleQuerySet(models.QuerySet):
    def for_pickers(self) -> "RoleQuerySet":
        """The order every role picker lists them in: operational roles first, each focus in catalog order."""
        return self.order_by("focus", "position", "name")


class Role(models.Model):
    class Focus(models.TextChoices):
        OPERATIONAL = "operational", _("Operational")
        STRATEGIC = "strategic", _("Strategic")

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    focus = models.CharField(_("focus"), max_length=12, choices=Focus.choices)
    summary = models.TextField(_("summary"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in the role catalog, smallest first.")
    )

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=Q(focus__in=["operational", "strategic"]),
                name="role_focus_valid",
                violation_error_message=_("Focus must be operational or strategic."),
            ),
        ]

    def __str__(self):
        return self.name


class Responsibility(models.Model):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="responsibilities", verbose_name=_("role"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["role", "position", "id"]
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        constraints = [
            models.UniqueConstraint(
                fields=["role", "title"],
                name="responsibility_unique_title_per_role",
                violation_error_message=_("This role already has a responsibility with this title."),
            ),
        ]

    def __str__(self):
        return self.title


class RoleHolding(models.Model):
    member = models.ForeignKey(
        TeamMember, on_delete=models.CASCADE, related_name="role_holdings", verbose_name=_("member")
    )
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="holdings", verbose_name=_("role"))
    start_date = models.DateField(_("start date"), validators=[validate_plan_date])
    end_date = models.DateField(_("end date"), null=True, blank=True, validators=[validate_plan_date])

    class Meta:
        ordering = ["member", "start_date", "role"]
        verbose_name = _("role holding")
        verbose_name_plural = _("role holdings")
        constraints = [
            end_on_or_after_start("roleholding", end_optional=True),
            dates_in_range("roleholding", "start_date", "end_date"),
            models.UniqueConstraint(
                fields=["member", "role", "start_date"],
                name="roleholding_unique_member_role_start",
                violation_error_message=_("This person already holds this role from that date."),
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.role}"

    def clean(self):
        check_dates_in_order(self.start_date, self.end_date)
        if self.member_id is None or self.role_id is None or self.start_date is None:
            return  # a form that sets the member later: its service calls full_clean again
        # One person holds a role once at a time: a second, overlapping holding would list them twice.
        overlapping = RoleHolding.objects.filter(member_id=self.member_id, role_id=self.role_id).exclude(pk=self.pk)
        overlapping = overlapping.filter(Q(end_date__isnull=True) | Q(end_date__gte=self.start_date))
        if self.end_date is not None:
            overlapping = overlapping.filter(start_date__lte=self.end_date)
        first = overlapping.order_by("start_date").first()
        if first is not None:
            raise ValidationError(
                {
                    "start_date": _(
                        "This person already holds this role from %(start)s; end that holding or change its dates."
                    )
                    % {"start": first.start_date.isoformat()}
                }
            )


class TimeOff(models.Model):
    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="time_off", verbose_name=_("member"))
    start_date = models.DateField(_("start date"), validators=[validate_plan_date])
    end_date = models.DateField(
        _("end date"), help_text=_("The last day off (inclusive)."), validators=[validate_plan_date]
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["member", "start_date"]
        verbose_name = _("time off")
        verbose_name_plural = _("time off")
        constraints = [
            end_on_or_after_start("timeoff", end_optional=False),
            dates_in_range("timeoff", "start_date", "end_date"),
        ]

    def __str__(self):
        return f"{self.member}: {self.start_date} – {self.end_date}"

    def clean(self):
        check_dates_in_order(self.start_date, self.end_date)
        if self.member_id is None or self.start_date is None or self.end_date is None:
            return  # a form that sets the member later: its service calls full_clean again
        # Recorded once: a repeated or overlapping period would make every re-import churn.
        first = (
            TimeOff.objects.filter(
                member_id=self.member_id, start_date__lte=self.end_date, end_date__gte=self.start_date
            )
            .exclude(pk=self.pk)
            .order_by("start_date")
            .first()
        )
        if first is not None:
            raise ValidationError(
                {
                    "start_date": _("This overlaps time off already recorded, %(start)s to %(end)s.")
                    % {"start": first.start_date.isoformat(), "end": first.end_date.isoformat()}
                }
            )


class UserPreferences(models.Model):
    """What a login chose for itself; the language follows the person from browser to browser."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences", verbose_name=_("login")
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)

    class Meta:
        verbose_name = _("user preferences")
        verbose_name_plural = _("user preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=["", *(code for code, _name in settings.LANGUAGES)]),
                name="preferences_language_known",
                violation_error_message=_("Unknown language."),
            )
        ]

    def __str__(self):
        return f"{self.user}: {self.language or '-'}"
