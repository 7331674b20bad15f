"""Calendar feeds (docs/rules.md, "Calendar feeds"): the feed itself, which answers without a login (calendar
apps cannot log in: the secret address is the key), and the panels that show a feed's address and replace it.

A feed sends an ETag (everything its bytes depend on: ``Feed.etag``) and Last-Modified (the newest recorded
change), and answers a request carrying its ETag with 304 after one query, without computing anything. Only
the ETag decides: Last-Modified moves with recorded history alone (a change of the settings, of the code or
of the host changes the text without it), so ``If-Modified-Since`` is not trusted and gets the feed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_GET, require_POST, require_safe

from assignments.views.common import HtmxHttpRequest, managed_team_or_404
from roles.permissions import member_of

from .selectors import feed_body, feed_domain, feed_of_token, member_feed_panel, team_feed_panel
from .services import feed_address_replace


@require_safe
def calendar_feed(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The feed ``token`` opens; 404 for a made-up or replaced token, or one its owner may no longer read
    (``selectors._opens``): the same answer whatever is wrong."""
    feed = feed_of_token(token)
    if feed is None:
        return HttpResponseNotFound(b"Not found.\n", content_type="text/plain; charset=utf-8")
    domain = feed_domain(request.get_host())
    etag = feed.etag(domain)

    @condition(etag_func=lambda _request: etag)  # no last_modified_func: see the module's docstring
    def respond(request: HtmxHttpRequest) -> HttpResponse:
        return HttpResponse(feed_body(feed, domain=domain), content_type="text/calendar; charset=utf-8")

    response = respond(request)  # 200, or 304: the same headers on both
    patch_cache_control(response, private=True, no_cache=True)  # the address is a secret: no shared cache keeps it
    response["Content-Language"] = feed.language  # the owner's, whatever the request's
    if feed.last_change is not None:
        response["Last-Modified"] = http_date(feed.last_change.timestamp())
    return response


def _made_notice(first: bool) -> str:
    if first:
        return _("Your calendar address is ready.")
    return _("The address is replaced: calendars subscribed to the old one no longer get updates.")


@login_required
@require_POST
def replace_my_feed(request: HtmxHttpRequest) -> HttpResponse:
    """Makes the member's own feed address the first time, and replaces it after (My duties' panel)."""
    member = member_of(user=request.user)
    if member is None:
        return render(request, "not_on_a_team.html", status=404)
    _token, first = feed_address_replace(member=member, user=request.user, language=request.LANGUAGE_CODE)
    if request.htmx:
        context = {"calendar_feed": member_feed_panel(member=member, request=request), "notice": _made_notice(first)}
        return render(request, "feeds/_member_panel.html", context)
    messages.success(request, _made_notice(first))
    return redirect(reverse("assignments:my_duties") + "#calendar-feed")


@login_required
@require_GET
def team_feed(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The team feed's address, for its managers: fetched into the overview when opened, a page without JavaScript."""
    team = managed_team_or_404(request, slug)
    context = {"team": team, "calendar_feed": team_feed_panel(team=team, request=request)}
    return render(request, "feeds/team_feed.html#team-feed" if request.htmx else "feeds/team_feed.html", context)


@login_required
@require_POST
def replace_team_feed(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Makes the team's feed address the first time, and replaces it after (its managers, and staff)."""
    team = managed_team_or_404(request, slug)
    _token, first = feed_address_replace(team=team, user=request.user, language=request.LANGUAGE_CODE)
    if request.htmx:
        context = {"team": team, "calendar_feed": team_feed_panel(team=team, request=request)}
        return render(request, "feeds/team_feed.html#team-feed", {**context, "notice": _made_notice(first)})
    messages.success(request, _made_notice(first))
    return redirect("feeds:team_feed", slug=team.slug)
