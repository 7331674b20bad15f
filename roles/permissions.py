"""Who may see which team (DESIGN.md "Who may do what").

A team is visible to its managers and to staff. For anyone else it does not
exist: the lookup raises ``Team.DoesNotExist`` (views turn it into a 404), so
a manager of another team learns nothing, not even that the slug is taken.
"""

from django.contrib.auth.models import AbstractBaseUser

from .models import Team


def managed_team(*, user: AbstractBaseUser, slug: str) -> Team:
    """The team ``slug`` if ``user`` manages it or is staff; else ``Team.DoesNotExist``. One query."""
    teams = Team.objects.filter(slug=slug)
    if not user.is_staff:
        teams = teams.filter(managers=user)
    return teams.get()
