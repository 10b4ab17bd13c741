"""Sessions read from the cache with their member: one cache round trip a signed-in request.

Django reads a request's session from the cache, then its authentication backend reads the
member (accounts/session_members.py): two round trips, the second waiting on the first for the
member's id. Each process remembers whose each session it saw last (a hint: only a hash of the
session key and the member's id), and ``SessionStore.load`` asks for that member's keys in the
session's own read. Nothing rests on the hint: the session data read in the same round trip
says whose the session is, and the member's read is used only when they are the one, and only
by Django's ``get_user`` for this request (``AuthenticationMiddleware``). A session the process
has not seen yet, or a hint that no longer holds, costs the second round trip, as before.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY, get_user
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.backends import OneQueryPermissionsBackend, permission_keys
from accounts.session_members import MemberRead, read_with_session, reading_with_session

# The backend whose get_user reads the member with session_members (its sessions' members are
# worth reading ahead).
READ_AHEAD_BACKEND = (
    f"{OneQueryPermissionsBackend.__module__}.{OneQueryPermissionsBackend.__name__}"
)
MAX_OWNERS = 10_000
# hash(session key) -> the member id its data held when this process last read or wrote it.
_owners: dict[int, str] = {}


def _remember_owner(session_key: str | None, data: dict) -> None:
    if not session_key:
        return
    owner = data.get(SESSION_KEY) if data.get(BACKEND_SESSION_KEY) == READ_AHEAD_BACKEND else None
    if owner is None:
        _owners.pop(hash(session_key), None)
        return
    if len(_owners) >= MAX_OWNERS:
        _owners.clear()
    _owners[hash(session_key)] = owner


class SessionStore(CachedDBStore):
    """Django's ``cached_db`` sessions, whose cache read brings the member's keys too."""

    member_read: MemberRead | None = None

    def load(self) -> dict:
        cache_key = self.cache_key
        owner = _owners.get(hash(self.session_key))
        if settings.SESSION_CACHE_ALIAS != "default":
            owner = None  # the member's keys live in the default cache
        try:
            data, self.member_read = read_with_session(
                self._cache, cache_key, owner, permission_keys(owner) if owner else ()
            )
        except Exception:
            # As Django's: a backend refusing the key resets the session (#17810).
            data, self.member_read = None, None
        if data is None:
            stored = self._get_session_from_db()
            if stored:
                data = self.decode(stored.session_data)
                self._cache.set(cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
            else:
                data = {}
        _remember_owner(self.session_key, data)
        return data

    def save(self, must_create: bool = False) -> None:
        super().save(must_create)
        _remember_owner(self.session_key, self._session)


def session_user(request: HttpRequest):
    """Django's ``get_user``, using the member's keys read with the session if they were."""
    with reading_with_session(request.session):
        return get_user(request)


class AuthenticationMiddleware(DjangoAuthentication):
    """Django's, with ``request.user`` from ``session_user``."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: session_user(request))
