"""Signup, login, logout and password change through allauth's real views."""

import re

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def signup(client, **overrides):
    data = {"username": "QuietHarbor", "password1": PASSWORD, "password2": PASSWORD, "email": ""}
    data.update(overrides)
    return client.post(reverse("account_signup"), data)


def test_a_person_joins_with_only_a_pseudonym_and_a_password(client):
    response = signup(client)

    assert response.status_code == 302
    member = User.objects.get(username="QuietHarbor")
    assert member.email == ""
    assert member.current_step == 1
    assert client.get(reverse("accounts:me")).status_code == 200


def test_signup_page_explains_the_email_is_optional_and_never_shown(client):
    html = client.get(reverse("account_signup")).content.decode()

    assert "Email (optional)" in html
    assert "never shown to anyone" in html


def test_an_email_given_at_signup_is_kept_for_recovery(client):
    signup(client, email="harbor@example.org")

    assert User.objects.get(username="QuietHarbor").email == "harbor@example.org"


def test_a_pseudonym_differing_only_in_case_is_taken(client, member_factory):
    member_factory(username="QuietHarbor")

    response = signup(client, username="quietharbor")

    assert response.status_code == 200
    assert "already" in response.content.decode().lower()
    assert User.objects.filter(username__iexact="quietharbor").count() == 1


def test_the_database_refuses_a_case_variant_pseudonym(member_factory):
    from django.db import IntegrityError, transaction

    member_factory(username="QuietHarbor")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("QUIETHARBOR", password=PASSWORD)


def test_login_with_the_pseudonym_in_any_case(client, member_factory):
    member_factory(username="QuietHarbor")

    response = client.post(reverse("account_login"), {"login": "quietharbor", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get(reverse("accounts:me")).status_code == 200


def test_login_with_a_wrong_password_is_refused(client, member):
    response = client.post(reverse("account_login"), {"login": member.username, "password": "nope"})

    assert response.status_code == 200
    assert "That pseudonym and password do not match." in response.content.decode()
    assert client.get(reverse("accounts:me")).status_code == 302


def test_logout_ends_the_session(member_client):
    response = member_client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert member_client.get(reverse("accounts:me")).status_code == 302


def test_password_change_logs_the_member_out(client, member):
    client.post(reverse("account_login"), {"login": member.username, "password": PASSWORD})
    new_password = "another-long-passphrase-42"

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new_password)
    assert client.get(reverse("accounts:me")).status_code == 302


def test_password_reset_sends_mail_only_when_an_email_is_on_file(
    client, member_factory, mailoutbox
):
    member_factory(username="WithEmail", email="with@example.org")
    member_factory(username="NoEmail")

    client.post(reverse("account_reset_password"), {"email": "with@example.org"})

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["with@example.org"]
    assert "WithEmail" in mailoutbox[0].body


def test_a_member_can_see_their_sessions_without_any_ip_address(client, member):
    client.post(reverse("account_login"), {"login": member.username, "password": PASSWORD})

    html = client.get(reverse("usersessions_list")).content.decode()

    assert "Your sessions" in html
    assert "127.0.0.1" not in html


def _main_text(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.mark.django_db
def test_the_login_page_speaks_of_a_pseudonym_and_has_one_forgot_password_link(client):
    main = _main_text(client.get("/account/login/"))

    assert '<label for="id_login">Pseudonym</label>' in main
    assert "Username" not in main
    assert main.count("Forgot your password?") == 1


@pytest.mark.django_db
def test_a_visitor_following_a_members_only_link_is_told_why_they_must_log_in(client):
    response = client.get("/me/", follow=True)

    assert response.redirect_chain[-1][0] == "/account/login/?next=/me/"
    assert "The page you followed is for members only" in _main_text(response)
    assert "members only" not in _main_text(client.get("/account/login/"))


@pytest.mark.django_db
def test_password_reset_explains_what_happens_without_an_email_and_never_says_contact_us(
    client,
):
    for path in ("/account/password/reset/", "/account/password/reset/done/"):
        main = _main_text(client.get(path))
        assert "contact us" not in main.lower(), path
        assert 'href="/account/signup/"' in main, path
    assert "cannot be reset" in _main_text(client.get("/account/password/reset/"))


@pytest.mark.django_db
def test_a_member_without_an_email_is_not_nagged_to_add_one(member_client):
    main = _main_text(member_client.get("/account/email/"))

    assert "should really add" not in main
    assert "you do not have to" in main


@pytest.mark.django_db
def test_a_wrong_password_is_explained_in_terms_of_a_pseudonym(client, member):
    response = client.post("/account/login/", {"login": member.username, "password": "wrong"})

    assert "That pseudonym and password do not match." in _main_text(response)
    assert "username" not in re.sub(r"<[^>]+>", " ", _main_text(response)).lower()
