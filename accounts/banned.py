"""A banned member is never at a dead end: one page stays open to them, every other is closed.

A banned account cannot log in (allauth refuses an inactive member). Instead of allauth's bare
"inactive" page, the member's id is kept in the session, and ``BannedMemberMiddleware`` sends
every request of that session to the one page that says why, when, and how to appeal. A session
that was live when the account closed (its member id in the session, the member now inactive) is
treated the same way. Sockets stay closed: the member is never authenticated.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.models import User
from accounts.standing import is_banned

BANNED_SESSION_KEY = "banned_member_id"

# URL names a banned member may still reach: their page and its forms, crisis help, their data,
# and the app's own files (a service worker or a manifest redirected to a page would break).
OPEN_TO_BANNED = (
    "forum:banned",
    "forum:banned_appeal",
    "forum:banned_leave",
    "forum:crisis",
    "accounts:export",
    "accounts:delete",
    "forum:offline",
    "forum:manifest",
    "forum:service_worker",
    "forum:robots_txt",
    "forum:favicon",
)


def remember_banned(request: HttpRequest, member: User) -> None:
    """After a correct password for a closed account: this session belongs to that member."""
    request.session[BANNED_SESSION_KEY] = member.pk


def banned_member(request: HttpRequest) -> User | None:
    """The banned member this session belongs to, or None (no query for anyone else)."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return None
    session = request.session
    member_id = session.get(BANNED_SESSION_KEY) or session.get(SESSION_KEY)
    if not member_id:
        return None
    member = User.objects.filter(pk=member_id).first()
    if member is None or not is_banned(member):
        session.pop(BANNED_SESSION_KEY, None)
        return None
    if session.get(BANNED_SESSION_KEY) != member.pk:
        session[BANNED_SESSION_KEY] = member.pk
    return member


class BannedMemberMiddleware:
    """Sends a banned member's every request to their page (after AuthenticationMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open_paths: frozenset[str] | None = None

    def open_paths(self) -> frozenset[str]:
        if self._open_paths is None:
            self._open_paths = frozenset(reverse(name) for name in OPEN_TO_BANNED)
        return self._open_paths

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.banned_member = banned_member(request)
        if request.banned_member is not None and request.path not in self.open_paths():
            return redirect("forum:banned")
        return self.get_response(request)
