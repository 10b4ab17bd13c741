from __future__ import annotations

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.validators import MaxLengthValidator, MinLengthValidator

from accounts.actions.profile import BIO_MAX_LENGTH
from accounts.models import Theme
from accounts.pseudonyms import MAX_LENGTH, suggest_pseudonym
from accounts.selectors import pseudonym_is_taken

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


class ProfileForm(forms.Form):
    bio = forms.CharField(
        required=False,
        max_length=BIO_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Plain text, up to 500 characters. Shown on your public profile.",
    )
    show_step = forms.BooleanField(required=False, label="Show my current step on my profile")
    clean_date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Private unless you choose to show your clean time.",
    )
    show_clean_time = forms.BooleanField(
        required=False, label="Show my clean time (in days) on my profile"
    )


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
