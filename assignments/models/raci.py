"""RACI's Consulted and Informed (docs/rules.md, "RACI"): members asked about a task, or told of it, no hours."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from roles.models import TeamMember

from .tasks import Task


class TaskInvolvement(models.Model):
    """One member Consulted on a task or Informed of it.

    One row per task and member, whatever the kind: so the database itself holds "never both consulted and
    informed on one task". That the member is in the task's team is the services' rule (another row).
    """

    class Kind(models.TextChoices):
        CONSULTED = "consulted", _("consulted")
        INFORMED = "informed", _("informed")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="involvements", verbose_name=_("task"))
    member = models.ForeignKey(
        TeamMember, on_delete=models.CASCADE, related_name="involvements", verbose_name=_("member")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["task", "kind", "member"]
        verbose_name = _("consulted or informed")
        verbose_name_plural = _("consulted and informed")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "member"],
                name="involvement_once_per_task_member",
                violation_error_message=_("A person is either consulted on a task or informed of it, not both."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["consulted", "informed"]),
                name="involvement_kind_valid",
                violation_error_message=_("Unknown kind: consulted or informed."),
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.get_kind_display()} · {self.task}"
