"""Signing up never tells anyone whether an email address belongs to a member."""

import time

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

HELD = "owner@example.org"


def signup(client, username, email):
    return client.post(
        reverse("account_signup"),
        {"username": username, "password1": PASSWORD, "password2": PASSWORD, "email": email},
    )


def wait_for_mail(mailoutbox, count):
    deadline = time.monotonic() + 5
    while len(mailoutbox) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    return mailoutbox


def what_the_visitor_sees(client, response, email):
    """The signup answer and every page the new member can load about their own address."""
    make_primary = client.post(reverse("account_email"), {"email": email, "action_primary": ""})
    return {
        "status": response.status_code,
        "location": response.get("Location"),
        "email_page_lists_address": email in client.get(reverse("account_email")).content.decode(),
        "export_gives_address": client.get(reverse("accounts:export")).json()["account"]["email"]
        == email,
        "make_primary": make_primary.status_code,
    }


def test_joining_with_a_members_address_looks_exactly_like_joining_with_a_new_one(
    client, member_factory, mailoutbox
):
    member_factory(username="Owner", email=HELD)
    fresh = signup(client, "FreshVisitor", "fresh@example.org")
    seen_fresh = what_the_visitor_sees(client, fresh, "fresh@example.org")
    client.logout()

    taken = signup(client, "ProbingVisitor", "owner@example.org")
    seen_taken = what_the_visitor_sees(client, taken, "owner@example.org")

    assert seen_taken == seen_fresh
    assert seen_taken["status"] == 302
    assert User.objects.filter(username="ProbingVisitor").exists()


def test_the_owner_of_the_address_is_told_by_mail_and_keeps_it_alone(
    client, member_factory, mailoutbox
):
    owner = member_factory(username="Owner", email=HELD)

    signup(client, "ProbingVisitor", HELD)

    wait_for_mail(mailoutbox, 1)
    assert [m.to for m in mailoutbox] == [[HELD]]
    assert "already belongs to a Homegroup account" in mailoutbox[0].body
    assert "ProbingVisitor" not in mailoutbox[0].body
    newcomer = User.objects.get(username="ProbingVisitor")
    assert newcomer.email == ""
    assert not EmailAddress.objects.get(user=newcomer).verified
    owner.refresh_from_db()
    assert owner.email == HELD


def test_a_reset_for_a_held_address_reaches_only_its_owner(client, member_factory, mailoutbox):
    member_factory(username="Owner", email=HELD)
    signup(client, "ProbingVisitor", HELD)
    client.logout()
    wait_for_mail(mailoutbox, 1)
    mailoutbox.clear()

    client.post(reverse("account_reset_password"), {"email": HELD})

    assert len(mailoutbox) == 1
    assert "Owner" in mailoutbox[0].body
    assert "ProbingVisitor" not in mailoutbox[0].body


def test_a_fresh_address_is_kept_for_recovery_and_sends_no_mail(client, mailoutbox):
    signup(client, "FreshVisitor", "fresh@example.org")

    assert User.objects.get(username="FreshVisitor").email == "fresh@example.org"
    assert mailoutbox == []
