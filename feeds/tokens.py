"""A feed's address token: a public selector and a secret verifier, side by side (docs/rules.md, "Calendar feeds").

``/calendar/<token>.ics`` with ``token`` = selector (12 characters, 72 random bits) + verifier (32 characters,
192 bits). A request finds its row by the selector (a unique index: a lookup by an equality that says nothing
about the secret) and then compares the SHA-256 of the verifier it was given with the stored one using
``hmac.compare_digest``, which takes the same time wherever the two differ. Comparing digests of equal length,
never the secret itself, also keeps the length of the guess out of the timing.

The verifier is an HMAC of a random 256-bit ``seed`` under the site's ``SECRET_KEY`` (Django's
``salted_hmac``): the database keeps the seed and the verifier's digest, so the pages can show the address
again, while the database alone gives no address. A feed keeps working after the secret key is rotated
(requests are checked against the stored digest); the pages can show its address as long as the old key is
among ``SECRET_KEY_FALLBACKS``, and ask for a new address after that.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.conf import settings
from django.utils.crypto import salted_hmac

SELECTOR_BYTES = 9  # 72 bits: 12 URL-safe characters
SEED_BYTES = 32
VERIFIER_BYTES = 24  # 192 bits: 32 URL-safe characters
SELECTOR_LENGTH = 12
VERIFIER_LENGTH = 32
TOKEN_LENGTH = SELECTOR_LENGTH + VERIFIER_LENGTH
_URL_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
_SALT = "teamplanner.feeds.verifier"
# Compared against when no row has the selector, so a made-up token costs the same comparison as a wrong one.
_NO_DIGEST = hashlib.sha256(b"no feed has this selector").hexdigest()


def new_selector() -> str:
    return secrets.token_urlsafe(SELECTOR_BYTES)


def new_seed() -> str:
    return secrets.token_urlsafe(SEED_BYTES)


def verifier_of(seed: str, secret: str | None = None) -> str:
    """The secret half of the address, from the stored seed and the site's secret key (or ``secret``)."""
    digest = salted_hmac(_SALT, seed, secret=secret, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:VERIFIER_BYTES]).decode()


def digest_of(verifier: str) -> str:
    return hashlib.sha256(verifier.encode()).hexdigest()


def split_token(token: str) -> tuple[str, str] | None:
    """(selector, verifier), or None for anything that cannot be a token (404 without a query)."""
    if len(token) != TOKEN_LENGTH or not _URL_SAFE.issuperset(token):
        return None
    return token[:SELECTOR_LENGTH], token[SELECTOR_LENGTH:]


def verifier_matches(stored_digest: str | None, verifier: str) -> bool:
    """Whether ``verifier`` is the one whose digest is stored, in constant time (None: no such selector)."""
    return hmac.compare_digest(stored_digest or _NO_DIGEST, digest_of(verifier)) and stored_digest is not None


def shown_verifier(seed: str, stored_digest: str) -> str | None:
    """The verifier to show on the pages: derived with the secret key, or a fallback key it was made with;
    None when none of them gives it any more (the address still works, but must be replaced to be seen)."""
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        verifier = verifier_of(seed, secret)
        if hmac.compare_digest(digest_of(verifier), stored_digest):
            return verifier
    return None
