"""Safety screening of member text: watched words and crisis phrases.

One matcher serves every place a member writes (topic titles, posts, chat messages): whole words
or phrases, case-insensitive, any run of whitespace between the words of a phrase.

- a *block* word refuses the text, with a message naming the rule;
- a *review* word lets the text be stored, but published only after a moderator approves it;
- a *crisis* phrase publishes the text as usual, shows the author alone a gentle panel with
  crisis resources, and puts a system "member at risk" report at the top of the review queue.

Callers (the boards and chat actions) do::

    screening = check_text(title, body)          # raises ContentBlocked
    ... create the item, pending if screening.needs_review ...
    after_publish(screening=screening, author=author, target_kind=..., target_id=..., excerpt=body)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.roles import capabilities
from forum.errors import ChatError, PostingError
from forum.models import Post, PostState
from forum.models.moderation import CrisisPhrase, CrisisResource, Report, TargetKind, WatchedWord
from forum.realtime.events import member_group, send_event_on_commit

LISTS_CACHE_KEY = "safety:lists:v1"
LISTS_CACHE_SECONDS = 60
CRISIS_PANEL_SESSION_KEY = "safety_crisis_panel"


class ContentBlocked(ValidationError):
    """The text contains a blocked watched word. A ValidationError, so forms show it as an error."""

    def __init__(self, word: str):
        self.word = word
        super().__init__(
            f"This can't be posted: it contains \u201c{word}\u201d, which is on Homegroup's "
            "list of blocked words. Please rephrase it.",
            code="blocked_word",
        )


@dataclass(frozen=True)
class Screening:
    """What the matcher found in one piece of writing."""

    blocked: tuple[str, ...] = ()
    review: tuple[str, ...] = ()
    crisis: tuple[str, ...] = ()

    @property
    def needs_review(self) -> bool:
        return bool(self.review)

    @property
    def is_crisis(self) -> bool:
        return bool(self.crisis)

    @property
    def records(self) -> bool:
        """``record_chat_screening`` has something to write or send for it."""
        return self.needs_review or self.is_crisis


CLEAN = Screening()


def _pattern(term: str) -> str:
    words = [re.escape(part) for part in term.split()]
    return r"\s+".join(words)


def compile_terms(terms: list[str]) -> re.Pattern | None:
    """One case-insensitive whole-word regex for a list of words and phrases (longest first)."""
    cleaned = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    alternatives = "|".join(_pattern(t) for t in cleaned)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def find_terms(pattern: re.Pattern | None, terms: list[str], text: str) -> tuple[str, ...]:
    """The listed terms (as listed) that occur in ``text`` as whole words."""
    if pattern is None or not text:
        return ()
    found: list[str] = []
    by_key = {" ".join(t.split()).casefold(): t for t in terms}
    for match in pattern.finditer(text):
        key = " ".join(match.group(0).split()).casefold()
        term = by_key.get(key, match.group(0))
        if term not in found:
            found.append(term)
    return tuple(found)


def _lists() -> dict[str, list[str]]:
    lists = cache.get(LISTS_CACHE_KEY)
    if lists is None:
        words = list(WatchedWord.objects.values_list("word", "mode"))
        lists = {
            "block": [w for w, mode in words if mode == WatchedWord.Mode.BLOCK],
            "review": [w for w, mode in words if mode == WatchedWord.Mode.REVIEW],
            "crisis": list(CrisisPhrase.objects.values_list("phrase", flat=True)),
        }
        cache.set(LISTS_CACHE_KEY, lists, LISTS_CACHE_SECONDS)
    return lists


def forget_lists() -> None:
    """Called whenever a watched word or crisis phrase changes: now, and again after commit so
    no other process caches the lists as they were before the change."""
    cache.delete(LISTS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(LISTS_CACHE_KEY))


def screen_text(*texts: str) -> Screening:
    """Match every list against the given texts (e.g. a title and a body) without raising."""
    lists = _lists()
    text = "\n".join(t for t in texts if t)
    found = {}
    for name in ("block", "review", "crisis"):
        terms = lists[name]
        found[name] = find_terms(compile_terms(terms), terms, text)
    return Screening(blocked=found["block"], review=found["review"], crisis=found["crisis"])


def check_text(*texts: str) -> Screening:
    """Screen text a member is about to publish; raise ContentBlocked for a blocked word."""
    screening = screen_text(*texts)
    if screening.blocked:
        raise ContentBlocked(screening.blocked[0])
    return screening


def raise_at_risk_report(
    *, author, target_kind: str, target_id: int, excerpt: str = ""
) -> Report | None:
    """Put a system "member at risk" report about this item in the queue (once per open item)."""
    note = "A crisis phrase matched in what this member wrote."
    if excerpt:
        note = f"{note} \u201c{excerpt[:300]}\u201d"
    try:
        with transaction.atomic():
            return Report.objects.create(
                target_kind=target_kind,
                target_id=target_id,
                subject=author if getattr(author, "pk", None) else None,
                reporter=None,
                is_system=True,
                reason=Report.Reason.MEMBER_AT_RISK,
                note=note,
            )
    except IntegrityError:
        return None


def after_publish(
    *, screening: Screening, author, target_kind: str, target_id: int, excerpt: str = ""
) -> Report | None:
    """What the system does once a screened item is stored: a crisis match reaches the queue."""
    if not screening.is_crisis:
        return None
    return raise_at_risk_report(
        author=author, target_kind=target_kind, target_id=target_id, excerpt=excerpt
    )


def crisis_resources() -> list[dict[str, str]]:
    """Resources for /crisis/ and the crisis panel: from the database, else from settings."""
    rows = list(CrisisResource.objects.values("name", "detail", "contact"))
    return rows or list(getattr(settings, "CRISIS_RESOURCES", []))


# The approval queue --------------------------------------------------------------------------


def new_member_queue_size() -> int:
    return settings.HOMEGROUP["NEW_MEMBER_QUEUED_POSTS"]


def needs_approval(author) -> bool:
    """Whether the author's next post waits for a moderator: their first N posts do."""
    if capabilities(author).moderate_content:
        return False
    limit = new_member_queue_size()
    if limit <= 0:
        return False
    published = (
        Post.objects.filter(author=author, published_at__isnull=False)
        .exclude(state=PostState.REMOVED_BY_MODERATOR)
        .count()
    )
    return published < limit


def queue_for_approval(*, kind: str, target_id: int, author, why: str) -> Report | None:
    """Put an item waiting for approval into the review queue (a system report)."""
    try:
        with transaction.atomic():
            return Report.objects.create(
                target_kind=kind,
                target_id=target_id,
                subject=author,
                is_system=True,
                reason=Report.Reason.NEEDS_APPROVAL,
                note=why,
            )
    except IntegrityError:
        return None


# What the boards and chat actions call --------------------------------------------------------


@dataclass(frozen=True)
class PostScreening:
    """The verdict on a topic or post about to be stored."""

    screening: Screening
    pending: bool
    why: str


def screen_post(*, author, title: str = "", body: str = "") -> PostScreening:
    """Check a title and body before storing; raises the boards' PostingError on a blocked word.

    ``pending`` means the post waits for a moderator: the author is a new member (their first
    HOMEGROUP["NEW_MEMBER_QUEUED_POSTS"] posts) or the text has a "review" watched word.
    """
    try:
        screening = check_text(title, body)
    except ContentBlocked as blocked:
        field = "title" if title and screen_text(title).blocked else "body"
        raise PostingError(blocked.messages[0], field=field) from blocked
    reasons = []
    if needs_approval(author):
        reasons.append("A new member's first posts wait for approval.")
    if screening.needs_review:
        words = ", ".join(f"\u201c{w}\u201d" for w in screening.review)
        reasons.append(f"Watched word for review: {words}.")
    return PostScreening(screening=screening, pending=bool(reasons), why=" ".join(reasons))


def record_post_screening(*, verdict: PostScreening, author, kind: str, target_id: int, text: str):
    """After the item is stored: queue it for approval, and raise an at-risk report on a crisis
    phrase. Call inside the transaction that stored the item."""
    if verdict.pending:
        queue_for_approval(kind=kind, target_id=target_id, author=author, why=verdict.why)
    after_publish(
        screening=verdict.screening,
        author=author,
        target_kind=kind,
        target_id=target_id,
        excerpt=text,
    )


def screen_chat_message(body: str) -> Screening:
    """Check a chat message; raises the chat's ChatError("blocked") on a blocked word."""
    try:
        return check_text(body)
    except ContentBlocked as blocked:
        raise ChatError("blocked", blocked.messages[0]) from blocked


def record_chat_screening(*, screening: Screening, message) -> None:
    """After a chat message is stored (in the same transaction): hold it for review, tell the
    author's sockets about a crisis match, and raise the system reports."""
    author = message.author
    if screening.needs_review:
        words = ", ".join(f"\u201c{w}\u201d" for w in screening.review)
        queue_for_approval(
            kind=TargetKind.CHAT_MESSAGE,
            target_id=message.pk,
            author=author,
            why=f"Watched word for review: {words}.",
        )
    if screening.is_crisis:
        after_publish(
            screening=screening,
            author=author,
            target_kind=TargetKind.CHAT_MESSAGE,
            target_id=message.pk,
            excerpt=message.body,
        )
        send_event_on_commit(
            member_group(author.pk),
            {"type": "safety.crisis", "resources": crisis_resources()},
        )


def screen_edit(*, title: str = "", body: str = "") -> Screening:
    """An author's edit: a blocked word refuses it (the boards' PostingError)."""
    try:
        return check_text(title, body)
    except ContentBlocked as blocked:
        field = "title" if title and screen_text(title).blocked else "body"
        raise PostingError(blocked.messages[0], field=field) from blocked


def record_edit_screening(*, screening: Screening, post) -> None:
    """An edit with a review word is held (shown as "hidden until a moderator reviews it") until
    approved; a crisis phrase reaches the queue."""
    if screening.needs_review and post.state in (PostState.PUBLISHED, PostState.HELD):
        Post.objects.filter(pk=post.pk).update(state=PostState.HELD)
        post.state = PostState.HELD
        words = ", ".join(f"\u201c{w}\u201d" for w in screening.review)
        queue_for_approval(
            kind=TargetKind.POST,
            target_id=post.pk,
            author=post.author,
            why=f"Edited to include a watched word for review: {words}.",
        )
    after_publish(
        screening=screening,
        author=post.author,
        target_kind=TargetKind.POST,
        target_id=post.pk,
        excerpt=post.body,
    )
