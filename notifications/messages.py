"""Alerts and notices as emails: text and HTML (inline styles only, no images), in the recipient's language.

An alert writes the new flags as the overview does (``flag_lines``: a person's weeks over capacity folded
into one line), under the overview's headings, each line with the overview's first "fix it" link made
absolute with ``TEAMPLANNER_SITE_URL`` (unset: no links, a relative address is no use in a mail client).
Every message ends with a link out of its kind (``notifications.optouts``), with the same condition.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from assignments.flag_lines import flag_lines
from assignments.formatting import day_text
from assignments.selectors.overview import FLAG_GROUPS
from assignments.views.overview import FlagLinks

from .alerts import Alert
from .models import SentMessage
from .notices import Change, ChangeKind, Notice
from .optouts import KIND_NAMES, unsubscribe_token


def site_url(path: str) -> str:
    """``path`` on the site, or "" when ``TEAMPLANNER_SITE_URL`` is not set."""
    base = settings.TEAMPLANNER_SITE_URL.rstrip("/")
    return f"{base}{path}" if base else ""


def unsubscribe_url(address: str, kind: str) -> str:
    """The link that takes ``address`` out of ``kind`` in one click, or "" when the site's address is unknown."""
    return site_url(reverse("notifications:unsubscribe", args=[unsubscribe_token(address, kind)]))


def multipart(item, *, template: str, kind: str, context_of: Callable[[Any], dict], connection=None):
    """The message to ``item.recipient`` from ``notifications/<template>.txt`` and ``.html``, its context
    (``context_of(item)``) written in ``item.language``, with the footer's unsubscribe link and the headers
    that give mail clients their own button for it (``List-Unsubscribe``; ``List-Unsubscribe-Post``: the
    one-click POST of RFC 8058)."""
    recipient, language = item.recipient, item.language
    unsubscribe = unsubscribe_url(recipient, kind)
    headers = {"Content-Language": language}
    if unsubscribe:
        headers |= {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    with translation.override(language):
        context = {
            **context_of(item),
            "unsubscribe": unsubscribe,
            "unsubscribe_text": _("Unsubscribe from %(kind)s") % {"kind": KIND_NAMES[kind]},
        }
        text = render_to_string(f"notifications/{template}.txt", context)
        html = render_to_string(f"notifications/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=context["subject"],
        body=text,
        to=[recipient],
        connection=connection,
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def alert_message(alert: Alert, *, connection=None) -> EmailMultiAlternatives:
    return multipart(
        alert, template="alert", kind=SentMessage.Kind.ALERT, context_of=alert_context, connection=connection
    )


def alert_context(alert: Alert) -> dict:
    """The new flags by kind, in the overview's order and words, each with its link (when the site is known)."""
    links = FlagLinks(alert.team, alert.start)
    by_kind = defaultdict(list)
    for line in flag_lines(alert.new_flags):
        href, text = links.of(line.flag)[0]
        by_kind[line.kind].append({"sentence": line.sentence, "url": site_url(href), "link": text})
    groups = [{"title": str(title), "lines": by_kind[kind]} for kind, title in FLAG_GROUPS.items() if by_kind[kind]]
    count = len(alert.new_flags)
    return {
        "subject": _("New flags for %(team)s") % {"team": alert.team.name},
        "name": alert.manager.get_full_name() or alert.manager.get_username(),
        "language": alert.language,
        "intro": _("These flags are new since your last alert, over the four weeks from %(week)s.")
        % {"week": day_text(alert.start)},
        "count": count,
        "groups": groups,
        "overview": site_url(reverse("assignments:team_overview", args=[alert.team.slug])),
    }


def notice_message(notice: Notice, *, connection=None) -> EmailMultiAlternatives:
    return multipart(
        notice, template="notice", kind=SentMessage.Kind.NOTICE, context_of=notice_context, connection=connection
    )


def notice_context(notice: Notice) -> dict:
    return {
        "subject": _("Changes to your duties"),
        "name": notice.member.full_name,
        "language": notice.language,
        "changes": [change_text(change) for change in notice.changes],
        "duties": site_url(reverse("assignments:my_duties")),
    }


def change_text(change: Change) -> str:
    """One change as a sentence, in the active language."""
    if change.kind == ChangeKind.ASSIGNED:
        return _("You were assigned %(task)s, %(share)s %%.") % {"task": change.task, "share": change.share}
    if change.kind == ChangeKind.UNASSIGNED:
        return _("You were removed from %(task)s.") % {"task": change.task}
    if change.kind == ChangeKind.SHARE:
        return _("Your share of %(task)s changed from %(old)s %% to %(new)s %%.") % {
            "task": change.task,
            "old": change.old_share,
            "new": change.share,
        }
    if change.start == change.end:
        return _("You cover %(name)s on %(task)s on %(date)s.") % {
            "name": change.covered,
            "task": change.task,
            "date": day_text(change.start),
        }
    return _("You cover %(name)s on %(task)s from %(start)s to %(end)s.") % {
        "name": change.covered,
        "task": change.task,
        "start": day_text(change.start),
        "end": day_text(change.end),
    }
