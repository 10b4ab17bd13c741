"""A member's own settings: profile, step journey, export and account deletion."""

from __future__ import annotations

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.actions.deletion import WrongPassword, delete_account
from accounts.actions.journey import StepMoveRefused, move_to_step
from accounts.actions.profile import set_theme, update_profile
from accounts.forms import PasswordConfirmForm, ProfileForm, StepMoveForm, ThemeForm
from accounts.selectors import export_member_data, step_history
from accounts.selectors_mentoring import blocks_made_by
from accounts.step_rules import allowed_next_steps, may_declare_prior_steps
from forum.selectors.notifications import preferences_for


def _settings_page(request: HttpRequest, *, profile_form=None, status=200) -> HttpResponse:
    member = request.user
    profile_form = profile_form or ProfileForm(
        initial={
            "bio": member.bio,
            "show_step": member.show_step,
        }
    )
    context = {
        "profile_form": profile_form,
        "history": step_history(member),
        "next_step": member.current_step + 1 if member.current_step < 12 else None,
        "earlier_steps": [n for n in allowed_next_steps(member) if n < member.current_step],
        "may_declare": may_declare_prior_steps(member),
        "delete_form": PasswordConfirmForm(),
        "blocks": blocks_made_by(member),
        "notification_preferences": preferences_for(member),
        "theme_form": ThemeForm(initial={"theme": member.theme}),
    }
    return render(request, "accounts/me.html", context, status=status)


@login_required
def me(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                update_profile(member=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Your settings are saved.")
                return redirect("accounts:me")
        return _settings_page(request, profile_form=form, status=400)
    return _settings_page(request)


@login_required
@require_POST
def change_theme(request: HttpRequest) -> HttpResponse:
    form = ThemeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose light, dark or the same as your device.")
        return redirect("accounts:me")
    set_theme(member=request.user, theme=form.cleaned_data["theme"])
    messages.success(request, "Your colours are saved.")
    return redirect(f"{reverse('accounts:me')}#theme-heading")


@login_required
@require_POST
def change_step(request: HttpRequest) -> HttpResponse:
    form = StepMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a step from 1 to 12.")
        return redirect("accounts:me")
    try:
        move_to_step(
            member=request.user,
            to_step=form.cleaned_data["to_step"],
            reflection=request.POST.get("reflection", ""),
        )
    except StepMoveRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"You are now on Step {request.user.current_step}.")
    return redirect("accounts:me")


def own_data_view(view):
    """A view of the member's own data, open to a logged-in member and to a banned member on
    their page (accounts/banned.py): both can take their data away or delete the account."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        owner = request.user if request.user.is_authenticated else None
        owner = owner or getattr(request, "banned_member", None)
        if owner is None:
            return login_required(view)(request, *args, **kwargs)
        return view(request, owner, *args, **kwargs)

    return wrapper


@own_data_view
@require_GET
def export(request: HttpRequest, owner) -> HttpResponse:
    data = export_member_data(owner)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    filename = f"homegroup-export-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@own_data_view
def delete(request: HttpRequest, owner) -> HttpResponse:
    form = PasswordConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            delete_account(member=owner, password=form.cleaned_data["password"])
        except WrongPassword as error:
            form.add_error("password", str(error))
        else:
            logout(request)
            messages.success(request, "Your account is deleted. Take good care of yourself.")
            return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/delete.html", {"form": form}, status=status)
