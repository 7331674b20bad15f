"""Reads of the calendar feeds: the feed a token opens, its body, and the panels that show an address."""

from __future__ import annotations

import datetime
import hashlib
import zlib
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from activity.models import ChangeSet
from assignments import plan_cache
from roles.models import Team, TeamMember

from .duties import member_duties, team_duties
from .ical import feed_calendar
from .models import FeedToken
from .tokens import split_token, verifier_matches

FEED_VERSION = 2  # raise it when a change to the code changes what a feed says (the ETag and the cache follow)
NEVER_CHANGED = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)  # DTSTAMP of a plan with no recorded change
# zlib level of the text kept in the cache: the 18 MB team feed of size L keeps 675 KB, compressed in about
# 100 ms once per plan revision; level 1 keeps 888 KB for 40 ms, and reading back costs the same at either
# level (docs/benchmarks.md, "Calendar feeds").
COMPRESSION_LEVEL = 6


@dataclass(frozen=True)
class Feed:
    """The feed a valid token opens: a member's own (``member``) or their team's (``member`` None)."""

    team: Team
    member: TeamMember | None
    language: str
    revision: int
    last_change: datetime.datetime | None  # the newest recorded change of the team's plan or the role catalog

    @property
    def stamp(self) -> datetime.datetime:
        """The events' DTSTAMP: the last recorded change."""
        return self.last_change or NEVER_CHANGED

    def etag(self, domain: str) -> str:
        """Everything the feed's bytes depend on, so that one ETag is one text: the plan (its revision), the
        DTSTAMP, the settings the rules read, the engine's and the feeds' code, the owner, the language, the
        team's name (a team's row is not part of the plan) and the host (the UIDs')."""
        owner = f"member-{self.member.pk}" if self.member else f"team-{self.team.pk}"
        parts = (
            self.revision,
            self.stamp.isoformat(),
            plan_cache.rules_fingerprint(),
            plan_cache.ENGINE_VERSION,
            FEED_VERSION,
            owner,
            self.language,
            self.team.name,
            domain,
        )
        return hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=12).hexdigest()


def feed_domain(host: str) -> str:
    """The domain of the events' UIDs: the host the feed is asked from, without its port."""
    return split_domain_port(host)[0] or "teamplanner"


def feed_of_token(token: str) -> Feed | None:
    """The feed ``token`` opens, or None: made up, replaced, or no longer anyone's to read (``_opens``).
    One query."""
    parts = split_token(token)
    if parts is None:
        return None
    selector, verifier = parts
    changes = ChangeSet.objects.order_by("-at").values("at")
    found = (
        _with_entitlement(FeedToken.objects.filter(selector=selector))
        .select_related("member__team", "team")
        .annotate(
            # the owner's saved language: the member's, or for a team's feed the manager's who made the address
            saved_language=Coalesce(
                NullIf(F("member__user__preferences__language"), Value("")),
                NullIf(F("created_by__preferences__language"), Value("")),
                F("language"),
            ),
            owner_team=Coalesce(F("member__team_id"), F("team_id")),
            login_is_active=F("member__user__is_active"),
        )
        .annotate(
            team_change=Subquery(changes.filter(team_id=OuterRef("owner_team"))[:1]),
            catalog_change=Subquery(changes.filter(team_id__isnull=True)[:1]),  # roles are every team's
        )
        .first()
    )
    if not verifier_matches(found.verifier_sha256 if found else None, verifier):
        return None
    if not _opens(found):
        return None
    team = found.member.team if found.member else found.team
    last_change = max((day for day in (found.team_change, found.catalog_change) if day is not None), default=None)
    return Feed(team, found.member, found.saved_language, team.plan_revision, last_change)


def _with_entitlement(tokens: QuerySet) -> QuerySet:
    """The tokens, with whether the one who made each still may make a team's address (``maker_*``)."""
    manages = Team.managers.through.objects.filter(team_id=OuterRef("team_id"), user_id=OuterRef("created_by_id"))
    return tokens.annotate(
        maker_manages=Exists(manages),
        maker_is_staff=F("created_by__is_staff"),
        maker_is_active=F("created_by__is_active"),
    )


def _opens(found: FeedToken) -> bool:
    """Whether a token still opens its feed (docs/rules.md, "Calendar feeds"): a member's while the member is
    active and so is their login; a team's while the one who made it has an active login and still manages
    the team, or is staff."""
    if found.member is not None:
        return found.member.is_active and bool(found.login_is_active)
    return _maker_entitled(found)


def _maker_entitled(found: FeedToken) -> bool:
    return bool(found.maker_is_active) and bool(found.maker_manages or found.maker_is_staff)


def feed_body(feed: Feed, *, domain: str) -> bytes:
    """The feed's iCalendar file, kept zlib-compressed in the plan's cache under the team's revision and the
    feed's ETag (``plan_cache``)."""
    text = plan_cache.cached(feed.team, _cache_parts(feed, domain), lambda: _compressed(feed_text(feed, domain=domain)))
    return zlib.decompress(text)


def feed_cache_key(feed: Feed, *, domain: str) -> str:
    """The key ``feed_body`` keeps the feed under (for ``bench_feeds``, which removes its own entries)."""
    return plan_cache.cache_key(feed.team.pk, feed.revision, _cache_parts(feed, domain))


def _cache_parts(feed: Feed, domain: str) -> tuple:
    return ("calendar_feed", feed.etag(domain))


def _compressed(text: bytes) -> bytes:
    return zlib.compress(text, COMPRESSION_LEVEL)


def feed_text(feed: Feed, *, domain: str) -> bytes:
    """The feed's iCalendar file, computed (``domain``: of the events' UIDs)."""
    with translation.override(feed.language):
        if feed.member is not None:
            duties, name = member_duties(feed.member), _("Duties of %(name)s") % {"name": feed.member.full_name}
        else:
            duties, name = team_duties(feed.team), _("Duties of the team %(team)s") % {"team": feed.team.name}
        return feed_calendar(duties=duties, name=name, host=domain, stamp=feed.stamp, with_names=feed.member is None)


@dataclass(frozen=True)
class FeedPanel:
    """What "Add to calendar" shows: the address (https and webcal), or a button that makes one."""

    https: str  # "": no address yet, or it can no longer be shown (the secret key changed): make a new one
    made_at: datetime.datetime | None  # None: no address yet
    works: bool = True  # False: a team's address whose maker no longer manages the team (it answers 404)

    @property
    def webcal(self) -> str:
        return "webcal://" + self.https.split("://", 1)[1] if self.https else ""


def member_feed_panel(*, member: TeamMember, request: HttpRequest) -> FeedPanel:
    return _panel(FeedToken.objects.filter(member=member), request)


def team_feed_panel(*, team: Team, request: HttpRequest) -> FeedPanel:
    """The team's address; one that stopped (its maker no longer manages the team) is offered for replacing."""
    return _panel(_with_entitlement(FeedToken.objects.filter(team=team)), request, of_team=True)


def _panel(tokens: QuerySet, request: HttpRequest, *, of_team: bool = False) -> FeedPanel:
    """The feed's address as the request reached the site (https behind the proxy). One query."""
    found = tokens.only("selector", "seed", "verifier_sha256", "created_at").first()
    if found is None:
        return FeedPanel("", None)
    if of_team and not _maker_entitled(found):
        return FeedPanel("", found.created_at, works=False)
    if found.token is None:
        return FeedPanel("", found.created_at)
    return FeedPanel(request.build_absolute_uri(reverse("feeds:calendar", args=[found.token])), found.created_at)
