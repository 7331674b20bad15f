"""The unsubscribe link of every message, and the page where a logged-in person chooses what they receive
(docs/rules.md, "Notifications")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .optouts import KIND_NAMES, masked, opt_out_set, opt_outs_set, token_read
from .preferences import PreferencesForm, mail_choices


# No login: the signed token is the authority (a digest's recipient may have no login). CSRF-exempt for
# the same reason, and because a mail client's one-click POST (RFC 8058) carries no CSRF token. GET only
# asks: mail scanners open links, so only a POST unsubscribes.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = token_read(token)
    if found is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    address, kind = found
    state = "asking"
    if request.method == "POST":
        # A mail client posts "List-Unsubscribe=One-Click"; the page's buttons say which way they go.
        receiving = request.POST.get("action") == "subscribe"
        opt_out_set(address=address, kind=kind, receiving=receiving)
        state = "subscribed" if receiving else "unsubscribed"
    context = {"state": state, "kind": KIND_NAMES[kind], "address": masked(address)}
    response = render(request, "notifications/unsubscribe.html", context)
    add_never_cache_headers(response)  # the address holds a token: no cache keeps it
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """The person's own choices: a plain form, saved with a POST and a redirect back."""
    choices = mail_choices(user=request.user)
    form = PreferencesForm(request.POST if request.method == "POST" else None, choices=choices.offered)
    if form.is_bound and form.is_valid():
        opt_outs_set(
            {offered.kind: (offered.addresses, form.cleaned_data[offered.kind]) for offered in choices.offered}
        )
        if choices.offered:
            messages.success(request, _("Your choices are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "choices": choices, "active": "mail"})
