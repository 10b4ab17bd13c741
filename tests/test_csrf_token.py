"""The CSRF token pages print (config/csrf.py): Django's own construction, masked once a
request, accepted by Django's middleware, and the cookie renewed as Django's ``get_token`` does."""

from __future__ import annotations

import re

import pytest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from config.csrf import mask_secret

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def strict_member_client(member) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    return client


def test_a_masked_token_unmasks_to_its_secret_with_a_fresh_mask_each_time():
    secret = "".join(CSRF_ALLOWED_CHARS[(7 * i) % 62] for i in range(32))

    tokens = {mask_secret(secret) for _ in range(50)}

    assert len(tokens) == 50
    for token in tokens:
        assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == secret


def test_the_token_a_page_prints_lets_the_member_post_its_form(strict_member_client):
    page = strict_member_client.get("/crisis/")
    tokens = set(TOKEN.findall(page.content.decode()))

    assert len(tokens) == 1, "one masking for the whole page"
    assert "csrftoken" in page.cookies, "the cookie is renewed, as get_token does"
    response = strict_member_client.post(
        reverse("account_logout"), {"csrfmiddlewaretoken": tokens.pop()}
    )
    assert response.status_code == 302
    assert strict_member_client.get("/me/").status_code == 302, "logged out"


def test_a_post_without_the_token_is_refused(strict_member_client):
    strict_member_client.get("/crisis/")

    response = strict_member_client.post(reverse("account_logout"))

    assert response.status_code == 403
    assert strict_member_client.get("/me/").status_code == 200, "still logged in"


def test_a_browser_without_a_csrf_cookie_gets_one_with_the_page(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    page = client.get("/crisis/")

    secret = page.cookies["csrftoken"].value
    (token,) = set(TOKEN.findall(page.content.decode()))
    assert _unmask_cipher_token(token) == secret
