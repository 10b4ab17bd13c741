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
from collections.abc import Sequence
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


PLAIN = (str, int, float, bool, type(None))


def _check_plain(value) -> None:
    """A key is the row's ``repr``: a model instance or a lazy object there would print the same
    however its content changed, so a row may hold only plain values (strings, numbers, lists
    and dicts of them)."""
    if isinstance(value, PLAIN):
        return
    if isinstance(value, list | tuple):
        for item in value:
            _check_plain(item)
    elif isinstance(value, dict):
        for item in value.values():
            _check_plain(item)
    else:
        raise TypeError(f"a shared block's row holds {type(value).__name__}, not a plain value")


def _key(template_name: str, row: dict, shared: tuple) -> str:
    _check_plain(row)
    text = repr((template_name, shared, sorted(row.items())))
    return KEY_PREFIX + hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def render_blocks(
    template_name: str,
    rows: Sequence[dict],
    *,
    name: str | None,
    csrf_input: str = "",
    shared: dict | None = None,
) -> list[SafeString]:
    """``template_name`` rendered once per row (the row as ``name``, or with ``name=None`` the
    row's items as the context: a page's surroundings), as the template prints them, with one
    cache read for all rows and one write for the rows not cached yet.

    ``shared`` holds context values every row's render sees the same (part of each key);
    ``csrf_input`` is what ``{% csrf_token %}`` printed for this request.
    """
    template = get_template(template_name)
    shared = shared or {}

    def render(row: dict, csrf: str) -> str:
        values = row if name is None else {name: row}
        # csrf is Django's own {% csrf_token %} output or our marker; the rest is autoescaped.
        return template.render({**shared, **values, "csrf_input": mark_safe(csrf)})  # noqa: S308

    ttl = _ttl()
    if not rows:
        return []
    if ttl <= 0:
        return [mark_safe(render(row, csrf_input)) for row in rows]  # noqa: S308 - a render
    marker = csrf_marker() if csrf_input else ""
    shared_key = (marker, name, tuple(sorted(shared.items())))
    keys = [_key(template_name, row, shared_key) for row in rows]
    found = django_cache.get_many(keys)
    missing = {}
    blocks = []
    for key, row in zip(keys, rows, strict=True):
        block = found.get(key)
        if block is None:
            block = missing[key] = render(row, marker)
        blocks.append(block)
    if missing:
        django_cache.set_many(missing, ttl)
    if marker:
        blocks = [block.replace(marker, csrf_input) for block in blocks]
    return [mark_safe(block) for block in blocks]  # noqa: S308 - renders, as cached
