"""The plan's history: django-simple-history keeps one historical row per created, changed or deleted row
of every tracked model (a full copy, so each change's old and new values can be read back), and each of
those rows belongs to a ``ChangeSet``: one writer's changes to one team (a page request, an admin save, a
plan import, a revert), with who made them.

The historical tables live in this app (``simple_history.register(..., app="activity")``), so the planning
apps stay as they are and one module says what is tracked.
"""

import simple_history
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models import Assignment, Cover, DualRoleAcknowledgement, Task, TaskInvolvement
from roles.models import Responsibility, Role, RoleHolding, Team, TeamMember, TimeOff


class ChangeSet(models.Model):
    """What one writer changed in one team at one go: every historical row points at one."""

    # A plain id, not a foreign key: the history of a deleted team stays readable in the admin.
    team_id = models.BigIntegerField(_("team"), null=True, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)
    # The login's username, "import_plan FILE", or a command's name: kept as text, so it outlives the login.
    actor = models.CharField(_("who"), max_length=300)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set when this change set is a revert: the entry it reverted ("assignment-12").
    reverts = models.CharField(_("reverts"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("change set")
        verbose_name_plural = _("change sets")
        indexes = [models.Index(fields=["team_id", "-at"], name="activity_changeset_team_at")]

    def __str__(self):
        return f"{self.actor} · {self.at:%Y-%m-%d %H:%M}"


class InChangeSet(models.Model):
    """The field every historical model adds to simple-history's own (a base class of each)."""

    change_set = models.ForeignKey(ChangeSet, on_delete=models.CASCADE, null=True, related_name="+")

    class Meta:
        abstract = True


# Written by the machine on every save: never a change anyone made (kept, not compared).
MACHINE_FIELDS = frozenset({"created_at", "updated_at"})
# Who wrote a row, a login link, a catalog position: kept and listed by the API, but not said in the
# sentences and never set back by a revert.
BOOKKEEPING = frozenset({"assigned_by", "arranged_by", "acknowledged_by", "withdrawn_by", "user", "position"})

# object type (the API's "object_type") -> model; each is tracked with every field but these.
TRACKED: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
    "team": (Team, ("plan_revision",)),  # the revision is the cache's key, renewed by triggers, not a change
    "member": (TeamMember, ()),
    "role": (Role, ()),
    "responsibility": (Responsibility, ()),
    "holding": (RoleHolding, ()),
    "time_off": (TimeOff, ()),
    "task": (Task, ()),
    "assignment": (Assignment, ()),
    "cover": (Cover, ()),
    "acknowledgement": (DualRoleAcknowledgement, ()),
    "involvement": (TaskInvolvement, ()),
}

for _model, _excluded in TRACKED.values():
    simple_history.register(
        _model,
        app="activity",
        bases=[InChangeSet],
        excluded_fields=list(_excluded),
        m2m_fields=["managers"] if _model is Team else (),
    )
