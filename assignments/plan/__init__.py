"""The plan file: one team's roles, members and tasks as JSON (docs/rules.md, section "Plan file").

``plan_export`` reads a team into the document; ``plan_import`` validates a
whole document first, listing every problem with its path in the file
(``members[2].email: Enter a valid email address.``), and only then writes it
in one transaction, so a bad file writes nothing.

Matching, so that importing the same file again changes nothing: the team by
``slug``, roles by ``slug``, members by ``email`` (ignoring case), tasks by
``title`` within the team (ignoring case and invisible characters), covers by
substitute and dates. For what the file names it is the truth: a role's
responsibilities, a member's role holdings and time off, a task's assignees
and RACI letters, and an assignee's covers are made to match the file (rows it no longer lists
are removed). What the file does not name (other members, tasks or roles) is
left alone: an import never deletes a person or a task.

Roles form one catalog shared by all teams; an export carries the whole
catalog so that a plan imported into an empty database is complete, and an
import does not change a role another team uses unless told to.

The steps, one module each: ``reader`` (typed values with their paths,
``PlanError``), ``parse`` (one function per section, into the ``rows``
dataclasses), ``model_rules`` (each row by its model's own rules), ``stored``
(what the database holds for the team), ``references``, ``assignees``,
``covers``, ``raci`` and ``shared_roles`` (checks against the database), ``write``
(the transactional writer, ``plan_import``), ``cover_writes`` (its covers) and
``raci_writes`` (a task's Consulted and Informed),
``result`` (``ImportResult`` and its summary), ``export`` (``plan_export``)
and ``cli`` (what the management commands share).
"""

from .cli import read_plan_file, unknown_team_message, write_plan_file
from .export import plan_export
from .reader import PlanError
from .result import ImportResult
from .write import plan_import

__all__ = [
    "ImportResult",
    "PlanError",
    "plan_export",
    "plan_import",
    "read_plan_file",
    "unknown_team_message",
    "write_plan_file",
]
