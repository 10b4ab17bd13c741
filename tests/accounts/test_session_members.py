"""The signed-in member read from the cache (accounts/session_members.py).

A request of a signed-in member reads no member row from the database once the cache holds it,
and every change to the member shows on the very next request, with the cache warm: a new
password or a ban ends the session exactly as when the member was read from the database.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.actions.blocking import block_member
from accounts.actions.profile import set_theme
from accounts.models import User
from accounts.permissions import blocked_ids
from accounts.session_members import _row_fields, forget_members, generation_key, session_member
from forum.actions.notifications import mark_all_read, notify
from forum.models import NotificationKind
from forum.selectors.notifications import header_keys, header_state
from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db


def member_rows_read(queries) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "accounts_user"' in q["sql"]]


@pytest.fixture
def warm(member_client):
    """A member's browser whose row the cache already holds."""
    member_client.get("/crisis/")
    return member_client


def test_a_warm_request_reads_no_member_row_from_the_database(warm, member):
    with CaptureQueriesContext(connection) as queries:
        response = warm.get("/crisis/")

    assert response.status_code == 200
    assert f">{member.username}</a>" in response.content.decode()
    assert member_rows_read(queries.captured_queries) == []


def cached_entry(member):
    _, prefix = _row_fields(settings.SECRET_KEY)
    return cache.get(f"{prefix}{member.pk}")


def test_the_cache_never_holds_the_password_hash_or_the_recovery_email(warm, member):
    User.objects.filter(pk=member.pk).update(email="recover-me@example.org")
    warm.get("/crisis/")
    member.refresh_from_db()
    entry = cached_entry(member)

    assert entry is not None
    assert member.username in repr(entry)
    assert member.password not in repr(entry)
    assert "recover-me" not in repr(entry)
    # Still there for the page that shows it to its owner.
    assert session_member(member.pk)[0].email == "recover-me@example.org"


def test_a_password_changed_elsewhere_ends_the_session_at_once(warm, member):
    other_instance = User.objects.get(pk=member.pk)
    other_instance.set_password("another-long-passphrase")
    other_instance.save()

    response = warm.get("/me/")

    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_a_deactivation_by_a_bare_update_ends_the_session_at_once(warm, member):
    User.objects.filter(pk=member.pk).update(is_active=False)

    response = warm.get("/me/")

    assert response.status_code == 302
    assert response["Location"] == reverse("forum:banned")


def test_a_deleted_account_ends_the_session_at_once(warm, member):
    User.objects.filter(pk=member.pk).delete()

    response = warm.get("/me/")

    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_a_rename_and_a_theme_show_on_the_next_page(warm, member):
    member.username = "RenamedMember"
    member.save()
    set_theme(member=member, theme="dark")

    page = warm.get("/crisis/").content.decode()

    assert '<a href="/me/">RenamedMember</a>' in page
    assert '<html lang="en" data-theme="dark">' in page


def test_a_row_stored_under_an_earlier_generation_is_never_used(warm, member):
    """A request that read the old row while a change was committing stores it under the
    generation it saw before its read; the change replaced that generation."""
    _, prefix = _row_fields(settings.SECRET_KEY)
    stale_entry = cached_entry(member)
    User.objects.filter(pk=member.pk).update(username="ChangedMeanwhile")
    warm.get("/crisis/")  # a fresh generation and row
    forget_members([member.pk])
    cache.set(f"{prefix}{member.pk}", stale_entry)  # the late writer's old row

    page = warm.get("/crisis/").content.decode()

    assert '<a href="/me/">ChangedMeanwhile</a>' in page


def test_a_password_set_on_a_member_read_from_the_cache_makes_the_new_session_hash(warm, member):
    """Django keeps a member signed in after they change their password by storing the hash
    of the new one in the session: it must not be the hash the cache brought."""
    assert session_member(member.pk)[0].check_password(PASSWORD)  # read from the database
    cached = session_member(member.pk)[0]
    assert "password" not in cached.__dict__
    cached.set_password("another-long-passphrase")
    cached.save()

    assert cached.get_session_auth_hash() == User.objects.get(pk=member.pk).get_session_auth_hash()


def test_the_header_state_comes_with_the_member_in_one_cache_read(warm, member, monkeypatch):
    """The unread count and the block list (forum's header) are read in the member's round
    trip: no other cache read asks for them."""
    reads, inside_get_many = [], []
    real_get_many, real_get = cache.get_many, cache.get

    def get_many(keys, *args, **kwargs):
        reads.append(list(keys))
        inside_get_many.append(True)  # a local-memory cache's get_many calls its get
        try:
            return real_get_many(keys, *args, **kwargs)
        finally:
            inside_get_many.pop()

    def get(key, *args, **kwargs):
        if not inside_get_many:
            reads.append([key])
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", get_many)
    monkeypatch.setattr(cache, "get", get)
    unread_key, blocks_key = header_keys(member.pk)

    warm.get("/crisis/")

    header_reads = [keys for keys in reads if unread_key in keys or blocks_key in keys]
    assert len(header_reads) == 1
    assert generation_key(member.pk) in header_reads[0], "the member's own read"


def test_a_change_made_after_the_member_was_read_shows_in_the_same_request(warm, member):
    """A view that changes the unread count or the block list, then renders its header, shows
    the new state, though the old one was read with the member."""
    other = MemberFactory()
    notify(recipient=member, kind=NotificationKind.MENTION, text="Hello", actor=other)
    warm.get("/crisis/")  # the cache holds the count, 1
    read = session_member(member.pk)[0]
    assert header_state(session_member(member.pk)[0]) == 1

    mark_all_read(member=member)
    block_member(blocker=member, blocked=other)

    assert header_state(read) == 0
    assert blocked_ids(read) == frozenset({other.pk})
