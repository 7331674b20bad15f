"""Writes of the calendar feeds: making a feed's address, the first one or a replacement."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from roles.models import Team, TeamMember

from .models import FeedToken
from .tokens import digest_of, new_seed, new_selector, verifier_of


@transaction.atomic
def feed_address_replace(
    *, user: AbstractBaseUser | None, language: str, member: TeamMember | None = None, team: Team | None = None
) -> tuple[FeedToken, bool]:
    """A new secret address for ``member``'s own feed or ``team``'s feed: made the first time it is asked
    for, and replaced every time after, so the old address answers 404 from then on (one row per owner,
    its selector and secret renewed in place). ``language``: the page's, kept for an owner who saved none.
    The row, and whether it is the first address (False: a replacement)."""
    if (member is None) == (team is None):
        raise ValueError("A feed address is a member's or a team's.")
    seed = new_seed()
    owner = {"member": member} if member is not None else {"team": team}
    return FeedToken.objects.update_or_create(
        **owner,
        defaults={
            "selector": new_selector(),
            "seed": seed,
            "verifier_sha256": digest_of(verifier_of(seed)),
            "language": language,
            "created_by": user,
            "created_at": timezone.now(),
        },
    )
