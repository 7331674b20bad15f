"""Who may see which team and which person (docs/rules.md, "Who may do what").

A team is visible to its managers and to staff; a person's page to that
person, their team's managers and staff. For anyone else the thing does not
exist: lookups raise ``DoesNotExist`` (views answer 404), so a manager of
another team learns nothing, not even that the slug or id is taken.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, QuerySet

from .models import Team, TeamMember


def managed_teams(*, user: AbstractBaseUser) -> QuerySet[Team]:
    """The teams ``user`` manages (staff: every team)."""
    if user.is_staff:
        return Team.objects.all()
    return Team.objects.filter(managers=user)


def managed_team(*, user: AbstractBaseUser, slug: str) -> Team:
    """The team ``slug`` if ``user`` manages it or is staff; else ``Team.DoesNotExist``. One query."""
    return managed_teams(user=user).get(slug=slug)


def member_of(*, user: AbstractBaseUser) -> TeamMember | None:
    """The active team member linked to this login, if any."""
    if not user.is_authenticated:
        return None
    return TeamMember.objects.select_related("team").filter(user=user, is_active=True).first()


def visible_member(*, user: AbstractBaseUser, member_id: int) -> tuple[TeamMember, bool]:
    """The member if ``user`` may see their page, and whether ``user`` may change it (manages the team).

    ``TeamMember.DoesNotExist`` for anyone else. One query.
    """
    managers = Team.managers.through.objects.filter(team_id=OuterRef("team_id"), user_id=user.pk)
    member = TeamMember.objects.select_related("team").annotate(managed=Exists(managers)).get(pk=member_id)
    may_manage = user.is_staff or member.managed
    if not (may_manage or member.user_id == user.pk):
        raise TeamMember.DoesNotExist
    return member, may_manage
