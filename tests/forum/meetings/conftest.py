"""Meeting fixtures: a room, a chair and co-host with standing, a live meeting, sockets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from forum.actions.meetings import start_meeting
from tests.factories import make_room
from tests.forum.chat.conftest import _close_socket_thread_connections  # noqa: F401
from tests.sockets import connect


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Each test's event loop gets its own channel layer: channels_redis keeps one receive lock
    per layer, and a socket still closing when its test's loop ends would leave it held."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture
def room(db):
    return make_room(title="Evening room", slug="evening-room")


@pytest.fixture
def chair_factory(member_factory):
    """Members who may chair: Step 12 and an account older than the mentoring minimum."""

    def make(**kwargs):
        kwargs.setdefault("date_joined", timezone.now() - timedelta(days=400))
        return member_factory(step=12, **kwargs)

    return make


@pytest.fixture
def chair(chair_factory):
    return chair_factory(username="Chair")


@pytest.fixture
def cohost(chair_factory):
    return chair_factory(username="Cohost")


@pytest.fixture
def meeting(room, chair, cohost):
    return start_meeting(by=chair, room=room, title="Tuesday night", cohost=cohost)


async def open_meeting(member, meeting_id: int):
    return await connect(member, f"/ws/meetings/{meeting_id}/")


@pytest.fixture
def moderator(member_factory):
    from accounts.actions.roles import grant_moderator

    member = member_factory(username="KindModerator")
    grant_moderator(member=member)
    return member
