"""The checks of a parsed plan against the database: role slugs known, emails not in another team, names free,
the people a task names in the team.

They run on a file with other errors too; an item whose own value is missing or
bad (``None``) is skipped, its error being reported already. A reference is
called unknown only when every item it could name was read: while one of the
file's roles has a bad slug (or a member a bad email), a role (or assignee, or
substitute) not found may well mean that one, and its own error says what to fix.
"""

from __future__ import annotations

from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from roles.models import Role, TeamMember

from .reader import Reader
from .rows import Plan
from .stored import StoredTeam


def check_references(reader: Reader, plan: Plan, stored: StoredTeam) -> None:
    """Report what the database refuses in ``plan`` (the file alone cannot tell)."""
    db_roles = dict(Role.objects.values_list("slug", "name"))
    _check_role_names(reader, plan, db_roles)
    known_roles = {role.slug for role in plan.roles if role.slug} | set(db_roles)
    _check_role_slugs(reader, plan, known_roles)
    _check_member_emails(reader, plan)
    _check_assignees_are_members(reader, plan, stored)


def _check_role_names(reader: Reader, plan: Plan, db_roles: dict[str, str]) -> None:
    """A role's name is not already the name of another role (roles are matched by slug)."""
    db_role_names = {name: slug for slug, name in db_roles.items()}
    for role in plan.roles:
        holder = db_role_names.get(role.name) if role.name and role.slug else None
        if holder and holder != role.slug:
            reader.error(f"{role.path}.name", _("is already the name of role %(slug)s") % {"slug": holder})


def _check_role_slugs(reader: Reader, plan: Plan, known_roles: set[str]) -> None:
    """Every role a holding or a task names is in the file or in the catalog."""
    if any(role.slug is None for role in plan.roles):
        return
    named = [(f"{h.path}.role", h.role_slug) for member in plan.members for h in member.holdings]
    named += [(f"{task.path}.role", task.role_slug) for task in plan.tasks]
    for path, slug in named:
        if slug and slug not in known_roles:
            reader.error(path, _("unknown role %(slug)s") % {"slug": slug})


def _check_member_emails(reader: Reader, plan: Plan) -> None:
    """A member of the file is not a member of another team (emails are unique, ignoring case)."""
    if not plan.team_slug:
        return  # the team itself is in error: "another team" would mean nothing
    emails = [member.email for member in plan.members if member.email]
    existing = dict(
        TeamMember.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .values_list("email_lower", "team__slug")
    )
    for member in plan.members:
        other_team = existing.get(member.email)
        if other_team and other_team != plan.team_slug:
            reader.error(
                f"{member.path}.email", _("already belongs to a member of team %(team)s") % {"team": other_team}
            )


def _check_assignees_are_members(reader: Reader, plan: Plan, stored: StoredTeam) -> None:
    """An assignee, the substitute of a cover, and a task's Accountable, Consulted and Informed, is a member of
    the team: in the file's members or already stored."""
    if any(member.email is None for member in plan.members):
        return
    team_emails = {member.email for member in plan.members if member.email} | set(stored.members)
    for task in plan.tasks:
        named = [
            (f"{row.path}.member", row.email) for assignee in task.assignees for row in (assignee, *assignee.covers)
        ]
        named += [(person.path, person.email) for person in task.raci_people]
        for path, email in named:
            if email and email not in team_emails:
                reader.error(path, _("%(email)s is not a member of this team") % {"email": email})
