"""No client address is stored: not in the database (allauth's session list), not in an export,
not in the cache keys that count login attempts per network."""

import importlib
import json

import pytest
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.core.cache import cache
from django.urls import reverse

from accounts.client_addresses import NO_ADDRESS, address_key
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.9"


def cache_keys() -> list[str]:
    backend = cache._cache
    if hasattr(backend, "get_client"):  # Redis
        return [key.decode() for key in backend.get_client(None).keys("*")]
    return list(backend)  # local memory


def test_a_login_stores_no_address_on_the_members_sessions(client, member):
    client.post(
        reverse("account_login"),
        {"login": member.username, "password": PASSWORD},
        REMOTE_ADDR=ADDRESS,
    )

    session = UserSession.objects.get(user=member)
    assert session.ip == NO_ADDRESS
    assert ADDRESS not in json.dumps([session.user_agent, session.data])


def test_the_members_export_holds_no_address(client, member):
    client.post(
        reverse("account_login"),
        {"login": member.username, "password": PASSWORD},
        REMOTE_ADDR=ADDRESS,
    )

    export = client.get(reverse("accounts:export"), REMOTE_ADDR=ADDRESS).content.decode()

    assert '"sessions"' in export
    assert ADDRESS not in export and "ip_address" not in export


def test_the_data_migration_forgets_addresses_already_stored(member):
    # bulk_create writes the row as allauth did before this release, address included.
    UserSession.objects.bulk_create(
        [UserSession(user=member, ip=ADDRESS, session_key="s" * 32, user_agent="Firefox")]
    )
    assert UserSession.objects.get().ip == ADDRESS
    migration = importlib.import_module("accounts.migrations.0003_forget_session_addresses")

    migration.forget_session_addresses(apps, None)

    assert list(UserSession.objects.values_list("ip", flat=True)) == [NO_ADDRESS]


def test_login_attempts_are_counted_per_network_under_a_keyed_hash(client, member):
    client.post(
        reverse("account_login"),
        {"login": member.username, "password": "wrong"},
        REMOTE_ADDR=ADDRESS,
    )

    keys = cache_keys()
    assert any(address_key(ADDRESS) in key for key in keys), keys
    assert not any(ADDRESS in key for key in keys), keys


def test_an_ipv6_home_network_is_one_key_and_different_networks_differ():
    assert address_key("2001:db8:1:2::5") == address_key("2001:db8:1:2:ffff::9")
    assert address_key("2001:db8:1:2::5") != address_key("2001:db8:1:3::5")
    assert address_key(ADDRESS) != address_key("203.0.113.10")
    assert ADDRESS not in address_key(ADDRESS)
