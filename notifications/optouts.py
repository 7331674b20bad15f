"""Who asked not to receive which kind of message (docs/rules.md, "Notifications").

An unsubscribe link carries a signed token naming an address and a kind: the signature (``SECRET_KEY``,
its own salt) is the authority, so the link needs no login (a digest's recipient may have none) and does
not expire (an old mail's link still works). The preferences page writes the same rows for a login's
addresses. The sender reads every opt-out once per run (``opted_out``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping

from django.core import signing
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import MailOptOut, SentMessage

SALT = "notifications.unsubscribe"
KINDS = tuple(SentMessage.Kind.values)

# The kinds as the pages and the mails' footers name them ("Stop weekly digests to a***@example.com?").
KIND_NAMES = {
    SentMessage.Kind.DIGEST: _("weekly digests"),
    SentMessage.Kind.NOTICE: _("assignment notices"),
    SentMessage.Kind.ALERT: _("flag alerts"),
}


def normalized(address: str) -> str:
    return address.strip().lower()


def unsubscribe_token(address: str, kind: str) -> str:
    """The signed token of an unsubscribe link: ``address`` out of ``kind``."""
    return signing.dumps({"a": normalized(address), "k": kind}, salt=SALT)


def token_read(token: str) -> tuple[str, str] | None:
    """(address, kind) of a token this site signed; None for anything else (tampered, cut, made up)."""
    try:
        data = signing.loads(token, salt=SALT)  # no max_age: the link in an old mail keeps working
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    address, kind = data.get("a"), data.get("k")
    if not isinstance(address, str) or not address or len(address) > 254 or kind not in KINDS:
        return None
    return address, kind


def masked(address: str) -> str:
    """Enough of an address to recognize it, not to harvest it: "a***@example.com"."""
    local, at, domain = address.partition("@")
    return f"{local[:1]}***{at}{domain}"


def opted_out() -> dict[str, set[str]]:
    """Every address that opted out, by kind: one query, whatever the number of recipients."""
    found: dict[str, set[str]] = defaultdict(set)
    for address, kind in MailOptOut.objects.values_list("address", "kind"):
        found[kind].add(address)
    return found


def opted_out_of(addresses: Collection[str]) -> set[tuple[str, str]]:
    """The (address, kind) opt-outs of ``addresses``: one query (none without addresses)."""
    if not addresses:
        return set()
    wanted = {normalized(address) for address in addresses}
    return set(MailOptOut.objects.filter(address__in=wanted).values_list("address", "kind"))


@transaction.atomic
def opt_outs_set(choices: Mapping[str, tuple[Collection[str], bool]]) -> None:
    """For each kind, its addresses and whether they receive it: removes or writes their opt-outs, all in
    one transaction. Idempotent: an opt-out already there stays one row (``ON CONFLICT DO NOTHING``, which
    also lets two clicks at once both succeed)."""
    for kind, (addresses, receiving) in choices.items():
        addresses = sorted({normalized(address) for address in addresses if address})
        if not addresses:
            continue
        if receiving:
            MailOptOut.objects.filter(address__in=addresses, kind=kind).delete()
        else:
            rows = [MailOptOut(address=address, kind=kind) for address in addresses]
            MailOptOut.objects.bulk_create(rows, ignore_conflicts=True)


def opt_out_set(*, address: str, kind: str, receiving: bool) -> None:
    """One address in or out of one kind (an unsubscribe link, and subscribing again)."""
    opt_outs_set({kind: ([address], receiving)})
