"""What the board and topic pages print for each row, computed in Python once per page.

Why this exists: on a member's topic page, Django's template engine spent most of the request
on ~150 ``{% url %}`` tags, nested includes and attribute lookups on model instances (each a
failed ``obj[key]`` before the ``getattr``). Here every row becomes a plain dict of ready
values (URLs built from one reversed pattern per page, labels, the viewer's flags), so the row
partials (``forum/_post.html``, ``forum/_topic_list.html``) only print them. What a person sees
does not change: the rules come from ``forum/permissions`` and ``forum/templatetags/boards.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import avoid_wrapping, format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.timesince import MONTHS_DAYS, TIME_CHUNKS, TIME_STRINGS, TIME_STRINGS_KEYS
from django.utils.timezone import is_aware
from django.utils.translation import get_language, gettext

from accounts.permissions import block_applies, blocked_ids
from config.csrf import masked_token
from forum.models import Board, Post, PostState, ReactionKind, Topic, TopicKind
from forum.models.following import reply_draft_key
from forum.permissions.moderation import can_review
from forum.permissions.posts import (
    can_delete_post,
    can_edit_post,
    can_view_post_body,
    can_write,
)
from forum.templatetags.boards import author_html, author_label_html

# An id no row reaches: reverse() is asked once with it, then it is swapped for each real id.
_SLOT = 9_081_726_354


# A pseudonym no member has (too long to be valid), made only of characters reverse() keeps.
_PSEUDONYM_SLOT = "pseudonym9081726354slot9081726354slot"
# What reverse() leaves unquoted in a path argument (django.urls.resolvers).
_PATH_SAFE = RFC3986_SUBDELIMS + "/~:@"


@lru_cache(maxsize=128)
def _url_halves(
    name: str,
    slot: str,
    fixed: tuple,
    urlconf: str | None,
    root: str,
    prefix: str,
    sentinel: int | str = _SLOT,
) -> tuple[str, str]:
    url = reverse(name, urlconf=urlconf, kwargs={**dict(fixed), slot: sentinel})
    before, found, after = url.partition(str(sentinel))
    if not found:
        raise ValueError(f"{name} does not print its {slot} argument as it is")
    return before, after


def id_url(name: str, slot: str, **fixed) -> Callable[[int], str]:
    """``reverse(name, kwargs={slot: id, **fixed})`` for many ids, at the cost of one reverse().

    Integer path arguments print as themselves, so the reversed pattern is split around a
    sentinel id; the halves are cached per URLconf and script prefix.
    """
    before, after = _url_halves(
        name,
        slot,
        tuple(sorted(fixed.items())),
        get_urlconf(),
        settings.ROOT_URLCONF,
        get_script_prefix(),
    )
    return lambda pk: f"{before}{pk}{after}"


class _ProfileUrls(dict):
    """Profile addresses by pseudonym, for the cost of one reverse() per process: the reversed
    pattern is split around a sentinel pseudonym, and each pseudonym is quoted as reverse()
    quotes it (a reverse() per author was a tenth of a board page)."""

    def __init__(self) -> None:
        super().__init__()
        self.before, self.after = _url_halves(
            "accounts:profile",
            "pseudonym",
            (),
            get_urlconf(),
            settings.ROOT_URLCONF,
            get_script_prefix(),
            _PSEUDONYM_SLOT,
        )

    def __missing__(self, pseudonym: str) -> str:
        url = self[pseudonym] = f"{self.before}{quote(pseudonym, safe=_PATH_SAFE)}{self.after}"
        return url


class _Reader:
    """What an author label asks of the viewer (signed in, and who), read once from the
    request's lazy user rather than through its proxy for every author on a page."""

    __slots__ = ("is_authenticated", "pk")

    def __init__(self, viewer) -> None:
        self.is_authenticated = bool(viewer is not None and viewer.is_authenticated)
        self.pk = viewer.pk if self.is_authenticated else None


def _author(seen: dict[tuple, str], item, viewer, profiles: _ProfileUrls) -> str:
    """``author_html``, once per author and anonymity on a page."""
    key = (item.author_id, item.is_anonymous)
    if key not in seen:
        seen[key] = author_html(item, viewer, profiles)
    return seen[key]


def _when(value, zone=None, language: str | None = None) -> tuple[str, str]:
    """``|date:'c'`` and ``|date:"j M Y, H:i"`` in the current zone, as Django's DateFormat
    prints them ("c" is isoformat(), "M" the title-cased MONTHS_3), without its parsing.

    A page passes its ``zone`` and ``language`` (each is a context-local lookup); a post's
    moment is the same on every page, so its text is kept per moment, zone and language."""
    return _when_in(
        value,
        zone or timezone.get_current_timezone(),
        language if language is not None else get_language(),
    )


@lru_cache(maxsize=4096)
def _when_in(value, zone, language: str | None) -> tuple[str, str]:
    local = timezone.localtime(value, zone)
    label = (
        f"{local.day} {MONTHS_3[local.month].title()} {local.year:04d}, "
        f"{local.hour:02d}:{local.minute:02d}"
    )
    return local.isoformat(), label


# Topic pages -------------------------------------------------------------------------------


# Words of a "time since" label, per (language, unit, number): bounded, units are small numbers.
_UNIT_TEXTS: dict[tuple[str | None, str, int], str] = {}


class _UnitWords:
    """One unit's words ("3 hours") for ``timesince``'s ``time_strings``, looked up once.

    Django formats every unit of every label through a lazy ``ngettext`` (about a hundred
    Python calls a label, a tenth of a board page's thirty rows). Here each (language, unit,
    number) is translated and kept from wrapping once per process, so the text is the same.
    """

    __slots__ = ("language", "unit")

    def __init__(self, language: str | None, unit: str) -> None:
        self.language = language
        self.unit = unit

    def __mod__(self, values: dict) -> str:
        key = (self.language, self.unit, values["num"])
        text = _UNIT_TEXTS.get(key)
        if text is None:
            text = _UNIT_TEXTS[key] = avoid_wrapping(str(TIME_STRINGS[self.unit] % values))
        return text


class _PageWords(dict):
    """The unit words of one language, with the separator between two units."""

    def __init__(self, language: str | None) -> None:
        super().__init__({unit: _UnitWords(language, unit) for unit in TIME_STRINGS})
        self.separator = gettext(", ")


def time_since(when: datetime, now: datetime, words: _PageWords | None = None) -> str:
    """Django's ``timesince(when, now)`` text (two units at most), its arithmetic step for step
    without its lazy translation per call; pass ``time_since_words()`` for a page's rows."""
    words = words or time_since_words()
    if is_aware(now) and is_aware(when):
        now = now.astimezone(when.tzinfo)
    delta = now - when
    if delta.days * 86_400 + delta.seconds <= 0:
        return words["minute"] % {"num": 0}
    total_months = (now.year - when.year) * 12 + (now.month - when.month)
    if when.day > now.day or (when.day == now.day and when.time() > now.time()):
        total_months -= 1
    years, months = divmod(total_months, 12)
    pivot = when
    if years or months:
        pivot_year = when.year + years
        pivot_month = when.month + months
        if pivot_month > 12:
            pivot_month -= 12
            pivot_year += 1
        pivot = datetime(
            pivot_year,
            pivot_month,
            min(MONTHS_DAYS[pivot_month - 1], when.day),
            when.hour,
            when.minute,
            when.second,
            tzinfo=when.tzinfo,
        )
    remaining = (now - pivot).total_seconds()
    partials = [years, months]
    for chunk in TIME_CHUNKS:
        count = int(remaining // chunk)
        partials.append(count)
        remaining -= chunk * count
    first = next((n for n, value in enumerate(partials) if value), None)
    if first is None:
        return words["minute"] % {"num": 0}
    parts = [words[TIME_STRINGS_KEYS[first]] % {"num": partials[first]}]
    if first + 1 < len(partials) and partials[first + 1]:
        parts.append(words[TIME_STRINGS_KEYS[first + 1]] % {"num": partials[first + 1]})
    return words.separator.join(parts)


def time_since_words() -> _PageWords:
    """The unit words for the active language, built once per page."""
    return _PageWords(get_language())


def csrf_input(request, token: str = "") -> str:
    """What ``{% csrf_token %}`` prints, made once for the page's many reaction forms.

    Only for members who may react: a visitor's page must not set the CSRF cookie (it would
    keep the page out of the visitor cache). ``token``: the request's ``masked_token()`` when the
    caller has it already.
    """
    if not can_write(request.user):
        return ""
    return csrf_field(request, token)


def csrf_field(request, token: str = "") -> str:
    """What ``{% csrf_token %}`` prints for this request (``token``: as for ``csrf_input``)."""
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
        token or masked_token(request),
    )


def present_posts(
    posts: Iterable[Post],
    *,
    topic: Topic,
    viewer,
    my_reactions: set[tuple[int, str]],
    can_reply: bool,
    show_revisions: bool,
) -> list[dict]:
    """One dict per post for ``forum/_post.html``; no query (the caller primed the block list)."""
    member = bool(viewer.is_authenticated)
    viewer_id = viewer.pk if member else None
    writes = can_write(viewer)
    reviews = can_review(viewer)
    blocked = blocked_ids(viewer) if member else frozenset()
    post_link = id_url("forum:post", "post_id")
    react_url = id_url("forum:post_react", "post_id")
    edit_url = id_url("forum:post_edit", "post_id")
    delete_url = id_url("forum:post_delete", "post_id")
    revisions_url = id_url("forum:post_revisions", "post_id")
    report_url = id_url("forum:report", "target_id", kind="post")
    bookmark_url = id_url("forum:bookmark", "post_id")
    moderate_url = id_url("forum:moderation_item", "target_id", kind="post")
    quote_prefix = f"{id_url('forum:reply', 'topic_id')(topic.pk)}?quote="
    zone = timezone.get_current_timezone()
    language = get_language()
    profiles = _ProfileUrls()
    authors: dict[tuple, str] = {}
    reader = _Reader(viewer)
    kinds = [(kind.value, kind.label) for kind in ReactionKind]
    rows = []
    for post in posts:
        pk = post.pk
        pk_text = str(pk)  # printed as given; an int would go through number localization
        body_visible = can_view_post_body(post, viewer)
        own = member and post.author_id is not None and post.author_id == viewer_id
        created_iso, created_label = _when(post.created_at, zone, language)
        row = {
            "pk": pk_text,
            "is_opening": post.number == 1,
            "author_html": _author(authors, post, reader, profiles),
            "url": post_link(pk),
            "created_iso": created_iso,
            "created_label": created_label,
            "edited": post.edited_at is not None and body_visible,
            "edited_by_moderator": post.edited_by_moderator,
            "revisions_url": revisions_url(pk) if show_revisions else "",
            "pending_note": post.is_pending and body_visible,
            "folded": block_applies(blocked, author_id=post.author_id, anonymous=post.is_anonymous),
            "removed_by_author": post.state == PostState.REMOVED_BY_AUTHOR,
            "removed_by_moderator": post.state == PostState.REMOVED_BY_MODERATOR,
            "held": post.state == PostState.HELD,
            "body_visible": body_visible,
            "content_note": post.content_note,
            "body_html": post.body_html,
        }
        if body_visible:
            row.update(
                can_react=writes,
                react_url=react_url(pk),
                reactions=[
                    {
                        "kind": value,
                        "label": label,
                        "count": str(post.reaction_count(value)),
                        "pressed": (pk, value) in my_reactions,
                    }
                    for value, label in kinds
                ],
                quote_url=f"{quote_prefix}{pk}" if can_reply else "",
                # Both are the author's own only: asked of the viewer's posts alone.
                edit_url=edit_url(pk) if own and can_edit_post(viewer, post) else "",
                delete_url=delete_url(pk) if own and can_delete_post(viewer, post) else "",
                report_url=report_url(pk) if member and not own else "",
                moderate_url=moderate_url(pk) if reviews else "",
                bookmark_url=bookmark_url(pk) if writes else "",
                bookmarked=getattr(post, "bookmarked", False),
            )
        rows.append(row)
    return rows


def present_topic_parts(
    topic: Topic, *, viewer, page, can_reply: bool, full_path: str
) -> list[dict]:
    """The head and the tail of a topic page around its posts, for ``forum/_topic_parts.html``:
    each row holds exactly what its part prints (a visitor's next-address, a member's watch
    level and reply draft), so a rendered part is shared by every viewer it fits."""
    member = bool(viewer.is_authenticated)
    topic_id = topic.pk
    board = topic.board
    board_part = {
        "step_id": board.step_id,
        "get_absolute_url": _board_url(board),
        "name": board.name,
    }
    page_part = {
        "number": page.number,
        "num_pages": page.num_pages,
        "has_other_pages": page.has_other_pages,
        "has_previous": page.has_previous,
        "previous_page_number": page.previous_page_number,
        "has_next": page.has_next,
        "next_page_number": page.next_page_number,
    }
    head = {
        "head": True,
        "board": board_part,
        "pk": topic_id,
        "kind": topic.kind,
        "title": topic.title,
        "is_pinned": topic.is_pinned,
        "is_locked": topic.is_locked,
        "is_pending": topic.is_pending,
        "may_report": member and topic.author_id != viewer.pk,
        "viewer": {"is_authenticated": member},
        "may_moderate": can_review(viewer),
        "member": member,
        "watch_level": topic.watch_level if member else None,
        "page": page_part,
    }
    tail = {
        "head": False,
        "board": board_part,
        "pk": topic_id,
        "is_locked": topic.is_locked,
        "member": member,
        "login_next": "" if member else full_path,
        "can_reply": can_reply,
        "draft_body": (topic.draft_body or "") if can_reply else "",
        "draft_key": reply_draft_key(topic_id) if can_reply else "",
        "page": page_part,
    }
    return [head, tail]


def _board_url(board) -> str:
    if board.step_id is not None:
        return id_url("forum:step", "number")(board.step_id)
    return board.get_absolute_url()


# Board pages -------------------------------------------------------------------------------


def present_topics(topics: Iterable[Topic | dict], *, viewer, show_board: bool) -> list[dict]:
    """One dict per topic row for ``forum/_topic_list.html``, from topics or from their plain
    values (``topic_values``); no query."""
    return present_topic_rows(
        [
            topic if isinstance(topic, dict) else topic_values(topic, with_board=show_board)
            for topic in topics
        ],
        viewer=viewer,
        show_board=show_board,
    )


def topic_values(topic: Topic, *, with_board: bool) -> dict:
    """A listed topic as the plain values ``values(*TOPIC_ROW_VALUES)`` reads
    (forum/selectors/boards.py), the read marker included; its board's only ``with_board``."""
    named = not topic.is_anonymous and topic.author_id is not None
    values = {
        "id": topic.pk,
        "kind": topic.kind,
        "title": topic.title,
        "author_id": topic.author_id,
        "author__username": topic.author.username if named else "",
        "is_anonymous": topic.is_anonymous,
        "content_note": topic.content_note,
        "is_locked": topic.is_locked,
        "is_pinned": topic.is_pinned,
        "reply_count": topic.reply_count,
        "last_activity_at": topic.last_activity_at,
        "board_id": topic.board_id,
        "last_read_number": getattr(topic, "last_read_number", None),
    }
    if with_board:
        board = topic.board
        values.update(board__name=board.name, board__slug=board.slug, board__step_id=board.step_id)
    return values


@lru_cache(maxsize=8)
def _kind_badge(kind: str) -> str:
    return render_to_string(
        "forum/_kind_badge.html", {"kind": kind, "label": TopicKind(kind).label}
    )


def _row_board_url(row: dict) -> str:
    return _board_url(
        Board(pk=row["board_id"], slug=row["board__slug"], step_id=row["board__step_id"])
    )


def present_topic_rows(rows: Iterable[dict], *, viewer, show_board: bool) -> list[dict]:
    """``present_topics`` for rows of plain values (``topic_values``); with ``show_board`` they
    carry the board's ``board__name``, ``board__slug`` and ``board__step_id`` too."""
    topic_url = id_url("forum:topic", "topic_id")
    unread_url = id_url("forum:topic_unread", "topic_id")
    profiles = _ProfileUrls()
    authors: dict[tuple, str] = {}
    reader = _Reader(viewer)
    board_urls: dict[int, str] = {}
    now = timezone.now()
    zone = timezone.get_current_timezone()
    words = time_since_words()
    presented = []
    for topic in rows:
        pk = topic["id"]
        read = topic["last_read_number"]
        replies = topic["reply_count"]
        unread = max(replies + 1 - read, 0) if read is not None else 0
        author = (topic["author_id"], topic["is_anonymous"])
        if author not in authors:
            authors[author] = author_label_html(
                author_id=author[0],
                username=topic["author__username"],
                is_anonymous=author[1],
                viewer=reader,
                profile_urls=profiles,
            )
        last_activity = topic["last_activity_at"]
        row = {
            "title": topic["title"],
            "url": topic_url(pk),
            "is_pinned": topic["is_pinned"],
            "is_locked": topic["is_locked"],
            "kind_badge": _kind_badge(topic["kind"]),
            "unread_count": unread,
            "unread_url": unread_url(pk) if unread else "",
            "author_html": authors[author],
            "reply_count": replies,
            "replies_word": "reply" if replies == 1 else "replies",
            "last_activity_iso": timezone.localtime(last_activity, zone).isoformat(),
            "last_activity_ago": time_since(last_activity, now, words),
            "content_note": topic["content_note"],
        }
        if show_board:
            board_id = topic["board_id"]
            if board_id not in board_urls:
                board_urls[board_id] = _row_board_url(topic)
            row["board_name"] = topic["board__name"]
            row["board_url"] = board_urls[board_id]
        presented.append(row)
    return presented
