"""What the header links to, read once per request: the teams a login manages and its own place on a team."""

from functools import cached_property

from django.http import HttpRequest

from .models import Team, TeamMember
from .permissions import member_of


class Navigation:
    """What the header links to, for one request: each part read once, when first asked for (one query each),
    and kept on the request (``navigation_of``), so a team page finds its team among ``teams`` too."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def teams(self) -> list[Team]:
        """The teams this user manages (not all of them for staff: the header lists one's own)."""
        if not self.user.is_authenticated:
            return []
        return list(Team.objects.filter(managers=self.user).order_by("name"))

    @cached_property
    def member(self) -> TeamMember | None:
        """This user's own place on a team."""
        return member_of(user=self.user)


def navigation_of(request: HttpRequest) -> Navigation:
    found = getattr(request, "_navigation", None)
    if found is None:
        found = request._navigation = Navigation(request.user)
    return found
