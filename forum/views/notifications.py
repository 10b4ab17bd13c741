"""/notifications/: the list, newest first; mark one or all read; per-kind preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from forum.actions.notifications import mark_all_read, mark_read, set_preferences
from forum.models import NotificationKind
from forum.selectors.notifications import PAGE_SIZE, get_notification_for, notifications_for
from forum.selectors.paging import keyset_page
from forum.selectors.topics import parse_page


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = keyset_page(
        notifications_for(request.user),
        per_page=PAGE_SIZE,
        number=parse_page(request.GET.get("page")),
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    if page is None:
        raise Http404("No such page.")
    return render(request, "forum/notifications.html", {"page": page})


def _safe_url(request: HttpRequest, url: str) -> str | None:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


@login_required
@require_POST
def read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read; with ``open=1`` go on to what it is about."""
    notification = get_notification_for(request.user, pk)
    if notification is None:
        raise Http404("No such notification.")
    mark_read(member=request.user, notification_id=notification.pk)
    if request.POST.get("open") == "1":
        target = _safe_url(request, notification.url)
        if target:
            return redirect(target)
    return redirect("forum:notifications")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = mark_all_read(member=request.user)
    if count:
        messages.success(request, "All your notifications are marked read.")
    return redirect("forum:notifications")


@login_required
@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    chosen = [kind for kind in request.POST.getlist("kinds") if kind in NotificationKind.values]
    set_preferences(member=request.user, enabled_kinds=chosen)
    messages.success(request, "Your notification choices are saved.")
    return redirect("accounts:me")
