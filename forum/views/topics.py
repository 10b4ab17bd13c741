"""The topic page, replying, and jumping to the first unread post."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from config.csrf import masked_token
from forum.actions.posts import PostingError, create_reply
from forum.actions.reading import mark_topic_read
from forum.caching import cache_for_visitors
from forum.forms.boards import PostForm, prepare_composer
from forum.fragments import BlockList, render_page
from forum.models import Topic
from forum.models.following import reply_draft_key
from forum.permissions.posts import (
    TopicLocked,
    WritingNotAllowed,
    can_reply,
    can_view_board,
    can_view_post_body,
    can_view_revisions,
    can_view_topic,
    check_can_reply,
)
from forum.presenters import csrf_input, present_posts, present_topic_parts
from forum.selectors.notifications import header_state
from forum.selectors.topics import (
    first_unread_post,
    get_post,
    get_topic,
    page_of_number,
    parse_page,
    topic_page,
    viewer_reactions,
)
from forum.templatetags.boards import ANONYMOUS_LABEL, FORMER_MEMBER_LABEL
from forum.views.safety import tell_author


def post_url(topic_id: int, number: int, post_id: int) -> str:
    """The stable address of a post's place: its page of the topic, then its anchor."""
    url = reverse("forum:topic", kwargs={"topic_id": topic_id})
    page = page_of_number(number)
    query = f"?page={page}" if page > 1 else ""
    return f"{url}{query}#post-{post_id}"


def _quote(request: HttpRequest, topic: Topic) -> str:
    raw = request.GET.get("quote")
    if not raw or not raw.isdigit():
        return ""
    try:
        post = get_post(int(raw))
    except Http404:  # an unknown id simply quotes nothing
        return ""
    if post.topic_id != topic.pk or not can_view_post_body(post, request.user):
        return ""
    if post.is_anonymous:
        who = ANONYMOUS_LABEL
    elif post.author_id is None:
        who = FORMER_MEMBER_LABEL
    else:
        who = post.author.username
    quoted = "\n".join(f"> {line}" if line else ">" for line in post.body.splitlines())
    return f"> **{who}** wrote:\n>\n{quoted}\n\n"


def topic_refusal(request: HttpRequest, topic: Topic) -> HttpResponse | None:
    """Members-only boards ask visitors to log in; hidden topics are simply not there (404)."""
    if not can_view_board(topic.board, request.user):
        return redirect_to_login(request.get_full_path())
    if not can_view_topic(topic, request.user):
        raise Http404("No such topic.")
    return None


def _reply_form(part: dict) -> dict:
    """The reply composer a topic page's tail prints, made from the part's own values."""
    if not part.get("can_reply"):
        return {}
    form = PostForm(initial={"body": part["draft_body"]})
    return {"form": prepare_composer(form, draft_key=part["draft_key"])}


def _place_topic_blocks(blocks: dict) -> dict:
    (head, tail), posts = blocks["parts"], blocks["posts"]
    return {"head": head, "post_blocks": posts, "tail": tail}


@cache_for_visitors
def topic_detail(request: HttpRequest, topic_id: int) -> HttpResponse:
    viewer = request.user
    topic = get_topic(topic_id, viewer)
    if refusal := topic_refusal(request, topic):
        return refusal
    page = parse_page(request.GET.get("page"))
    posts, page_info = topic_page(topic, page, viewer)
    if posts and viewer.is_authenticated:
        mark_topic_read(
            member=viewer,
            topic=topic,
            up_to_number=posts[-1].number,
            previous=topic.last_read_number,
        )
    if viewer.is_authenticated:
        header_state(viewer)  # the header's one cached read; it also primes the block list
    # Asked for every viewer, whatever the posts, so the query count stays constant.
    show_revisions = can_view_revisions(viewer)
    replying = can_reply(viewer, topic)
    rows = present_posts(
        posts,
        topic=topic,
        viewer=viewer,
        my_reactions=viewer_reactions(viewer, posts),
        can_reply=replying,
        show_revisions=show_revisions,
    )
    parts = present_topic_parts(
        topic,
        viewer=viewer,
        page=page_info,
        can_reply=replying,
        full_path=request.get_full_path(),
    )
    token = masked_token(request) if viewer.is_authenticated else ""
    content = render_page(
        "forum/_topic_content.html",
        {},
        lists={
            "parts": BlockList(
                "forum/_topic_parts.html",
                parts,
                "part",
                # The watch form is any member's; the reply form, like the posts', a writer's.
                csrf_input=token,
                prepare=_reply_form,
            ),
            "posts": BlockList(
                "forum/_post.html", rows, "post", csrf_input=csrf_input(request, token)
            ),
        },
        place=_place_topic_blocks,
    )
    return render(
        request,
        "forum/topic_detail.html",
        {
            "topic": topic,
            "board": topic.board,
            "content": content,
            "can_reply": replying,
        },
    )


def topic_unread(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = get_topic(topic_id, request.user)
    if refusal := topic_refusal(request, topic):
        return refusal
    post = first_unread_post(topic, topic.last_read_number)
    if post is None:
        post = topic.last_post
    if post is None:
        return redirect(topic.get_absolute_url())
    return redirect(post_url(topic.pk, post.number, post.pk))


def reply(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = get_topic(topic_id, request.user)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if refusal := topic_refusal(request, topic):
        return refusal
    context = {"topic": topic, "board": topic.board}
    try:
        check_can_reply(request.user, topic=topic)
    except TopicLocked as refusal:
        return render(request, "forum/reply.html", {**context, "refusal": str(refusal)}, status=403)
    except WritingNotAllowed:
        return render(request, "forum/cannot_write.html", status=403)

    if request.method == "POST":
        form = PostForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                post = create_reply(
                    author=request.user,
                    topic=topic,
                    body=data["body"],
                    content_note=data["content_note"],
                    is_anonymous=data["is_anonymous"],
                )
            except TopicLocked as refusal:
                return render(
                    request, "forum/reply.html", {**context, "refusal": str(refusal)}, status=403
                )
            except WritingNotAllowed:
                return render(request, "forum/cannot_write.html", status=403)
            except PostingError as error:
                form.add_error(error.field, error.message)
            else:
                tell_author(request, post)
                return redirect(post_url(topic.pk, post.number, post.pk))
        prepare_composer(form, draft_key=reply_draft_key(topic.pk))
        return render(request, "forum/reply.html", {**context, "form": form}, status=400)
    form = PostForm(initial={"body": (topic.draft_body or "") + _quote(request, topic)})
    prepare_composer(form, draft_key=reply_draft_key(topic.pk))
    return render(request, "forum/reply.html", {**context, "form": form})
