"""Guessing is limited per network, per pseudonym and network, and per pseudonym, but nobody can
lock a member out of their own device; a failed login costs one password hash."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse

from accounts.login_limits import KNOWN_DEVICE_COOKIE
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

OWNER_HOME = "192.0.2.10"


def log_in(client, pseudonym, password, address):
    response = client.post(
        reverse("account_login"), {"login": pseudonym, "password": password}, REMOTE_ADDR=address
    )
    html = response.content.decode() if response.status_code != 302 else ""
    return response.status_code == 302, html


def guess(pseudonym, *, addresses, per_address):
    stranger = Client()
    for n in range(addresses):
        for _ in range(per_address):
            log_in(stranger, pseudonym, "wrong-guess", f"198.51.100.{n + 1}")


def test_a_strangers_wrong_passwords_do_not_block_the_owner_on_another_network(member):
    guess(member.username, addresses=1, per_address=8)

    logged_in, html = log_in(Client(), member.username, PASSWORD, OWNER_HOME)

    assert logged_in, html


def test_a_guesser_on_one_network_is_stopped_even_with_the_right_password(member):
    guesser = Client()
    for _ in range(5):
        log_in(guesser, member.username, "wrong-guess", "198.51.100.1")

    logged_in, html = log_in(guesser, member.username, PASSWORD, "198.51.100.1")

    assert not logged_in
    assert "Too many failed login attempts" in html


def test_a_guesser_on_many_networks_is_stopped_by_the_slower_limit_per_pseudonym(member):
    guess(member.username, addresses=8, per_address=4)

    logged_in, html = log_in(Client(), member.username, PASSWORD, "203.0.113.99")

    assert not logged_in
    assert "Too many failed login attempts" in html


def test_the_owners_own_device_logs_in_whatever_strangers_did(member):
    device = Client()
    assert log_in(device, member.username, PASSWORD, OWNER_HOME)[0]
    device.post(reverse("account_logout"))
    guess(member.username, addresses=8, per_address=5)  # both per-pseudonym limits are full
    # A stranger on the owner's own network too, more often than any per-network limit allows.
    guess_from_home = Client()
    for _ in range(32):
        log_in(guess_from_home, member.username, "wrong-guess", OWNER_HOME)

    logged_in, html = log_in(device, member.username, PASSWORD, OWNER_HOME)

    assert logged_in, html


def test_a_known_device_still_has_a_limit_of_its_own(member):
    device = Client()
    log_in(device, member.username, PASSWORD, OWNER_HOME)
    device.post(reverse("account_logout"))
    for _ in range(10):
        log_in(device, member.username, "wrong-guess", OWNER_HOME)

    logged_in, html = log_in(device, member.username, PASSWORD, OWNER_HOME)

    assert not logged_in
    assert "Too many failed login attempts" in html


def test_the_device_cookie_names_no_pseudonym_and_cannot_be_forged(member_factory):
    owner = member_factory(username="QuietHarbor")
    device = Client()
    log_in(device, owner.username, PASSWORD, OWNER_HOME)
    cookie = device.cookies[KNOWN_DEVICE_COOKIE]
    assert "quietharbor" not in cookie.value.lower()
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    forged = Client()
    forged.cookies[KNOWN_DEVICE_COOKIE] = cookie.value[:-3] + "abc"
    guess(owner.username, addresses=8, per_address=4)

    assert not log_in(forged, owner.username, PASSWORD, "203.0.113.99")[0]


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting each password hash it computes (``verify`` calls ``encode``)."""

    computed = 0

    def encode(self, password, salt):
        CountingHasher.computed += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.computed = 0
    return CountingHasher


@pytest.mark.parametrize(
    ("who", "password"),
    [("member", "wrong-guess"), ("nobody", "wrong-guess"), ("member", PASSWORD)],
    ids=["wrong password", "unknown pseudonym", "right password"],
)
def test_a_login_attempt_costs_one_password_hash(client, member, counting_hasher, who, password):
    pseudonym = member.username if who == "member" else "NoSuchMember"
    counting_hasher.computed = 0

    log_in(client, pseudonym, password, OWNER_HOME)

    assert counting_hasher.computed == 1


def test_a_banned_member_with_the_right_password_is_sent_to_the_page_about_their_ban(
    client, member_factory
):
    banned = member_factory(is_active=False)

    response = client.post(
        reverse("account_login"), {"login": banned.username, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("forum:banned")
