"""Drafts: a reply or a new topic saved on the server as the member types, removed once posted."""

from __future__ import annotations

import re

from django.http import Http404
from django.utils import timezone

from forum import ratelimits
from forum.errors import RateLimited
from forum.models import Board, Draft, Topic, TopicKind
from forum.models.boards import TITLE_MAX_LENGTH
from forum.models.posts import BODY_MAX_LENGTH
from forum.permissions.posts import can_view_board, can_view_topic, can_write

_KEY_RE = re.compile(
    r"^(?:reply:(?P<topic>\d{1,12})|topic:(?P<board>[-a-zA-Z0-9_]{1,60}):(?P<kind>\w{1,16}))$"
)


DRAFT_SAVES = ratelimits.Limit(120, 60)


class DraftRefused(Exception):
    """Input a draft cannot hold (too long, a NUL character)."""


def check_draft_key(*, member, key: str) -> str:
    """The key must name a composer the member may write in; anything else is a 404."""
    match = _KEY_RE.match(key or "")
    if match is None or not can_write(member):
        raise Http404("No such composer.")
    if match["topic"]:
        topic = Topic.objects.select_related("board").filter(pk=int(match["topic"])).first()
        if topic is None or not can_view_topic(topic, member):
            raise Http404("No such topic.")
    else:
        board = Board.objects.filter(slug=match["board"]).first()
        if (
            board is None
            or not can_view_board(board, member)
            or match["kind"] not in TopicKind.values
        ):
            raise Http404("No such board.")
    return key


def save_draft(*, member, key: str, title: str = "", body: str = "") -> Draft | None:
    """Store the member's text for ``key``; an empty composer removes the draft (returns None).

    Every attempt counts toward the limit, as the composer saves while the member types."""
    if ratelimits.is_limited("draft-save", member.pk, DRAFT_SAVES):
        raise RateLimited("Saving very often; please wait a moment.")
    ratelimits.record("draft-save", member.pk, DRAFT_SAVES)
    check_draft_key(member=member, key=key)
    title, body = (title or "").replace("\r\n", "\n"), (body or "").replace("\r\n", "\n")
    if "\x00" in title or "\x00" in body:
        raise DraftRefused("The text contains a character we cannot store.")
    if len(title) > TITLE_MAX_LENGTH or len(body) > BODY_MAX_LENGTH:
        raise DraftRefused("The draft is longer than a post may be.")
    if not title.strip() and not body.strip():
        discard_draft(member=member, key=key)
        return None
    draft, _ = Draft.objects.update_or_create(
        member=member,
        key=key,
        defaults={"title": title, "body": body, "updated_at": timezone.now()},
    )
    return draft


def discard_draft(*, member, key: str) -> None:
    Draft.objects.filter(member_id=member.pk, key=key).delete()
