"""How many wrong passwords may be tried, and by whom, without letting a stranger lock a member out.

A pseudonym is public, so a limit per pseudonym alone would let anyone block its owner. Failed
attempts are counted instead (allauth's rate limits, settings ``ACCOUNT_RATE_LIMITS``):

- ``login_failed``: per network, across all pseudonyms (one guesser trying many members);
- ``login_failed_network``: per pseudonym *and* network (one guesser trying one member);
- ``login_failed_pseudonym``: per pseudonym from anywhere, slower (many networks, one member);
- ``login_failed_known_device``: the only limit on a browser the member has logged in from
  before, recognised by a signed cookie, so nothing a stranger does elsewhere stops the owner
  on their own device.

Networks are keyed by a keyed hash (``accounts.client_addresses``); the cookie holds a random
device id and keyed hashes of the pseudonyms that logged in with it, never a pseudonym.
"""

from __future__ import annotations

import secrets

from allauth.account.adapter import get_adapter
from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.http import HttpRequest, HttpResponseBase
from django.utils.crypto import salted_hmac

APP = "allauth.account"
KNOWN_DEVICE_COOKIE = "hg_device"
KNOWN_DEVICE_SALT = "homegroup.known-device"
KNOWN_DEVICE_MAX_AGE = 365 * 24 * 60 * 60
KNOWN_PSEUDONYMS_PER_DEVICE = 5


def _pseudonym_tag(pseudonym: str) -> str:
    return salted_hmac(KNOWN_DEVICE_SALT, pseudonym.lower(), algorithm="sha256").hexdigest()[:20]


def _known_device(request: HttpRequest) -> dict | None:
    try:
        data = signing.loads(
            request.COOKIES.get(KNOWN_DEVICE_COOKIE, ""),
            salt=KNOWN_DEVICE_SALT,
            max_age=KNOWN_DEVICE_MAX_AGE,
        )
    except signing.BadSignature:
        return None
    if isinstance(data, dict) and isinstance(data.get("known"), list) and data.get("id"):
        return data
    return None


def consume_login_attempt(
    *, request: HttpRequest, pseudonym: str
) -> ratelimit.RateLimitUsage | None:
    """Count one attempt in every bucket it belongs to; None when any bucket is full.

    allauth rolls the returned usage back when the password was right, so only failures count.
    """
    pseudonym = pseudonym.lower()
    device = _known_device(request)
    if device and _pseudonym_tag(pseudonym) in device["known"]:
        buckets = [("login_failed_known_device", f"{pseudonym}:{device['id']}")]
    else:
        network = get_adapter().get_client_ip(request)
        buckets = [
            ("login_failed", None),
            ("login_failed_network", f"{pseudonym}:{network}"),
            ("login_failed_pseudonym", pseudonym),
        ]
    usages: list = []
    for action, key in buckets:
        usage = ratelimit.consume(request, app=APP, action=action, key=key)
        if usage is None:
            for earlier in usages:
                earlier.rollback()
            return None
        usages.append(usage)
    return ratelimit.RateLimitUsage(usage=[single for usage in usages for single in usage.usage])


def remember_device(
    *, request: HttpRequest, response: HttpResponseBase, member: AbstractBaseUser
) -> None:
    """After a successful login (or signup), this browser is one the member uses."""
    device = _known_device(request) or {"id": secrets.token_urlsafe(12), "known": []}
    tag = _pseudonym_tag(member.get_username())
    known = [t for t in device["known"] if t != tag][-(KNOWN_PSEUDONYMS_PER_DEVICE - 1) :]
    value = signing.dumps({"id": device["id"], "known": [*known, tag]}, salt=KNOWN_DEVICE_SALT)
    response.set_cookie(
        KNOWN_DEVICE_COOKIE,
        value,
        max_age=KNOWN_DEVICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
