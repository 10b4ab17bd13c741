"""allauth customisation, through its adapter rather than forked views."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Operators can close signup (e.g. during a spam wave) with SIGNUP_OPEN=false."""
        return settings.SIGNUP_OPEN

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        """A short, skippable welcome after signup (accounts/views/journey.py)."""
        return reverse("accounts:onboarding")
