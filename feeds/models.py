"""The secret addresses of the calendar feeds: one per member (their own duties) and one per team (its managers').

An address is ``/calendar/<selector><verifier>.ics`` (``tokens``). The selector is public and looked up by its
unique index; the verifier is the secret, compared in constant time with the SHA-256 kept here. The verifier
itself is not stored: it is derived from ``seed`` with the site's ``SECRET_KEY``, so My duties and the
overview can show the address again while a copy of the database alone opens no feed (docs/rules.md,
"Calendar feeds").
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roles.models import Team, TeamMember

from .tokens import SELECTOR_LENGTH, shown_verifier


class FeedToken(models.Model):
    member = models.ForeignKey(
        TeamMember,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # the unique constraint's index serves
        verbose_name=_("member"),
        help_text=_("Their own duties; empty for a team's feed."),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("team"),
        help_text=_("All duties of the team, for its managers; empty for a member's feed."),
    )
    selector = models.CharField(_("selector"), max_length=SELECTOR_LENGTH, editable=False)
    seed = models.CharField(max_length=64, editable=False)  # random: with SECRET_KEY it gives the verifier
    verifier_sha256 = models.CharField(max_length=64, editable=False)
    # The language of the page where the address was made: the feed's language unless its owner saved one.
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    created_at = models.DateTimeField(_("made at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("calendar feed address")
        verbose_name_plural = _("calendar feed addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["selector"],
                name="feedtoken_unique_selector",
                violation_error_message=_("This feed address is taken."),
            ),
            models.UniqueConstraint(
                fields=["member"],
                name="feedtoken_one_per_member",
                violation_error_message=_("This member already has a calendar feed address."),
            ),
            models.UniqueConstraint(
                fields=["team"],
                name="feedtoken_one_per_team",
                violation_error_message=_("This team already has a calendar feed address."),
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=False, team__isnull=True) | Q(member__isnull=True, team__isnull=False),
                name="feedtoken_member_or_team",
                violation_error_message=_("A calendar feed is a member's or a team's."),
            ),
        ]

    def __str__(self):
        owner = self.member if self.member_id else self.team
        return f"{owner} · {self.selector}…"

    @property
    def token(self) -> str | None:
        """The token of the address, as the pages show it; None when the secret key it was made with is gone
        (the address still works, but a new one must be made to be seen)."""
        verifier = shown_verifier(self.seed, self.verifier_sha256)
        return None if verifier is None else self.selector + verifier
