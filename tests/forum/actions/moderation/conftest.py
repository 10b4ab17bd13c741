"""Moderation fixtures: moderators made the real way (grant_moderator), an admin, and helpers."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.actions.roles import grant_moderator
from forum.actions.moderation import report_item
from forum.models import AuditLogEntry
from tests.factories import make_post, make_topic
from tests.permission_world import ensure_seeds


@pytest.fixture(autouse=True)
def _seeds(db):
    """Steps, boards, rooms and crisis lists as the migrations seed them (see ensure_seeds)."""
    ensure_seeds()


@pytest.fixture
def moderator(member_factory):
    mod = member_factory(username="SteadyModerator")
    grant_moderator(member=mod)
    return mod


@pytest.fixture
def admin_user(member_factory):
    return member_factory(username="TheAdmin", is_staff=True, is_superuser=True)


@pytest.fixture
def moderator_client(moderator):
    """A browser of its own, so a test can hold a member's ``client`` at the same time."""
    browser = Client()
    browser.force_login(moderator)
    return browser


@pytest.fixture
def author(member_factory):
    return member_factory(username="QuietWriter")


@pytest.fixture
def topic(author):
    return make_topic(author=author, title="A hard week", body="Writing it down helps.")


@pytest.fixture
def opening_post(topic):
    return topic.posts.get(number=1)


def login(client, member):
    client.force_login(member)
    return client


def act(client, kind, target_id, action, **data):
    data.setdefault("reason", f"Reason for {action}")
    return client.post(
        reverse("forum:moderation_item_action", args=[kind, target_id, action]), data
    )


def act_on_member(client, member, action, **data):
    return client.post(reverse("forum:moderation_member_action", args=[member.pk, action]), data)


@pytest.fixture
def reported_reply(topic, member):
    reply = make_post(topic, body="Words that were reported")
    report_item(reporter=member, kind="post", target_id=reply.pk, reason="spam")
    return reply


def one_entry(action: str) -> AuditLogEntry:
    entries = list(AuditLogEntry.objects.all())
    assert len(entries) == 1, entries
    assert entries[0].action == action
    return entries[0]
