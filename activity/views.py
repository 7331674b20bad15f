"""The team's activity: what changed, who changed it, and "Revert" (docs/rules.md, "History").

For the team's managers (and staff), like every team page: anyone else gets 404. The page lists change
sets newest first, 20 a page; a change set with more entries than ``FOLD_ABOVE`` (an import) shows as
one summed-up line whose entries are fetched when it is opened. A revert is a POST: htmx gets the entry
back with the outcome beside it, a plain form a redirect with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assignments.views.common import HtmxHttpRequest, managed_team_or_404
from roles.models import Team

from .entries import Names, actor_name
from .forms import ActivityFilterForm
from .recent import activity_url, recent_changes
from .reverts import revert_entry
from .selectors import ChangeSetEntries, Filters, groups, team_change_sets
from .sentences import said, summary

PAGE_SIZE = 20
ENTRIES_PAGE_SIZE = 100


def _without_page(request: HtmxHttpRequest) -> str:
    """The query string of the filters, for the links that page through them."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _filters(request: HtmxHttpRequest, team: Team) -> tuple[ActivityFilterForm, Filters]:
    form = ActivityFilterForm(request.GET or None, team=team)
    return form, (form.filters() if form.is_valid() else Filters())


@login_required
@require_GET
def team_activity(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    form, filters = _filters(request, team)
    page = Paginator(team_change_sets(team, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    found = groups(list(page.object_list), filters)
    names = Names([entry for group in found for entry in group.entries])
    rows = [
        {"group": group, "summary": summary(group.change_set, group.counts), "entries": said(group.entries, names)}
        for group in found
    ]
    context = {
        "team": team,
        "form": form,
        "page": page,
        "rows": rows,
        "query": _without_page(request),
        "active": "activity",
    }
    template = "activity/team_activity.html#activity-list" if request.htmx and not request.htmx.boosted else None
    return render(request, template or "activity/team_activity.html", context)


@login_required
@require_GET
def change_set_entries(request: HtmxHttpRequest, slug: str, change_set_id: int) -> HttpResponse:
    """The entries of one change set (a folded one opened), 100 a page; a page of its own without htmx."""
    team = managed_team_or_404(request, slug)
    _form, filters = _filters(request, team)
    change_set = team_change_sets(team, Filters()).filter(pk=change_set_id).first()
    if change_set is None:
        raise Http404
    page = Paginator(ChangeSetEntries(change_set, filters), ENTRIES_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "team": team,
        "change_set": change_set,
        "actor": actor_name(change_set),
        "page": page,
        "entries": said(list(page.object_list)),
        "query": _without_page(request),
    }
    template = "activity/change_set.html#entries" if request.htmx else "activity/change_set.html"
    return render(request, template, context)


@login_required
@require_POST
def revert(request: HtmxHttpRequest, slug: str, kind: str, history_id: int) -> HttpResponse:
    team = managed_team_or_404(request, slug)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("activity:team_activity", args=[team.slug])
    try:
        revert_entry(team=team, object_type=kind, history_id=history_id, user=request.user)
    except LookupError as error:
        raise Http404 from error
    except ValidationError as error:
        outcome, ok = " ".join(error.messages), False
    else:
        outcome, ok = _("Reverted. The revert is in the list too, and can itself be reverted."), True
    if request.htmx:
        return render(request, "activity/_revert_outcome.html", {"outcome": outcome, "ok": ok})
    (messages.success if ok else messages.error)(request, outcome)
    return redirect(back)


@login_required
@require_GET
def task_recent(request: HtmxHttpRequest, slug: str, task_id: int) -> HttpResponse:
    """The last few changes of a task (its card's folded "Recent changes", fetched when opened); without
    htmx, the activity page filtered to the task."""
    team = managed_team_or_404(request, slug)
    if not team.tasks.filter(pk=task_id).exists():
        raise Http404
    all_url = activity_url(team, task=task_id)
    if not request.htmx:
        return redirect(all_url)
    changes = recent_changes(team, task_id=task_id)
    return render(request, "activity/_recent.html", {"recent_changes": changes, "all_url": all_url})
