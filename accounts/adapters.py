"""allauth customisation, through its adapter rather than forked views."""

from __future__ import annotations

import logging
import threading

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.banned import remember_banned
from accounts.client_addresses import address_key
from accounts.login_limits import consume_login_attempt, remember_device
from config.cache import cache_is_available

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Operators can close signup (e.g. during a spam wave) with SIGNUP_OPEN=false.

        Signup also pauses while the cache (Redis) is unavailable: its per-address rate limit
        lives there and would not hold. Members can still log in and post.
        """
        return settings.SIGNUP_OPEN and cache_is_available()

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        """A short, skippable welcome after signup (accounts/views/journey.py)."""
        return reverse("accounts:onboarding")

    def get_client_ip(self, request: HttpRequest) -> str:
        """A keyed hash of the client's network, never the address: allauth keys its per-address
        rate limits with this, and would store it on the member's sessions."""
        return address_key(super().get_client_ip(request))

    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        """Count the attempt per network, per pseudonym and network, per pseudonym, or per known
        device (``accounts.login_limits``) instead of allauth's per-pseudonym lockout."""
        pseudonym = credentials.get("username") or ""
        self._login_failed_rl_usage = consume_login_attempt(request=request, pseudonym=pseudonym)
        if not self._login_failed_rl_usage:
            raise self.validation_error("too_many_login_attempts")

    def post_login(self, request: HttpRequest, user, **kwargs) -> HttpResponse:
        response = super().post_login(request, user, **kwargs)
        remember_device(request=request, response=response, member=user)
        return response

    def respond_user_inactive(self, request: HttpRequest, user) -> HttpResponse:
        """A banned member with the right password reaches the page that says why and lets them
        appeal (accounts/banned.py), not a dead end."""
        remember_banned(request, user)
        return redirect("forum:banned")

    def send_account_already_exists_mail(self, email: str) -> threading.Thread:
        """Tell the owner of a recovery address that someone signed up with it.

        The mail is rendered here but sent from a background thread, so the signup page answers
        in the same time whether or not the address belongs to a member (sending can take a
        mail server's round trip). Returns the thread, which tests may join.
        """
        from allauth.account.internal import flows

        request = context.request
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            "password_reset_url": flows.password_reset.get_reset_password_url(request),
        }
        message = self.render_mail("account/email/account_already_exists", email, ctx)

        def send() -> None:
            try:
                message.send()
            except Exception:
                logger.exception("The mail to the owner of a recovery address was not sent.")

        thread = threading.Thread(target=send, name="account-exists-mail", daemon=True)
        thread.start()
        return thread
