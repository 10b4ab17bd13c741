"""Rendered row blocks (a post, a topic row) shared between members, addressed by what they show.

A member's page cannot be cached whole, but most of it is the same for many members: a post's
block differs between two members only by the few values of the row dict the presenters build
for each viewer (forum/presenters.py: whether the viewer pressed a reaction, may edit, blocked
the author...). So a block is cached under a digest of its complete row dict: two viewers share
a block exactly when every value the partial prints is the same for both, and any change to a
post (an edit, a reaction count, a moderator's hide, a new pseudonym, the viewer's own flags)
is a different key. Nothing has to be invalidated, so no write path can be forgotten; stale
entries simply expire.

The one per-member string a block holds, the CSRF field of its forms, is cached as a marker
derived from SECRET_KEY (no member can write it into a post) and replaced per request; the
marker is part of the key, so blocks cached under another SECRET_KEY are never read.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.core.cache import cache as django_cache
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

KEY_PREFIX = "block:"


def _ttl() -> int:
    return settings.HOMEGROUP["MEMBER_BLOCK_CACHE_SECONDS"]


@cache
def _csrf_marker(secret_key: str) -> str:
    digest = hmac.new(secret_key.encode(), b"block-csrf-marker", hashlib.sha256).hexdigest()
    return f"csrf-{digest[:32]}"


def csrf_marker() -> str:
    return _csrf_marker(settings.SECRET_KEY)


# A key is a digest of the row written as JSON, by the C encoder (about half the cost of the
# row's repr, which a page paid for each of its twenty posts). JSON also refuses what a row must
# not hold: a model instance or a lazy object would print the same however its content
# changed, so a row holds only plain values (strings, numbers, booleans, None, and lists and
# dicts of them; a tuple reads as a list).
_ENCODER = json.JSONEncoder(
    ensure_ascii=False, check_circular=False, sort_keys=True, separators=(",", ":")
)


def _key(template_name: str, row: dict, shared: list) -> str:
    try:
        text = _ENCODER.encode([template_name, shared, row])
    except TypeError as error:
        raise TypeError(f"a shared block's row holds a value that is not plain: {error}") from None
    return KEY_PREFIX + hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


LOCAL_BLOCKS = 1000


@dataclass(frozen=True)
class BlockList:
    """``template_name`` to render once per row (the row as ``name``, or as the whole context).

    ``shared`` holds context values every row's render sees the same (part of each key);
    ``csrf_input`` is what ``{% csrf_token %}`` printed for this request. ``prepare(row)``
    gives more context for a row's render, made only when the block is not cached (a form
    built from the row's values): it must depend on nothing but the row. ``local``: a dict
    this process keeps the blocks in as well, read before the cache (a key names what its
    block prints, so a copy never goes stale); at most ``LOCAL_BLOCKS`` are kept.
    """

    template_name: str
    rows: Sequence[dict]
    name: str | None
    csrf_input: str = ""
    shared: dict = field(default_factory=dict)
    prepare: Callable[[dict], dict] | None = None
    local: dict | None = None

    def render(self, row: dict, csrf: str) -> str:
        extra = self.prepare(row) if self.prepare else {}
        # Without a name, the row is the whole context (a page's section).
        values = row if self.name is None else {self.name: row}
        context = {**self.shared, **extra, **values}
        # csrf is Django's own {% csrf_token %} output or our marker; the rest is autoescaped.
        context["csrf_input"] = mark_safe(csrf)  # noqa: S308
        return get_template(self.template_name).render(context)

    def keys(self) -> list[str]:
        shared_key = [csrf_marker() if self.csrf_input else "", self.name, self.shared]
        return [_key(self.template_name, row, shared_key) for row in self.rows]


def _read_local(lists: Sequence[BlockList], keys: list[list[str]]) -> dict[str, str]:
    found = {}
    for blocks, list_keys in zip(lists, keys, strict=True):
        if blocks.local is not None:
            for key in list_keys:
                text = blocks.local.get(key)
                if text is not None:
                    found[key] = text
    return found


def _keep(local: dict, blocks: dict[str, str]) -> None:
    if len(local) + len(blocks) > LOCAL_BLOCKS:
        local.clear()
    local.update(blocks)


def render_block_lists(*lists: BlockList) -> list[list[SafeString]]:
    """Each list's blocks, as its template prints them, with one cache read for all the blocks
    of all the lists (a page's parts and its rows) and one write for those not cached yet."""
    ttl = _ttl()
    if ttl <= 0:
        return [
            [mark_safe(blocks.render(row, blocks.csrf_input)) for row in blocks.rows]  # noqa: S308
            for blocks in lists
        ]
    keys = [blocks.keys() for blocks in lists]
    found = _read_local(lists, keys)
    wanted = [key for list_keys in keys for key in list_keys if key not in found]
    if wanted:
        found.update(django_cache.get_many(wanted))
    missing = {}
    rendered = []
    for blocks, list_keys in zip(lists, keys, strict=True):
        marker = csrf_marker() if blocks.csrf_input else ""
        texts = []
        kept = {}
        for key, row in zip(list_keys, blocks.rows, strict=True):
            text = found.get(key)
            if text is None:
                text = missing[key] = blocks.render(row, marker)
            if blocks.local is not None and key not in blocks.local:
                kept[key] = text
            if marker:
                text = text.replace(marker, blocks.csrf_input)
            texts.append(mark_safe(text))  # noqa: S308 - a render, as cached
        if kept:
            _keep(blocks.local, kept)
        rendered.append(texts)
    if missing:
        django_cache.set_many(missing, ttl)
    return rendered


def render_blocks(
    template_name: str,
    rows: Sequence[dict],
    *,
    name: str | None,
    csrf_input: str = "",
    shared: dict | None = None,
    local: dict | None = None,
) -> list[SafeString]:
    """``template_name`` rendered once per row (the row as ``name``, or with ``name=None`` the
    row's items as the context: a page's surroundings), as the template prints them, with one
    cache read for all rows and one write for the rows not cached yet (see ``BlockList``)."""
    if not rows:
        return []
    blocks = BlockList(template_name, rows, name, csrf_input, shared or {}, local=local)
    return render_block_lists(blocks)[0]


def render_sections(sections: Sequence[tuple[str, dict]]) -> list[SafeString]:
    """Each ``(template_name, context)`` rendered with exactly that context and nothing else (no
    request, no context processors), with one cache read for all.

    For a page's larger parts (a home page's section) that many members see alike: the context
    holds only plain values and is the key, so two members share a section exactly when it
    prints the same for both.
    """
    lists = [BlockList(template_name, [context], None) for template_name, context in sections]
    return [blocks[0] for blocks in render_block_lists(*lists)]
