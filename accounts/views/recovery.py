"""allauth's recovery-email page, unchanged except where it would reveal another member's address."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.account.views import EmailView
from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect

from accounts.selectors import recovery_address_is_held


class RecoveryEmailView(EmailView):
    def _action_primary(self, request: HttpRequest, *args, **kwargs):
        """An address another member recovers with stays theirs; the page answers as if done.

        Such an address reaches a member's list only when they typed it at signup (see
        ``accounts.forms.SignupForm.save``); refusing here would tell them whose it is.
        """
        address = self._get_email_address(request)
        if (
            address
            and request.user.email.lower() != address.email.lower()
            and recovery_address_is_held(address.email)
        ):
            get_adapter().add_message(
                request, messages.SUCCESS, "account/messages/primary_email_set.txt"
            )
            return HttpResponseRedirect(self.get_success_url())
        return super()._action_primary(request, *args, **kwargs)


email = RecoveryEmailView.as_view()
