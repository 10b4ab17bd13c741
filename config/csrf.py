"""The CSRF token a page prints: Django's, masked once per request, and cheaply.

Django's ``get_token`` masks the secret anew on each call, one ``secrets.choice`` and two
``str.index`` a character: about 490 Python calls, a fifteenth of a member page. The token made
here is the same construction (a random mask of ``CSRF_ALLOWED_CHARS``, then the secret added
to it character by character), so Django's middleware checks it as its own; the mask is drawn
uniformly from ``os.urandom`` (bytes below 248, a multiple of the 62 characters, taken modulo
62) and kept for the rest of the request while the secret stays the same.
"""

from __future__ import annotations

import os

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils.functional import SimpleLazyObject

CHARS = CSRF_ALLOWED_CHARS
BASE = len(CHARS)
INDEX = {char: index for index, char in enumerate(CHARS)}
UNBIASED_BELOW = 256 - 256 % BASE
REQUEST_ATTRIBUTE = "_masked_csrf_token"


def random_mask() -> str:
    chars: list[str] = []
    while len(chars) < CSRF_SECRET_LENGTH:
        chars += [CHARS[byte % BASE] for byte in os.urandom(64) if byte < UNBIASED_BELOW]
    return "".join(chars[:CSRF_SECRET_LENGTH])


def mask_secret(secret: str) -> str:
    """Django's ``_mask_cipher_secret``."""
    mask = random_mask()
    return mask + "".join(
        [CHARS[(INDEX[s] + INDEX[m]) % BASE] for s, m in zip(secret, mask, strict=True)]
    )


def masked_token(request: HttpRequest) -> str:
    """What ``get_token(request)`` gives, made once for the request.

    As ``get_token``, it marks the cookie for sending (its expiry renewed); a request without
    a CSRF secret yet gets one from Django's own ``get_token``."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        return get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    made = getattr(request, REQUEST_ATTRIBUTE, None)
    if made is None or made[0] != secret:  # a login rotates the secret mid-request
        made = (secret, mask_secret(secret))
        setattr(request, REQUEST_ATTRIBUTE, made)
    return made[1]


def csrf(request: HttpRequest) -> dict:
    """The context processor: ``csrf_token`` for ``{% csrf_token %}``, as Django's own."""
    return {"csrf_token": SimpleLazyObject(lambda: masked_token(request))}
