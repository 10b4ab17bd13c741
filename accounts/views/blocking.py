"""Block and unblock from a profile page or /me/. The blocked member is never told."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.actions.blocking import BlockRefused, block_member, unblock_member
from accounts.selectors import get_member_by_pseudonym


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@login_required
@require_POST
def block(request: HttpRequest, pseudonym: str) -> HttpResponse:
    member = get_member_by_pseudonym(pseudonym)
    try:
        block_member(blocker=request.user, blocked=member)
    except BlockRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            f"You blocked {member.username}. Their posts and messages are folded away for you, "
            "and they cannot contact you privately. They are not told.",
        )
    return _back(request, member.get_absolute_url())


@login_required
@require_POST
def unblock(request: HttpRequest, pseudonym: str) -> HttpResponse:
    member = get_member_by_pseudonym(pseudonym)
    if unblock_member(blocker=request.user, blocked_id=member.pk):
        messages.success(request, f"You unblocked {member.username}.")
    return _back(request, member.get_absolute_url())
