"""What is new (Latest, Unread), and what a member keeps track of: follows, mutes, bookmarks,
drafts, and the @mention suggestions of the composers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from forum.actions.drafts import DraftRefused, save_draft
from forum.actions.following import set_board_follow, set_bookmark, set_topic_watch
from forum.actions.mentions import suggest_mentions
from forum.caching import cache_for_visitors, private_write
from forum.errors import RateLimited
from forum.models import TopicWatchLevel
from forum.presenters import present_topics
from forum.selectors.boards import get_general_board
from forum.selectors.following import bookmarks_of, latest_reads, unread_topics
from forum.selectors.topics import get_post, get_topic
from forum.views.boards import topic_page


def _topic_list_page(request: HttpRequest, topics, *, which: str) -> HttpResponse:
    page = topic_page(request, topics)
    return render(
        request,
        "forum/latest.html",
        {
            "which": which,
            "topics_page": page,
            "topic_rows": present_topics(page.object_list, viewer=request.user, show_board=True),
        },
    )


@cache_for_visitors
@require_GET
def latest(request: HttpRequest) -> HttpResponse:
    return _topic_list_page(request, latest_reads(request.user), which="latest")


@login_required
@require_GET
def unread(request: HttpRequest) -> HttpResponse:
    return _topic_list_page(request, unread_topics(request.user), which="unread")


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Back to the page the form was on, if it is one of ours."""
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(fallback)


@login_required
@require_POST
@private_write
def topic_watch(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = get_topic(topic_id, request.user)
    level = request.POST.get("level") or None
    if level is not None and level not in TopicWatchLevel.values:
        return HttpResponse("Unknown choice.", status=400, content_type="text/plain")
    set_topic_watch(member=request.user, topic=topic, level=level)
    return _back(request, topic.get_absolute_url())


@login_required
@require_POST
@private_write
def board_follow(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_general_board(slug)
    set_board_follow(member=request.user, board=board, follow=request.POST.get("follow") == "1")
    return _back(request, board.get_absolute_url())


@login_required
@require_POST
@private_write
def bookmark(request: HttpRequest, post_id: int) -> HttpResponse:
    post = get_post(post_id)
    set_bookmark(member=request.user, post=post, bookmarked=request.POST.get("bookmark") == "1")
    return _back(request, post.get_absolute_url())


@login_required
@require_GET
def bookmarks(request: HttpRequest) -> HttpResponse:
    return render(request, "forum/bookmarks.html", {"bookmarks": list(bookmarks_of(request.user))})


@require_POST
@private_write
def draft(request: HttpRequest) -> HttpResponse:
    """Called by static/js/composer.js as the member types; answers JSON, never a redirect."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "Please log in."}, status=401)
    try:
        saved = save_draft(
            member=request.user,
            key=request.POST.get("key", ""),
            title=request.POST.get("title", ""),
            body=request.POST.get("body", ""),
        )
    except Http404:
        return JsonResponse({"error": "No such composer."}, status=404)
    except RateLimited as refusal:
        return JsonResponse({"error": str(refusal)}, status=429)
    except DraftRefused as refusal:
        return JsonResponse({"error": str(refusal)}, status=400)
    return JsonResponse({"saved": saved is not None})


@require_GET
def mentions(request: HttpRequest) -> HttpResponse:
    """Pseudonyms by prefix for the composer's @mention list: members only, rate-limited."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "Please log in."}, status=401)
    try:
        names = suggest_mentions(member=request.user, prefix=request.GET.get("q", ""))
    except RateLimited as refusal:
        return JsonResponse({"error": str(refusal)}, status=429)
    response = JsonResponse({"pseudonyms": names})
    response["Cache-Control"] = "private, no-store"
    return response
