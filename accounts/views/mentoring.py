"""Mentoring pages at /mentoring/: thin views over accounts/actions/mentoring.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.actions.mentoring import (
    MentoringRefused,
    accept_request,
    decline_request,
    end_mentorship,
    post_open_request,
    request_mentor,
    save_mentor_profile,
    set_paused,
    withdraw_request,
)
from accounts.forms_mentoring import AnswerForm, MentorProfileForm, MentorRequestForm
from accounts.permissions import can_ask_for_mentor, can_mentor
from accounts.roles import capabilities
from accounts.selectors import get_member_by_pseudonym
from accounts.selectors_mentoring import (
    available_mentors,
    get_mentorship_for,
    get_request_for_answer,
    incoming_requests,
    mentor_profile_for,
    mentorships_for,
    open_requests_for,
    pending_open_request,
    requests_sent_by,
)
from forum.actions.moderation import set_mentor_role


def _profile_form(profile, data=None) -> MentorProfileForm:
    if data is not None:
        return MentorProfileForm(data)
    if profile is None:
        return MentorProfileForm()
    return MentorProfileForm(
        initial={
            "intro": profile.intro,
            "focus_steps": profile.focus_steps,
            "capacity": profile.capacity,
            "is_paused": profile.is_paused,
        }
    )


def _home(request: HttpRequest, *, profile_form=None, open_form=None, status=200) -> HttpResponse:
    member = request.user
    is_mentor = can_mentor(member)
    profile = mentor_profile_for(member)
    mentorships = list(mentorships_for(member))
    sent = list(requests_sent_by(member))
    has_mentor = any(m.is_active and m.mentee_id == member.pk for m in mentorships)
    context = {
        "is_mentor": is_mentor,
        "profile": profile,
        "profile_form": profile_form or _profile_form(profile),
        "open_form": open_form or MentorRequestForm(),
        "answer_form": AnswerForm(),
        "can_ask": can_ask_for_mentor(member) and not has_mentor,
        "is_suspended": not can_ask_for_mentor(member),
        "has_mentor": has_mentor,
        "asked_ids": {r.mentor_id for r in sent if r.is_pending and r.mentor_id},
        "mentors": available_mentors(member),
        "incoming": list(incoming_requests(member)) if profile else [],
        "open_requests": list(open_requests_for(member)) if is_mentor and profile else [],
        "sent": sent,
        "my_open_request": pending_open_request(member),
        "active_mentorships": [m for m in mentorships if m.is_active],
        "past_mentorships": [m for m in mentorships if not m.is_active],
        "active_as_mentor": sum(1 for m in mentorships if m.is_active and m.mentor_id == member.pk),
    }
    return render(request, "accounts/mentoring/home.html", context, status=status)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return _home(request)


@login_required
@require_POST
def save_profile(request: HttpRequest) -> HttpResponse:
    form = MentorProfileForm(request.POST)
    if form.is_valid():
        try:
            save_mentor_profile(member=request.user, **form.cleaned_data)
        except MentoringRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Your mentor profile is saved.")
            return redirect("accounts:mentoring")
    return _home(request, profile_form=form, status=400)


@login_required
@require_POST
def pause(request: HttpRequest) -> HttpResponse:
    paused = request.POST.get("paused") == "1"
    try:
        set_paused(member=request.user, paused=paused)
    except MentoringRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            "You are paused: nobody can ask you for now."
            if paused
            else "You are available for new requests again.",
        )
    return redirect("accounts:mentoring")


@login_required
def ask(request: HttpRequest, pseudonym: str) -> HttpResponse:
    mentor = get_member_by_pseudonym(pseudonym)
    form = MentorRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            request_mentor(mentee=request.user, mentor=mentor, message=form.cleaned_data["message"])
        except MentoringRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Your request is on its way to {mentor.username}.")
            return redirect("accounts:mentoring")
    status = 400 if request.method == "POST" else 200
    context = {"mentor": mentor, "form": form, "profile": mentor_profile_for(mentor)}
    return render(request, "accounts/mentoring/ask.html", context, status=status)


@login_required
@require_POST
def open_request(request: HttpRequest) -> HttpResponse:
    form = MentorRequestForm(request.POST)
    if form.is_valid():
        try:
            post_open_request(mentee=request.user, message=form.cleaned_data["message"])
        except MentoringRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request, "Your open request is posted. Any available mentor can take it."
            )
            return redirect("accounts:mentoring")
    return _home(request, open_form=form, status=400)


def _answer(request: HttpRequest, pk: int, action) -> HttpResponse:
    mentor_request = get_request_for_answer(request.user, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "A note is at most 400 characters.")
        return redirect("accounts:mentoring")
    try:
        return action(mentor=request.user, request=mentor_request, note=form.cleaned_data["note"])
    except MentoringRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("accounts:mentoring")


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    def do(**kwargs):
        mentorship = accept_request(**kwargs)
        messages.success(
            request,
            f"You are now {mentorship.mentee.username}'s mentor. Your private room is open.",
        )
        return redirect(mentorship.get_absolute_url())

    return _answer(request, pk, do)


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    def do(**kwargs):
        declined = decline_request(**kwargs)
        messages.success(request, f"You declined {declined.mentee.username}'s request.")
        return redirect("accounts:mentoring")

    return _answer(request, pk, do)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    mentor_request = get_request_for_answer(request.user, pk)
    try:
        withdraw_request(member=request.user, request=mentor_request)
    except MentoringRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Your request is withdrawn.")
    return redirect("accounts:mentoring")


@login_required
def mentorship(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_mentorship_for(request.user, pk)
    context = {
        "mentorship": found,
        "other": found.other(request.user),
        "other_name": found.other_name(request.user),
    }
    return render(request, "accounts/mentoring/mentorship.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def end(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST ends the mentorship."""
    found = get_mentorship_for(request.user, pk)
    if request.method == "GET":
        if not found.is_active:
            return redirect(found.get_absolute_url())
        context = {"mentorship": found, "other_name": found.other_name(request.user)}
        return render(request, "accounts/mentoring/end_confirm.html", context)
    try:
        end_mentorship(member=request.user, mentorship=found)
    except MentoringRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "The mentorship has ended. Its room stays readable for you both.")
    return redirect(found.get_absolute_url())


@login_required
@require_POST
def mentor_role(request: HttpRequest, pseudonym: str) -> HttpResponse:
    if not capabilities(request.user).moderate_members:
        raise PermissionDenied
    member = get_member_by_pseudonym(pseudonym)
    granted = request.POST.get("grant") == "1"
    set_mentor_role(moderator=request.user, member=member, granted=granted)
    if granted:
        messages.success(request, f"{member.username} may now mentor.")
    else:
        messages.success(request, f"{member.username} no longer holds the mentor role.")
    return redirect(member.get_absolute_url())
