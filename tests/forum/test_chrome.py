"""The chrome around every page (header, navigation, footer) as one shared block
(forum/templatetags/chrome.py, templates/_chrome.html).

Every page reads byte for byte the same with the block cache on as with it off, for every kind
of viewer, after all of them filled the cache; and each change to what the chrome prints shows
on the next render from a warm cache.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client

from accounts.actions.profile import set_theme
from accounts.actions.roles import grant_moderator, revoke_moderator
from forum.actions.moderation import suspend_member
from forum.actions.notifications import mark_all_read, notify
from forum.models import NotificationKind
from tests.factories import MemberFactory
from tests.forum.boards.test_shared_blocks import (
    assert_same_with_blocks_cached_as_not,
    browser,
    normalized,
)

pytestmark = pytest.mark.django_db

LOGOUT_CSRF = re.compile(
    r'action="/account/logout/" class="inline-form">\s*'
    r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">'
)
PAGES = ["/crisis/", "/", "/latest/", "/steps/4/", "/boards/", "/no-such-page/"]
MEMBER_PAGES = ["/notifications/", "/me/"]


@pytest.fixture
def viewers(db):
    """Every kind of viewer the chrome prints differently for."""
    member = MemberFactory(username="PlainMember", current_step=4)
    moderator = MemberFactory(username="SteadyModerator", current_step=4)
    grant_moderator(member=moderator)
    dark = MemberFactory(username="NightReader", current_step=4, theme="dark")
    light = MemberFactory(username="DayReader", current_step=4, theme="light")
    unread = MemberFactory(username="HasMail", current_step=4)
    for text in ("One thing", "Another thing"):
        notify(recipient=unread, kind=NotificationKind.MENTION, text=text, actor=member)
    suspended = MemberFactory(username="PausedMember", current_step=4)
    suspend_member(
        moderator=moderator, member=suspended, duration=timedelta(days=2), reason="A cool-off."
    )
    return {
        "visitor": None,
        "member": member,
        "moderator": moderator,
        "dark": dark,
        "light": light,
        "unread": unread,
        "suspended": suspended,
    }


def html(client: Client, url: str) -> str:
    return normalized(client.get(url).content.decode())


def test_every_page_reads_the_same_with_the_chrome_cached_as_without(viewers, block_cache):
    clients = {name: browser(member) for name, member in viewers.items()}
    assert_same_with_blocks_cached_as_not(clients, PAGES + MEMBER_PAGES, block_cache, read=html)


def test_the_viewers_chromes_differ_so_the_comparison_above_means_something(viewers):
    pages = {name: html(browser(member), "/crisis/") for name, member in viewers.items()}
    assert 'data-theme="dark"' in pages["dark"]
    assert 'data-theme="light"' in pages["light"]
    assert "data-theme" not in pages["member"]
    assert 'content="light dark"' in pages["member"]
    assert "Moderation</a>" in pages["moderator"]
    assert "Moderation</a>" not in pages["member"]
    assert "notifications-link has-unread" in pages["unread"]
    assert "<span data-unread-count>2</span>" in pages["unread"]
    assert "You are suspended until" in pages["suspended"]
    assert "Log in</a>" in pages["visitor"]
    assert "Log out</button>" not in pages["visitor"]
    for name in ("member", "moderator", "dark", "unread"):
        assert f'<a href="/me/">{viewers[name].username}</a>' in pages[name]


@pytest.fixture
def warm(viewers, block_cache):
    block_cache(300)
    for member in viewers.values():
        html(browser(member), "/crisis/")
    return viewers


def test_a_new_notification_and_reading_it_show_on_the_next_page(warm):
    member = warm["member"]
    client = browser(member)
    notify(recipient=member, kind=NotificationKind.MENTION, text="Hello", actor=warm["dark"])
    assert "<span data-unread-count>1</span>" in html(client, "/crisis/")
    mark_all_read(member=member)
    page = html(client, "/crisis/")
    assert "<span data-unread-count>0</span>" in page
    assert "has-unread" not in page


def test_a_theme_a_new_pseudonym_and_a_role_show_on_the_next_page(warm):
    member = warm["member"]
    client = browser(member)
    set_theme(member=member, theme="dark")
    member.username = "RenamedMember"
    member.save()
    grant_moderator(member=member)
    page = html(client, "/crisis/")
    assert '<html lang="en" data-theme="dark">' in page
    assert '<a href="/me/">RenamedMember</a>' in page
    assert "Moderation</a>" in page
    revoke_moderator(member=member)
    assert "Moderation</a>" not in html(client, "/crisis/")


def test_the_logout_form_carries_this_requests_csrf_token_and_logs_out(warm):
    client = Client(enforce_csrf_checks=True)
    client.force_login(warm["member"])
    first = client.get("/crisis/").content.decode()
    second = client.get("/crisis/").content.decode()
    tokens = LOGOUT_CSRF.findall(first), LOGOUT_CSRF.findall(second)
    assert len(tokens[0]) == len(tokens[1]) == 1
    assert tokens[0] != tokens[1], "each render masks the token anew, as {% csrf_token %} does"

    response = client.post("/account/logout/", {"csrfmiddlewaretoken": tokens[1][0]})

    assert response.status_code == 302
    assert "Log in</a>" in client.get("/crisis/").content.decode()


def test_other_members_never_see_a_members_name_or_count(warm):
    unread_page = html(browser(warm["unread"]), "/crisis/")
    member_page = html(browser(warm["member"]), "/crisis/")
    assert "HasMail" not in member_page
    assert "PlainMember" not in unread_page
    assert "<span data-unread-count>0</span>" in member_page


def test_a_new_static_address_shows_on_the_next_page(warm, settings):
    settings.STATIC_URL = "/assets/"
    page = html(browser(warm["member"]), "/crisis/")
    assert 'href="/assets/css/site.css"' in page
    assert 'src="/assets/js/notifications.js"' in page
