"""One post: its stable link, editing, removal by its author, reactions, earlier versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from forum.actions.posts import PostingError, delete_own_post, edit_post
from forum.actions.reactions import toggle_reaction
from forum.forms.boards import EditPostForm
from forum.permissions.posts import (
    WritingNotAllowed,
    can_view_post_body,
    can_view_revisions,
    check_can_delete_post,
    check_can_edit_post,
)
from forum.selectors.topics import get_post, member_revisions
from forum.views.topics import post_url, topic_refusal


def _visible_post(request: HttpRequest, post_id: int):
    post = get_post(post_id)
    return post, topic_refusal(request, post.topic)


def post_redirect(request: HttpRequest, post_id: int) -> HttpResponse:
    """``/p/<id>/`` -> the page of its topic that holds it, at its anchor."""
    post, refusal = _visible_post(request, post_id)
    if refusal:
        return refusal
    return redirect(post_url(post.topic_id, post.number, post.pk))


def edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post, refusal = _visible_post(request, post_id)
    if refusal:
        return refusal
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_view_post_body(post, request.user):
        raise Http404("No such post.")
    check_can_edit_post(request.user, post=post)
    topic = post.topic
    with_title = post.is_opening
    if request.method == "POST":
        form = EditPostForm(request.POST, with_title=with_title)
        if form.is_valid():
            data = form.cleaned_data
            try:
                edit_post(
                    editor=request.user,
                    post=post,
                    body=data["body"],
                    content_note=data["content_note"],
                    title=data.get("title") if with_title else None,
                )
            except PostingError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(request, "Your post is updated.")
                return redirect(post_url(topic.pk, post.number, post.pk))
        status = 400
    else:
        initial = {"body": post.body, "content_note": post.content_note}
        if with_title:
            initial["title"] = topic.title
        form = EditPostForm(initial=initial, with_title=with_title)
        status = 200
    return render(
        request,
        "forum/post_edit.html",
        {"post": post, "topic": topic, "board": topic.board, "form": form},
        status=status,
    )


def delete(request: HttpRequest, post_id: int) -> HttpResponse:
    post, refusal = _visible_post(request, post_id)
    if refusal:
        return refusal
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    check_can_delete_post(request.user, post=post)
    if request.method == "POST":
        delete_own_post(member=request.user, post=post)
        messages.success(request, "Your post is removed. Replies to it stay in the topic.")
        return redirect(post_url(post.topic_id, post.number, post.pk))
    return render(
        request,
        "forum/post_delete.html",
        {"post": post, "topic": post.topic, "board": post.topic.board},
    )


@require_POST
def react(request: HttpRequest, post_id: int) -> HttpResponse:
    post, refusal = _visible_post(request, post_id)
    if refusal:
        return refusal
    if not request.user.is_authenticated:
        return redirect_to_login(post.get_absolute_url())
    try:
        toggle_reaction(member=request.user, post=post, kind=request.POST.get("kind", ""))
    except WritingNotAllowed:
        return render(request, "forum/cannot_write.html", status=403)
    except PostingError as error:
        messages.error(request, error.message)
    return redirect(post_url(post.topic_id, post.number, post.pk))


def revisions(request: HttpRequest, post_id: int) -> HttpResponse:
    """Earlier versions of an edited post, for moderators only (404 for everyone else)."""
    if not can_view_revisions(request.user):
        raise Http404("No such page.")
    post = get_post(post_id)
    return render(
        request,
        "forum/post_revisions.html",
        {
            "post": post,
            "topic": post.topic,
            "board": post.topic.board,
            "revisions": member_revisions(post),
        },
    )
