"""Chat fixtures: rooms, messages, moderators, mentorships, and sockets through the real ASGI app."""

from __future__ import annotations

from datetime import timedelta

import pytest
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from accounts.actions.roles import grant_moderator
from accounts.models import Mentorship
from forum.models import ChatMessage, Room
from forum.realtime import presence, socket_limit
from tests.factories import make_mentorship, make_message, make_room
from tests.sockets import connect, frames_until, next_frame


@pytest.fixture(autouse=True)
def _clean_presence():
    backends = [presence.backend(), socket_limit.backend()]
    for backend in backends:
        if hasattr(backend, "clear"):  # the in-memory ones
            backend.clear()
    yield
    for backend in backends:
        if hasattr(backend, "clear"):
            backend.clear()


@pytest.fixture(autouse=True)
def _close_socket_thread_connections():
    """Consumers reach the database from asgiref's shared sync thread; close its connection
    after each test so the test database can be dropped at the end of the run."""
    yield
    from asgiref.sync import SyncToAsync
    from django.db import connections

    SyncToAsync.single_thread_executor.submit(connections.close_all).result(timeout=10)


@pytest.fixture
def room_factory(db):
    return make_room


@pytest.fixture
def room(room_factory):
    return room_factory()


@pytest.fixture
def message_factory(db):
    """``message_factory(room, author, body="...")``: stored the way the action stores them."""

    def make(room: Room, author, *, body: str = "Hello", **kwargs) -> ChatMessage:
        return make_message(room, author, body=body, **kwargs)

    return make


@pytest.fixture
def moderator(member_factory):
    mod = member_factory(username="Moderator")
    grant_moderator(member=mod)
    return mod


@pytest.fixture
def mentorship_factory(db):
    def make(*, mentor=None, mentee=None, status=Mentorship.Status.ACTIVE) -> Mentorship:
        ended_at = timezone.now() if status == Mentorship.Status.ENDED else None
        return make_mentorship(mentor, mentee, with_room=False, status=status, ended_at=ended_at)

    return make


@pytest.fixture
def suspended_member(member_factory):
    return member_factory(suspended_until=timezone.now() + timedelta(days=1))


async def open_socket(
    member, slug: str, *, after: int | None = None, query: str = ""
) -> WebsocketCommunicator:
    """A connected chat socket, resuming ``after`` a message id when given."""
    if after is not None:
        query = f"after={after}"
    return await connect(member, f"/ws/chat/{slug}/" + (f"?{query}" if query else ""))


next_of = next_frame


async def opening(communicator) -> list[dict]:
    """The frames a socket sends on connect: room, history, then presence."""
    return await frames_until(communicator, "presence")
