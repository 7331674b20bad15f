"""The sent log: one row per message that is, was or will be sent (docs/rules.md, "Notifications").

The row is the message's claim. Its unique key (recipient, kind, period) is what makes a message go out
once: a run inserts the row before it sends, so a second run (on this machine or another) finds it there
and leaves the message alone; a failed row is taken back by the next run, never copied.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SentMessage(models.Model):
    class Kind(models.TextChoices):
        DIGEST = "digest", _("weekly digest")
        ALERT = "alert", _("flag alert")
        NOTICE = "notice", _("assignment notice")

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("claimed")  # a run is sending it now (or crashed while sending: see services)
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")  # the next run tries again

    recipient = models.EmailField(_("recipient"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # What the message is about, so that it is sent once: a digest's ISO week ("2026-W49"); an alert's team,
    # alert number and set of new flags ("team 3 #2 5f1c…"); a notice's change sets ("changes 41-57").
    period = models.CharField(_("period"), max_length=64)
    language = models.CharField(_("language"), max_length=10, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.CLAIMED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    claimed_at = models.DateTimeField(_("claimed at"))
    # Which run holds the claim: a run sends only the rows carrying its own token.
    claim_token = models.UUIDField(_("claim token"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-claimed_at", "-pk"]
        verbose_name = _("sent message")
        verbose_name_plural = _("sent messages")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "period"],
                name="sent_message_once",
                violation_error_message=_("This message is already in the sent log."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["claimed", "sent", "failed"]),
                name="sent_message_status_valid",
                violation_error_message=_("Unknown status."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["digest", "alert", "notice"]),
                name="sent_message_kind_valid",
                violation_error_message=_("Unknown kind of message."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period} to {self.recipient}: {self.get_status_display()}"


class AlertedFlags(models.Model):
    """The flags a manager's last alert about a team was sent over: an alert tells only the flags not in it.

    Written in the transaction that marks the alert sent, so a failed alert changes nothing (the next run
    computes the same new flags, the same sent-log key, and retries the same row).
    """

    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("manager's login")
    )
    team = models.ForeignKey("roles.Team", on_delete=models.CASCADE, related_name="+", verbose_name=_("team"))
    # Every flag current when the alert was claimed, as identities ("over_allocated member=4 week=2026-11-30").
    flags = models.JSONField(_("flags"), default=list)
    # How many alerts were sent: part of the next alert's key, so a set of flags that comes back is news again.
    alerts_sent = models.PositiveIntegerField(_("alerts sent"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("flags alerted")
        verbose_name_plural = _("flags alerted")
        constraints = [
            models.UniqueConstraint(
                fields=["manager", "team"],
                name="alerted_flags_once",
                violation_error_message=_("These flags are already recorded for this manager and team."),
            )
        ]

    def __str__(self):
        return f"{self.manager} · {self.team}: {len(self.flags)}"


class NoticeMark(models.Model):
    """How far the assignment notices have read the plan's history: the last change set they covered.

    One row (``name`` "notices"). The first run writes it and sends nothing; each later run reads the change
    sets after it, claims its notices and moves it on, in one transaction holding the row's lock.
    """

    name = models.CharField(_("name"), max_length=32, unique=True)
    # None until the first run: that run sets it to the last change set and sends nothing (a starting point).
    change_set_id = models.BigIntegerField(_("last change set"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notice mark")
        verbose_name_plural = _("notice marks")

    def __str__(self):
        return f"{self.name}: {self.change_set_id or '-'}"


class MailOptOut(models.Model):
    """An address that asked not to receive one kind of message: the sender leaves it out of that kind.

    Keyed by the address, not by a login (**project decision**): a digest or a notice goes to a
    ``TeamMember.email``, whose person may have no login, and an unsubscribe link names only an address.
    Stored in lower case (``save``), as the members' emails are, so one address is one row per kind.
    """

    address = models.EmailField(_("address"))
    kind = models.CharField(_("kind"), max_length=16, choices=SentMessage.Kind.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["address", "kind"]
        verbose_name = _("mail opt-out")
        verbose_name_plural = _("mail opt-outs")
        constraints = [
            models.UniqueConstraint(
                fields=["address", "kind"],
                name="mail_opt_out_once",
                violation_error_message=_("This address has already opted out of this kind of message."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["digest", "alert", "notice"]),
                name="mail_opt_out_kind_valid",
                violation_error_message=_("Unknown kind of message."),
            ),
        ]

    def __str__(self):
        return f"{self.address}: {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        self.address = (self.address or "").strip().lower()
        super().save(*args, **kwargs)

    def clean(self):
        # Before the unique check (full_clean runs clean first), so "Ann@x" meets the row of "ann@x".
        self.address = (self.address or "").strip().lower()
