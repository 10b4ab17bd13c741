from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.models import EmailAddress
from django import forms
from django.core.validators import MaxLengthValidator, MinLengthValidator

from accounts.actions.profile import BIO_MAX_LENGTH
from accounts.models import Theme
from accounts.pseudonyms import MAX_LENGTH, suggest_pseudonym
from accounts.selectors import pseudonym_is_taken, recovery_address_is_held

EMAIL_HELP = "Optional. Only for password recovery; never shown to anyone."


class SignupForm(AllauthSignupForm):
    """allauth's signup with our wording and a free pseudonym suggested."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = "Pseudonym"
        username.max_length = None
        username.validators = [
            v
            for v in username.validators
            if not isinstance(v, MinLengthValidator | MaxLengthValidator)
        ]
        username.widget.attrs.update({"maxlength": MAX_LENGTH, "autocomplete": "username"})
        username.help_text = (
            "3-30 letters, digits, _ - or . Not your real name, email or phone number."
        )
        if not self.is_bound:
            self.suggested_pseudonym = suggest_pseudonym(is_taken=pseudonym_is_taken)
            username.initial = self.suggested_pseudonym
        email = self.fields["email"]
        email.label = "Email (optional)"
        email.required = False
        email.help_text = EMAIL_HELP
        email.widget.attrs["placeholder"] = ""
        self.address_already_held = False

    def validate_unique_email(self, value: str) -> str:
        """Never say that an address belongs to a member (allauth would, with verification off).

        The account is created either way; see ``save``.
        """
        self.address_already_held = recovery_address_is_held(value)
        return value

    def save(self, request):
        """Join exactly as with a fresh address; a held address stays its owner's alone.

        The new account keeps the address it typed, unverified and never used for recovery
        (recovery reads ``User.email``, which stays empty), so nothing it can see differs from a
        fresh signup; the owner is told by mail.
        """
        if not self.address_already_held:
            return super().save(request)
        email = self.cleaned_data["email"]
        self.cleaned_data["email"] = ""
        member = super().save(request)
        self.cleaned_data["email"] = email
        EmailAddress.objects.create(user=member, email=email, primary=True, verified=False)
        get_adapter().send_account_already_exists_mail(email)
        return member


class ResetPasswordForm(AllauthResetPasswordForm):
    """Reset links go only to the account whose recovery address this is (``User.email``), never
    to an account that merely typed the same address at signup."""

    def clean_email(self) -> str:
        email = super().clean_email()
        self.users = [user for user in self.users if user.email.lower() == email.lower()]
        return email


class ProfileForm(forms.Form):
    bio = forms.CharField(
        required=False,
        max_length=BIO_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Plain text, up to 500 characters. Shown on your public profile.",
    )
    show_step = forms.BooleanField(required=False, label="Show my current step on my profile")


class StepMoveForm(forms.Form):
    to_step = forms.IntegerField(min_value=1, max_value=12)


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Type your password to confirm.",
    )


class ThemeForm(forms.Form):
    theme = forms.ChoiceField(
        label="Colours", choices=Theme.choices, widget=forms.RadioSelect, initial=Theme.SYSTEM
    )


class LoginForm(AllauthLoginForm):
    """allauth's login in the site's words: a pseudonym, and the page's own single
    "Forgot your password?" link instead of a second one under the password box."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Pseudonym"
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me logged in on this device"

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            if getattr(error, "code", None) == "username_password_mismatch":
                raise forms.ValidationError(
                    "That pseudonym and password do not match.", code=error.code
                ) from error
            raise
