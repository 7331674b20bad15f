"""What an import changed, counted per kind of row, and the sentence that says it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import ngettext_lazy

# Each count a writer keeps (``ImportResult.changes``), in the order the summary names them
# (the file's order), with its sentence in the singular and the plural.
SUMMARY_PARTS = {
    "team created": ngettext_lazy("%(count)s team created", "%(count)s teams created", "count"),
    "team updated": ngettext_lazy("%(count)s team updated", "%(count)s teams updated", "count"),
    "role created": ngettext_lazy("%(count)s role created", "%(count)s roles created", "count"),
    "role updated": ngettext_lazy("%(count)s role updated", "%(count)s roles updated", "count"),
    "responsibility created": ngettext_lazy(
        "%(count)s responsibility created", "%(count)s responsibilities created", "count"
    ),
    "responsibility updated": ngettext_lazy(
        "%(count)s responsibility updated", "%(count)s responsibilities updated", "count"
    ),
    "responsibility deleted": ngettext_lazy(
        "%(count)s responsibility deleted", "%(count)s responsibilities deleted", "count"
    ),
    "member created": ngettext_lazy("%(count)s member created", "%(count)s members created", "count"),
    "member updated": ngettext_lazy("%(count)s member updated", "%(count)s members updated", "count"),
    "role holding created": ngettext_lazy("%(count)s role holding created", "%(count)s role holdings created", "count"),
    "role holding updated": ngettext_lazy("%(count)s role holding updated", "%(count)s role holdings updated", "count"),
    "role holding deleted": ngettext_lazy("%(count)s role holding deleted", "%(count)s role holdings deleted", "count"),
    "time off created": ngettext_lazy(
        "%(count)s period of time off created", "%(count)s periods of time off created", "count"
    ),
    "time off updated": ngettext_lazy(
        "%(count)s period of time off updated", "%(count)s periods of time off updated", "count"
    ),
    "time off deleted": ngettext_lazy(
        "%(count)s period of time off deleted", "%(count)s periods of time off deleted", "count"
    ),
    "task created": ngettext_lazy("%(count)s task created", "%(count)s tasks created", "count"),
    "task updated": ngettext_lazy("%(count)s task updated", "%(count)s tasks updated", "count"),
    "assignment created": ngettext_lazy("%(count)s assignment created", "%(count)s assignments created", "count"),
    "assignment updated": ngettext_lazy("%(count)s assignment updated", "%(count)s assignments updated", "count"),
    "assignment deleted": ngettext_lazy("%(count)s assignment deleted", "%(count)s assignments deleted", "count"),
    "cover created": ngettext_lazy("%(count)s cover created", "%(count)s covers created", "count"),
    "cover deleted": ngettext_lazy("%(count)s cover deleted", "%(count)s covers deleted", "count"),
    # RACI's Consulted and Informed (a task's Accountable is one of its fields: "task updated").
    "involvement created": ngettext_lazy(
        "%(count)s person consulted or informed added", "%(count)s people consulted or informed added", "count"
    ),
    "involvement updated": ngettext_lazy(
        "%(count)s person moved between consulted and informed",
        "%(count)s people moved between consulted and informed",
        "count",
    ),
    "involvement deleted": ngettext_lazy(
        "%(count)s person consulted or informed removed", "%(count)s people consulted or informed removed", "count"
    ),
}


@dataclass
class ImportResult:
    """What an import changed (or, with ``dry_run``, would change), counted per kind of row.

    ``changes`` counts by the technical names of ``SUMMARY_PARTS`` ("assignment
    created"); ``summary()`` says it in the current language.
    """

    team: str
    changes: Counter = field(default_factory=Counter)
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return any(self.changes.values())

    def summary(self) -> str:
        """ "2 members created, 1 task updated", in the order of the file, each count in its own plural."""
        return ", ".join(
            str(sentence % {"count": self.changes[kind]})
            for kind, sentence in SUMMARY_PARTS.items()
            if self.changes[kind]
        )
