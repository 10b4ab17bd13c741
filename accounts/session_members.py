"""The signed-in member's row, read from the cache on each request instead of the database.

Every request of a signed-in member loads the member (Django's session check compares the
session's hash of their password with the member's). That was a query a request; here the row
comes from the cache, in the same read as the member's permission set (accounts/backends.py).

What is cached: every column but the password hash and the recovery email (which stay in the
database only), and the
session hash Django's check needs, computed from it when the row was read (``User``'s
``get_session_auth_hash`` answers with it while the instance's password is unread). The member
returned is a normal instance: reading ``password`` loads it, and ``save()`` writes only the
fields it holds.

Staying right: every way our code changes a member ends in ``forget_members`` — ``save()`` and
``delete()`` through signals (a password change, a rename, ``last_login``), and bare
``update()``s on members through ``MemberQuerySet`` (a ban, a suspension, a theme). Forgetting
replaces the member's generation token, at once and again at commit. A row is used only when
it was stored under the token current now, and it is stored under the token read *before*
the database was read, so a request that read the old row while a change was committing can
never leave it behind. If Redis was unreachable while a change was made, it is emptied when it
returns (config/cache.py), so no row outlives a change it missed.

One round trip a request: the session's own cache read (accounts/sessions.py) brings the
member's keys as well once the process knows whose the session is (``read_with_session``);
``session_member`` then uses that read, made a moment earlier in the same request, instead of
asking again.
"""

from __future__ import annotations

import hashlib
import itertools
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import DEFAULT_DB_ALIAS, transaction

from accounts.models import User
from accounts.models.members import SESSION_HASH_ATTRIBUTE

ROW_SECONDS = 600
# Never copied into the cache: the password hash, and the optional recovery email (read from
# the database on the rare page that shows it to its owner).
KEPT_OUT = ("password", "email")
WITH_MEMBER_ATTRIBUTE = "_read_with_member"

# Cache keys read in the member's round trip as well (forum's header state registers its
# own: the unread count and the block list), and a number that moves whenever this process
# changes what one of them holds.
_keys_read_with_members: list[Callable[[int], list[str]]] = []
_changes = itertools.count(1)
_last_change = 0
# Moves whenever this process forgets a member's row: a row read ahead before it is not used.
_member_changes = itertools.count(1)
_last_member_change = 0


def read_with_members(keys_for: Callable[[int], list[str]]) -> None:
    """Read ``keys_for(member_pk)`` with every member's row; see ``read_with_member``."""
    _keys_read_with_members.append(keys_for)


def values_changed() -> None:
    """After a change to what a key read with members holds (its value deleted or replaced)."""
    global _last_change
    _last_change = next(_changes)


def forget_values(keys: list[str]) -> None:
    """Delete keys read with members, now and again at commit (a request reading between the
    two must not keep an old value), each time telling members already read."""

    def forget() -> None:
        django_cache.delete_many(keys)
        values_changed()

    forget()
    transaction.on_commit(forget)


def read_with_member(member) -> dict:
    """What the cache held of the keys read with this member's row, or nothing once this
    process changed any of them since: a view that marks a notification read, say, then
    renders its header, must show the new count."""
    member = getattr(member, "_wrapped", member)  # request.user is a lazy object around it
    read = getattr(member, "__dict__", {}).get(WITH_MEMBER_ATTRIBUTE)
    if read is None or read[0] != _last_change:
        return {}
    return read[1]


@cache
def _row_fields(secret_key: str) -> tuple[tuple[str, ...], str]:
    """The cached columns, and a key prefix naming them and the SECRET_KEY the session hash
    was made with: after a deploy that changes either, older rows are never read."""
    fields = tuple(f.attname for f in User._meta.concrete_fields if f.attname not in KEPT_OUT)
    digest = hashlib.blake2b(repr((fields, secret_key)).encode(), digest_size=8).hexdigest()
    return fields, f"member-row:{digest}:"


def generation_key(member_pk) -> str:
    return f"member-row-generation:{member_pk}"


def member_keys(member_pk, also_read: Iterable[str] = ()) -> tuple[list[str], list[str]]:
    """Every key a member's read asks for (their generation and row, ``also_read``, and the
    keys registered with ``read_with_members``), and the last of these apart."""
    _, prefix = _row_fields(settings.SECRET_KEY)
    with_member = [key for keys_for in _keys_read_with_members for key in keys_for(member_pk)]
    return [
        generation_key(member_pk),
        f"{prefix}{member_pk}",
        *also_read,
        *with_member,
    ], with_member


@dataclass
class MemberRead:
    """A member's keys read ahead, with the session: what the cache held of ``keys``."""

    member_pk: str
    seen_change: int
    seen_member_change: int
    keys: frozenset[str]
    found: dict


# The session whose read ``session_member`` may use: set only while Django's ``get_user``
# runs for a request (``reading_with_session``), so a read is never used by another request.
_session: ContextVar = ContextVar("session_read_with_member", default=None)


def read_with_session(
    cache, session_cache_key: str, member_pk, also_read: Iterable[str]
) -> tuple[object, MemberRead | None]:
    """One cache round trip for a session's data and, when ``member_pk`` is known, that
    member's keys: the data (None when the cache does not hold it) and the member's read."""
    if member_pk is None:
        return cache.get(session_cache_key), None
    keys, _ = member_keys(member_pk, also_read)
    seen = (_last_change, _last_member_change)
    found = cache.get_many([session_cache_key, *keys])
    data = found.pop(session_cache_key, None)
    return data, MemberRead(str(member_pk), *seen, frozenset(keys), found)


@contextmanager
def reading_with_session(session) -> Iterator[None]:
    """While this runs, ``session_member`` uses the member's read ``session`` made, once."""
    token = _session.set(session)
    try:
        yield
    finally:
        _session.reset(token)


def _read_ahead(member_pk, keys: list[str]) -> MemberRead | None:
    session = _session.get()
    read = getattr(session, "member_read", None)
    if read is None:
        return None
    session.member_read = None
    if (
        read.member_pk != str(member_pk)
        or read.seen_member_change != _last_member_change
        or not read.keys.issuperset(keys)
    ):
        return None
    return read


def session_member(member_pk, *, also_read: Iterable[str] = ()) -> tuple[User | None, dict]:
    """The member with this id, from the cache when it holds their current row, else from the
    database (then cached); and what the cache holds of the keys ``also_read``, read in the
    same round trip (or with the session, see ``read_with_session``)."""
    fields, _ = _row_fields(settings.SECRET_KEY)
    keys, with_member = member_keys(member_pk, also_read)
    generation_name, row_name = keys[0], keys[1]
    read = _read_ahead(member_pk, keys)
    if read is not None:
        seen_change, found = read.seen_change, read.found
    else:
        seen_change = _last_change
        found = django_cache.get_many(keys)
    generation = found.get(generation_name)
    entry = found.get(row_name)
    if generation is not None and entry is not None and entry[0] == generation:
        member = User.from_db(DEFAULT_DB_ALIAS, fields, entry[1])
        member.__dict__[SESSION_HASH_ATTRIBUTE] = entry[2]
    else:
        if generation is None:
            generation = secrets.token_hex(8)
            if not django_cache.add(generation_name, generation, ROW_SECONDS):
                generation = None  # another request just started one: it caches the row
        member = User.objects.filter(pk=member_pk).first()
        if member is None:
            return None, found
        if generation is not None:
            values = tuple(getattr(member, name) for name in fields)
            entry = (generation, values, member.get_session_auth_hash())
            django_cache.set(row_name, entry, ROW_SECONDS)
    member.__dict__[WITH_MEMBER_ATTRIBUTE] = (
        seen_change,
        {key: found[key] for key in with_member if key in found},
    )
    return member, found


def forget_members(member_pks: Iterable) -> None:
    """Now and again at commit: a request reading between the two cannot keep an old row."""
    global _last_member_change
    _last_member_change = next(_member_changes)
    keys = [generation_key(pk) for pk in member_pks]
    if keys:
        django_cache.delete_many(keys)
        transaction.on_commit(lambda: django_cache.delete_many(keys))


def forget_member_on_change(sender, instance, **kwargs) -> None:
    """``post_save`` and ``post_delete`` of a member."""
    forget_members([instance.pk])


def forget_members_on_update(sender, member_pks, **kwargs) -> None:
    """``members_updated``: a bare ``update()`` of members."""
    forget_members(member_pks)
