"""allauth customisation, through its adapter rather than forked views."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest

from config.cache import cache_is_available


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Operators can close signup (e.g. during a spam wave) with SIGNUP_OPEN=false.

        Signup also pauses while the cache (Redis) is unavailable: its per-address rate limit
        lives there and would not hold. Members can still log in and post.
        """
        return settings.SIGNUP_OPEN and cache_is_available()
