"""Board pages (general boards and, through views/steps.py, step boards) and the topic composer."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, get_urlconf, reverse

from accounts.step_rules import can_carry_message, carry_message_step
from forum.actions.posts import PostingError
from forum.actions.topics import create_topic, tells_others_what_to_do
from forum.caching import cache_for_visitors
from forum.forms.boards import TopicForm, prepare_composer
from forum.fragments import render_page
from forum.markup import render_markdown
from forum.models import Board, TopicKind
from forum.models.following import topic_draft_key
from forum.permissions.posts import (
    ShareNotAllowed,
    WritingNotAllowed,
    can_view_board,
    can_write,
    check_can_start_topic,
)
from forum.presenters import csrf_field, present_topic_rows
from forum.selectors.boards import (
    all_general_boards,
    board_topic_reads,
    get_general_board,
    get_step_board,
    share_reads,
    topic_page_of,
)
from forum.selectors.following import follows_board, get_draft
from forum.selectors.paging import KeysetPage, ListReads
from forum.selectors.topics import parse_page
from forum.views.safety import tell_author

KIND_TABS = [TopicKind.HELPING, TopicKind.MESSAGE]


def parse_kind(raw: str | None) -> str:
    """Helping others is the default tab; an unknown kind is a 404, not a silent fallback."""
    if not raw:
        return TopicKind.HELPING
    if raw not in TopicKind.values:
        raise Http404("No such kind of topic.")
    return raw


def topic_page(request: HttpRequest, topics: QuerySet | ListReads) -> KeysetPage:
    """The page a board or topic list's address asks for: ``?page=N``, with a cursor from our
    own next/previous links (``after``/``before``)."""
    return topic_page_of(
        topics,
        parse_page(request.GET.get("page")),
        settings.HOMEGROUP["TOPICS_PER_PAGE"],
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )


def board_paths(slug: str) -> dict[str, str]:
    """A board's follow and new-topic addresses, reversed once per board, URLconf and prefix."""
    return _board_paths(slug, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=256)
def _board_paths(slug: str, urlconf: str, prefix: str) -> dict[str, str]:
    return {
        "follow": reverse("forum:board_follow", kwargs={"slug": slug}, urlconf=urlconf),
        "new_topic": reverse("forum:new_topic", kwargs={"slug": slug}, urlconf=urlconf),
    }


def board_context(request: HttpRequest, board: Board) -> dict:
    """Everything a board prints (forum/_board.html), as plain values: the selected kind's
    topics, one page, never both kinds mixed."""
    kind = str(parse_kind(request.GET.get("kind")))
    gathers_shares = (
        kind == TopicKind.MESSAGE
        and board.step_id is not None
        and board.step_id == carry_message_step()
    )
    user = request.user
    topics = (
        share_reads(user) if gathers_shares else board_topic_reads(board, kind=kind, viewer=user)
    )
    page = topic_page(request, topics)
    member = bool(user.is_authenticated)
    return {
        "board": {
            "name": board.name,
            "slug": board.slug,
            "step_id": board.step_id,
            "description": board.description,
        },
        "user": {
            "is_authenticated": member,
            "current_step": user.current_step if member else None,
        },
        "login_next": "" if member else request.get_full_path(),
        "kind": kind,
        "kind_label": str(TopicKind(kind).label),
        "tabs": [(str(k), str(TopicKind(k).label)) for k in KIND_TABS],
        "topics_page": {
            "has_other_pages": page.has_other_pages,
            "has_previous": page.has_previous,
            "has_next": page.has_next,
            "number": page.number,
            "num_pages": page.num_pages,
            "previous_page_number": page.previous_page_number,
            "next_page_number": page.next_page_number,
            "previous_cursor": page.previous_cursor,
            "next_cursor": page.next_cursor,
        },
        "topic_rows": present_topic_rows(page.object_list, viewer=user, show_board=gathers_shares),
        "gathers_shares": gathers_shares,
        "follows_board": follows_board(board, user),
        "follow_url": board_paths(board.slug)["follow"],
        "can_write": can_write(user),
        "can_carry_message": can_carry_message(user),
        "new_topic_url": f"{board_paths(board.slug)['new_topic']}?kind={kind}",
    }


def render_board_page(
    request: HttpRequest, template_name: str, *, own_part: str, values: dict, context: dict
) -> HttpResponse:
    """A board or step page: its own part (``own_part``, printed from ``values`` only) is one
    entry shared between members whose values are equal (forum/fragments.py), inside
    ``template_name`` rendered with ``context`` (the title, the robots tag, base.html)."""
    csrf = csrf_field(request) if request.user.is_authenticated else ""
    content = render_page(own_part, values, csrf_input=csrf)
    return render(request, template_name, {**context, "content_html": content})


@cache_for_visitors
def board_list(request: HttpRequest) -> HttpResponse:
    return render(request, "forum/board_list.html", {"boards": all_general_boards()})


@cache_for_visitors
def board_detail(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_general_board(slug)
    if board.step_id is not None:
        return redirect(board.get_absolute_url(), permanent=True)
    if not can_view_board(board, request.user):
        return redirect_to_login(request.get_full_path())
    return render_board_page(
        request,
        "forum/board_detail.html",
        own_part="forum/_board_page.html",
        values=board_context(request, board),
        context={"board": board},
    )


def _share_gate(request: HttpRequest, board: Board, *, status: int) -> HttpResponse:
    """Below Step 12: explain the two kinds of service and point to where the member can help."""
    member = request.user
    current_board = get_step_board(member.current_step)
    return render(
        request,
        "forum/share_gate.html",
        {
            "board": board,
            "current_board": current_board,
            "carry_step": carry_message_step(),
            "helping_url": f"{reverse('forum:new_topic', kwargs={'slug': board.slug})}"
            f"?kind={TopicKind.HELPING}",
        },
        status=status,
    )


def _cannot_write(request: HttpRequest, *, status: int = 403) -> HttpResponse:
    return render(request, "forum/cannot_write.html", status=status)


def _own_step_reflections(member) -> list:
    """The member's own moving-on reflections, offered to copy (never link) into a share."""
    from accounts.selectors_workbook import step_reflections

    return step_reflections(member)


def new_topic(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_general_board(slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    kind = parse_kind(request.POST.get("kind") or request.GET.get("kind"))
    try:
        check_can_start_topic(request.user, board=board, kind=kind)
    except ShareNotAllowed:
        return _share_gate(request, board, status=403)
    except WritingNotAllowed:
        return _cannot_write(request)

    is_share = kind == TopicKind.MESSAGE
    preview_html = ""
    nudge = False
    if request.method == "POST":
        form = TopicForm(request.POST, share=is_share)
        if form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                preview_html = render_markdown(data["body"])
                nudge = is_share and tells_others_what_to_do(data["body"])
            else:
                try:
                    topic = create_topic(
                        author=request.user,
                        board=board,
                        kind=kind,
                        title=data["title"],
                        body=data["body"],
                        content_note=data["content_note"],
                        is_anonymous=data["is_anonymous"],
                    )
                except ShareNotAllowed:
                    return _share_gate(request, board, status=403)
                except WritingNotAllowed:
                    return _cannot_write(request)
                except PostingError as error:
                    form.add_error(error.field, error.message)
                else:
                    tell_author(request, topic)
                    return redirect(topic.get_absolute_url())
    else:
        draft = get_draft(request.user, topic_draft_key(board.slug, kind))
        initial = {"title": draft.title, "body": draft.body} if draft else {}
        form = TopicForm(share=is_share, initial=initial)
    prepare_composer(form, draft_key=topic_draft_key(board.slug, kind))
    return render(
        request,
        "forum/topic_new.html",
        {
            "board": board,
            "kind": kind,
            "kind_label": TopicKind(kind).label,
            "is_share": is_share,
            "form": form,
            "preview_html": preview_html,
            "nudge": nudge,
            "reflections": _own_step_reflections(request.user) if is_share else [],
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )
