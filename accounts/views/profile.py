from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.permissions import blocked_ids, can_ask_mentor, can_mentor, has_mentor_role
from accounts.roles import capabilities
from accounts.selectors import get_member_by_pseudonym
from accounts.selectors_mentoring import mentor_profile_for


def profile(request: HttpRequest, pseudonym: str) -> HttpResponse:
    member = get_member_by_pseudonym(pseudonym)
    viewer = request.user
    is_self = viewer.is_authenticated and viewer.pk == member.pk
    mentor_profile = mentor_profile_for(member) if can_mentor(member) else None
    context = {
        "member": member,
        "is_self": is_self,
        "viewer_blocked": viewer.is_authenticated and member.pk in blocked_ids(viewer),
        "mentor_profile": mentor_profile,
        "can_ask_mentor": can_ask_mentor(viewer, member, profile=mentor_profile),
        "moderator_view": capabilities(viewer).is_moderator and not is_self,
        "holds_mentor_role": capabilities(viewer).moderate_members and has_mentor_role(member),
    }
    return render(request, "accounts/profile.html", context)
