"""Moving on with weight, the onboarding after signup, and the private clean date."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accounts.actions.journey import (
    StepMoveRefused,
    ask_mentor_first,
    declare_prior_steps,
    move_on_after_asking,
    move_to_step,
    waiting_move_request,
)
from accounts.actions.profile import set_clean_date
from accounts.clean_time import milestone_today, milestones_reached, next_milestone
from accounts.forms_workbook import CleanDateForm, ReflectionForm
from accounts.models import LAST_STEP
from accounts.selectors_workbook import active_mentorship_as_mentee
from accounts.step_rules import may_declare_prior_steps
from forum.selectors.steps import all_steps


def _steps_by_number() -> dict:
    return {step.number: step for step in all_steps()}


@never_cache
@login_required
def move_on(request: HttpRequest, number: int) -> HttpResponse:
    """Only the member's current step has a way on; other numbers lead to it."""
    member = request.user
    if number != member.current_step:
        if not 1 <= number <= LAST_STEP:
            raise Http404("There are twelve steps.")
        return redirect("accounts:move_on", number=member.current_step)
    if number >= LAST_STEP:
        messages.info(request, "Step 12 is the last step: it is practised for life.")
        return redirect("forum:step", number=number)
    waiting = waiting_move_request(member)
    form = ReflectionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        text = request.POST.get("reflection", "")
        try:
            if "move_waiting" in request.POST and waiting is not None:
                move_on_after_asking(member=member, request=waiting)
            elif "ask" in request.POST:
                ask_mentor_first(member=member, reflection=text)
                messages.success(
                    request,
                    "Your mentor is asked. Their note will come here; you can still "
                    "move on alone whenever you choose.",
                )
                return redirect("accounts:move_on", number=number)
            else:
                move_to_step(member=member, to_step=number + 1, reflection=text)
        except StepMoveRefused as refusal:
            form.is_valid()
            form.add_error("reflection", str(refusal))
            status = 400
        else:
            messages.success(
                request, f"You are now on Step {member.current_step}. Your reflection is kept."
            )
            return redirect("forum:step", number=member.current_step)
    steps = _steps_by_number()
    context = {
        "step": steps[number],
        "next_step": steps[number + 1],
        "form": form,
        "waiting": waiting,
        "mentorship": active_mentorship_as_mentee(member),
    }
    return render(request, "accounts/journey/move_on.html", context, status=status)


@never_cache
@login_required
def onboarding(request: HttpRequest) -> HttpResponse:
    """A short welcome after signup; every part of it is optional and it can be skipped."""
    member = request.user
    status = 200
    errors: list[str] = []
    if request.method == "POST":
        clean_form = CleanDateForm(request.POST)
        if clean_form.is_valid() and clean_form.cleaned_data["clean_date"]:
            try:
                set_clean_date(member=member, clean_date=clean_form.cleaned_data["clean_date"])
            except ValidationError as error:
                errors += error.messages
        elif clean_form.errors:
            errors.append("That clean date is not a date; you can set it later.")
        if request.POST.get("where") == "before" and may_declare_prior_steps(member):
            try:
                to_step = int(request.POST.get("to_step", "0"))
                declare_prior_steps(
                    member=member, to_step=to_step, reflection=request.POST.get("reflection", "")
                )
            except (ValueError, StepMoveRefused) as refusal:
                errors.append(
                    str(refusal) if isinstance(refusal, StepMoveRefused) else "Choose a step."
                )
        if not errors:
            messages.success(request, f"Welcome. You are on Step {member.current_step}.")
            return redirect("home")
        status = 400
    context = {
        "steps": all_steps(),
        "may_declare": may_declare_prior_steps(member),
        "clean_form": CleanDateForm(initial={"clean_date": member.clean_date}),
        "errors": errors,
        "later_steps": range(member.current_step + 1, LAST_STEP + 1),
    }
    return render(request, "accounts/journey/onboarding.html", context, status=status)


@never_cache
@login_required
def clean_date(request: HttpRequest) -> HttpResponse:
    """The private clean date: days and milestones for the member alone, and a kind reset."""
    member = request.user
    form = CleanDateForm(request.POST or None, initial={"clean_date": member.clean_date})
    status = 200
    if request.method == "POST":
        if "start_again" in request.POST:
            set_clean_date(member=member, clean_date=timezone.localdate())
            return redirect(f"{reverse('accounts:clean_date')}?started=again")
        if form.is_valid():
            try:
                set_clean_date(member=member, clean_date=form.cleaned_data["clean_date"])
            except ValidationError as error:
                form.add_error("clean_date", error)
            else:
                messages.success(request, "Saved. Only you see it.")
                return redirect("accounts:clean_date")
        status = 400
    days = member.clean_days()
    context = {
        "form": form,
        "days": days,
        "milestone_today": milestone_today(days),
        "milestones": milestones_reached(days),
        "next_milestone": next_milestone(days),
        "started_again": request.GET.get("started") == "again",
        "mentorship": active_mentorship_as_mentee(member),
        "today": timezone.localdate(),
        "one_day": datetime.timedelta(days=1),
    }
    return render(request, "accounts/journey/clean_date.html", context, status=status)
