"""Values every page gets (forum/context_processors.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse, set_script_prefix
from django.utils.html import escape

from forum.context_processors import HEADER_URL_NAMES, header_paths

pytestmark = pytest.mark.django_db


@pytest.fixture
def script_prefix():
    yield set_script_prefix
    set_script_prefix("/")


@pytest.mark.parametrize("prefix", ["/", "/recovery/"])
def test_each_header_link_is_the_address_url_gives(prefix, script_prefix):
    script_prefix(prefix)
    paths = header_paths()
    for name in HEADER_URL_NAMES:
        assert paths[name.replace(":", "_")] == reverse(name)
    assert paths["home"] == prefix


@pytest.mark.parametrize("logged_in", [False, True])
def test_a_page_header_links_where_it_did(logged_in, client, member):
    if logged_in:
        client.force_login(member)
    page = client.get(reverse("forum:board_list")).content.decode()
    shown = ["home", "forum:crisis", "forum:step_list", "forum:latest", "forum:chat_list"]
    shown += (
        ["accounts:mentoring", "forum:notifications", "accounts:me", "account_logout"]
        if logged_in
        else ["account_login", "account_signup"]
    )
    for name in shown:
        assert escape(reverse(name)) in page, name
    assert f'<link rel="manifest" href="{reverse("forum:manifest")}">' in page
