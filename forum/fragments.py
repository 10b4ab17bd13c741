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

A key is also made of a digest of our own templates and template tags (``templates_version``):
a row names what a block shows, the templates how it prints it, so a release that changes how
a block prints reads none of the blocks the release before it cached.

A page's whole content (``render_page``: everything a view prints inside base.html's content
block) is one more entry, under a digest of everything its blocks' keys are made of: a page
seen again as it was costs one cache read of one string. When anything on it changed, its
blocks are read as before and only the changed ones are rendered again. What must never be
cached (the workbook text home's step card quotes) is held there as another such marker and
put in per request.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache as django_cache
from django.template.loader import get_template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

KEY_PREFIX = "block:"


def _ttl() -> int:
    return settings.HOMEGROUP["MEMBER_BLOCK_CACHE_SECONDS"]


# What a block prints is decided by these files beside its row: our templates and the Python
# of our template tags and filters.
PRINTING_FILES = ("templates/**/*.html", "*/templatetags/*.py")


@cache
def templates_version() -> str:
    """A digest of the files a block's printing depends on, read once per process."""
    digest = hashlib.blake2b(digest_size=8)
    root = Path(settings.BASE_DIR)
    for path in sorted(p for pattern in PRINTING_FILES for p in root.glob(pattern)):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@cache
def _marker(secret_key: str, label: str) -> str:
    digest = hmac.new(secret_key.encode(), label.encode(), hashlib.sha256).hexdigest()
    return f"csrf-{digest[:32]}"


def csrf_marker() -> str:
    return _marker(settings.SECRET_KEY, "block-csrf-marker")


def _list_marker(name: str) -> str:
    """What a page's cached content holds where list ``name``'s blocks print their CSRF value
    (a page's lists may stand for different values: the bare token, the whole field)."""
    return _marker(settings.SECRET_KEY, f"page-csrf-marker:{name}")


def _page_marker() -> str:
    return _marker(settings.SECRET_KEY, "page-csrf-marker")


def _private_marker(name: str) -> str:
    return _marker(settings.SECRET_KEY, f"page-private-marker:{name}")


# A key is a digest of the row written as JSON, by the C encoder (about half the cost of the
# row's repr, which a page paid for each of its twenty posts). JSON also refuses what a row must
# not hold: a model instance or a lazy object would print the same however its content
# changed, so a row holds only plain values (strings, numbers, booleans, None, and lists and
# dicts of them; a tuple reads as a list).
_ENCODER = json.JSONEncoder(
    ensure_ascii=False, check_circular=False, sort_keys=True, separators=(",", ":")
)


def _digest(prefix: str, value: list) -> str:
    try:
        text = _ENCODER.encode(value)
    except TypeError as error:
        raise TypeError(f"a shared block's row holds a value that is not plain: {error}") from None
    return prefix + hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def _key(template_name: str, row: dict, shared: list) -> str:
    return _digest(KEY_PREFIX, [templates_version(), template_name, shared, row])


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


def _marked_block_texts(lists: Sequence[BlockList], ttl: int) -> list[list[str]]:
    """Each list's blocks as cached: with ``csrf_marker()`` where the request's CSRF value goes."""
    if ttl <= 0:
        return [
            [blocks.render(row, csrf_marker() if blocks.csrf_input else "") for row in blocks.rows]
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
            texts.append(text)
        if kept:
            _keep(blocks.local, kept)
        rendered.append(texts)
    if missing:
        django_cache.set_many(missing, ttl)
    return rendered


def render_block_lists(*lists: BlockList) -> list[list[SafeString]]:
    """Each list's blocks, as its template prints them, with one cache read for all the blocks
    of all the lists (a page's parts and its rows) and one write for those not cached yet."""
    rendered = []
    for blocks, texts in zip(lists, _marked_block_texts(lists, _ttl()), strict=True):
        if blocks.csrf_input:
            marker = csrf_marker()
            texts = [text.replace(marker, blocks.csrf_input) for text in texts]
        rendered.append([mark_safe(text) for text in texts])  # noqa: S308 - renders, as cached
    return rendered


PAGE_PREFIX = "page:"
# A page's content repeats its blocks' text for each way of seeing it (each member's home, each
# minute's "n minutes ago"), so it is kept only as long as a page is likely to be asked again.
PAGE_SECONDS = 60


def render_page(
    template_name: str,
    context: dict,
    *,
    lists: dict[str, BlockList] | None = None,
    place: Callable[[dict[str, list[SafeString]]], dict] | None = None,
    csrf_input: str = "",
    private: dict[str, str] | None = None,
) -> SafeString:
    """A page's content: ``template_name`` rendered with ``context`` (plain values) and what
    ``place`` makes of each list's blocks (``{name: [block, ...]}``), cached whole.

    The entry's key is a digest of the template, ``context`` and every list's rows and shared
    values (what each block's key is made of), so members share a page's content exactly when
    they share all of its blocks. ``csrf_input`` is what the template's own ``csrf_input``
    stands for (as in ``BlockList``). ``private``: values never cached (a member's workbook
    text); the template prints each as ``{{ name }}`` (or tests it), and finds there a marker
    or, for an empty value, an empty string; the marker is replaced by the escaped value.
    """
    ttl = _ttl()
    lists = lists or {}
    private = private or {}
    markers = {name: _private_marker(name) for name in private}
    context = {**context, **{name: markers[name] if private[name] else "" for name in private}}
    key = None
    text = None
    if ttl > 0:
        key = _page_key(template_name, context, lists, csrf_input)
        text = django_cache.get(key)
    if text is None:
        _digest("", [context])  # refuses a context that is not plain, before anything is kept
        texts = _marked_block_texts(list(lists.values()), ttl)
        blocks = {}
        for (name, block_list), list_texts in zip(lists.items(), texts, strict=True):
            if block_list.csrf_input:
                list_texts = [t.replace(csrf_marker(), _list_marker(name)) for t in list_texts]
            blocks[name] = [mark_safe(t) for t in list_texts]  # noqa: S308 - renders, as cached
        # Our marker, or nothing: the template prints it as {% csrf_token %}'s value or field.
        page_csrf = mark_safe(_page_marker() if csrf_input else "")  # noqa: S308
        text = get_template(template_name).render(
            {**context, **(place(blocks) if place else {}), "csrf_input": page_csrf}
        )
        if key is not None:
            # As a plain str: SafeString would pickle its class along.
            django_cache.set(key, str.__str__(text), min(ttl, PAGE_SECONDS))
    for name, block_list in lists.items():
        if block_list.csrf_input:
            text = text.replace(_list_marker(name), block_list.csrf_input)
    if csrf_input:
        text = text.replace(_page_marker(), csrf_input)
    for name, value in private.items():
        if value:
            text = text.replace(markers[name], conditional_escape(value))
    return mark_safe(text)  # noqa: S308 - a render, as cached, and escaped values


def _page_key(template_name: str, context: dict, lists: dict[str, BlockList], csrf: str) -> str:
    """The digest of everything a page's content prints. The context and rows are pickled, not
    written as JSON (a quarter of the cost for a page of posts): pickle keeps what it reads
    back, so equal bytes are equal values. What is not plain is refused on the miss that comes
    before any page is written (the context there, each row by its block's key)."""
    shared = [
        [name, blocks.template_name, blocks.name, blocks.shared, bool(blocks.csrf_input)]
        for name, blocks in lists.items()
    ]
    plain = _ENCODER.encode(
        [templates_version(), template_name, csrf_marker(), bool(csrf), shared]
    ).encode()
    values = pickle.dumps([context, [blocks.rows for blocks in lists.values()]], protocol=5)
    # JSON escapes every control character, so the NUL between them parts them unambiguously.
    digest = hashlib.blake2b(plain + b"\0" + values, digest_size=20).hexdigest()
    return PAGE_PREFIX + digest


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
