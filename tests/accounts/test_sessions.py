"""A signed-in request reads its session and its member in one cache round trip
(accounts/sessions.py), and every change to the member still ends or changes the session on
the very next request, exactly as when each was read on its own (bans, new passwords and
deleted accounts: tests/accounts/test_session_members.py).
"""

from __future__ import annotations

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.backends import OneQueryPermissionsBackend, permission_keys
from accounts.session_members import _row_fields, generation_key, reading_with_session
from accounts.sessions import SessionStore, _owners
from forum.selectors.notifications import header_keys
from tests.conftest import redis_only
from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def warm(member_client):
    """A member's browser whose session this process has read before, its member cached."""
    member_client.get("/crisis/")
    member_client.get("/crisis/")
    return member_client


@pytest.fixture
def redis_commands(monkeypatch) -> list[tuple]:
    """Every command sent to Redis, as sent."""
    sent: list[tuple] = []
    real = redis.Redis.execute_command

    def execute_command(self, *args, **options):
        sent.append(args)
        return real(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", execute_command)
    return sent


def member_cache_keys(member) -> set[str]:
    _, prefix = _row_fields(settings.SECRET_KEY)
    names = [generation_key(member.pk), f"{prefix}{member.pk}", *permission_keys(member.pk)]
    return {cache.make_key(name) for name in [*names, *header_keys(member.pk)]}


def commands_naming(sent: list[tuple], keys: set[str]) -> list[tuple]:
    return [args for args in sent if keys & {str(arg) for arg in args[1:]}]


@redis_only
def test_the_session_and_the_member_come_in_one_round_trip(warm, member, redis_commands):
    session_key = cache.make_key(f"django.contrib.sessions.cached_db{warm.session.session_key}")
    member_keys = member_cache_keys(member)

    page = warm.get("/crisis/").content.decode()

    assert f'<a href="/me/">{member.username}</a>' in page
    reads = commands_naming(redis_commands, member_keys | {session_key})
    assert len(reads) == 1, reads
    assert reads[0][0] == "MGET"
    assert member_keys | {session_key} <= set(reads[0][1:])


@redis_only
def test_a_session_the_process_has_not_seen_costs_one_more_round_trip(warm, member, redis_commands):
    _owners.clear()

    warm.get("/crisis/")
    warm.get("/crisis/")

    session_reads = [args for args in redis_commands if "sessions.cached_db" in str(args)]
    member_reads = commands_naming(redis_commands, member_cache_keys(member))
    assert [args[0] for args in session_reads] == ["GET", "MGET"]
    assert member_reads == [member_reads[0], session_reads[1]], "then learnt whose it is"


@redis_only
def test_one_request_teaches_the_process_whose_session_it_is(member_client, member):
    """So the ban, password and deletion tests of test_session_members.py, whose browser made
    one request first, read the session and member together when the change must show."""
    _owners.clear()

    member_client.get("/crisis/")

    assert _owners == {hash(member_client.session.session_key): str(member.pk)}


def test_an_expired_session_ends_at_once(warm, member):
    session = warm.session
    session.set_expiry(-1)
    session.save()

    response = warm.get("/me/")

    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_a_permission_granted_shows_on_the_next_page(warm, member):
    member.user_permissions.add(
        Permission.objects.get(codename="review_reports", content_type__app_label="forum")
    )

    page = warm.get("/crisis/").content.decode()

    assert ">Moderation</a>" in page


def test_a_hint_naming_another_member_is_never_trusted(warm, member):
    """Whose a session is comes from the session's own data, read in the same round trip."""
    other = MemberFactory(username="SomeoneElse")
    for key in list(_owners):
        _owners[key] = str(other.pk)

    page = warm.get("/crisis/").content.decode()

    assert f'<a href="/me/">{member.username}</a>' in page
    assert "SomeoneElse" not in page


def test_a_new_member_in_the_same_browser_is_read_as_themselves(warm, member, client):
    warm.post(reverse("account_logout"))
    other = MemberFactory(username="NextInLine")
    client.force_login(other)
    client.get("/crisis/")

    page = client.get("/crisis/").content.decode()

    assert '<a href="/me/">NextInLine</a>' in page
    assert member.username not in page


def test_a_member_ends_their_other_sessions_from_their_sessions_page(member):
    """allauth's user sessions: recorded at login, each listed, the others ended on request."""
    here, there = Client(), Client()
    for browser in (here, there):
        browser.post(reverse("account_login"), {"login": member.username, "password": PASSWORD})
    there.get("/crisis/")
    assert there.get("/me/").status_code == 200

    page = here.get(reverse("usersessions_list")).content.decode()
    assert page.count("<tr>") == 1 + 2, "a heading row and one row a session"
    here.post(reverse("usersessions_list"))

    assert there.get("/me/").status_code == 302
    assert here.get("/me/").status_code == 200


@redis_only
def test_a_member_changed_after_the_session_was_read_is_read_again(warm, member):
    """A row read ahead is not used once this process changed a member since."""
    store = SessionStore(warm.session.session_key)
    store.load()
    assert store.member_read is not None
    member.username = "RenamedMeanwhile"
    member.save()

    with reading_with_session(store):
        read = OneQueryPermissionsBackend().get_user(member.pk)

    assert read.username == "RenamedMeanwhile"
