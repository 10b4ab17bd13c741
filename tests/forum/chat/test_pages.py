"""Chat pages: the room list, a room without JavaScript, its history, and creating rooms."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Mentorship
from forum.models import ChatMessage, Room
from forum.realtime import presence

pytestmark = pytest.mark.django_db


def test_the_seeded_rooms_are_the_open_room_newcomers_and_one_per_step():
    slugs = set(Room.objects.values_list("slug", flat=True))

    assert {"open", "newcomers", *(f"step-{n}" for n in range(1, 13))} <= slugs
    assert Room.objects.get(slug="step-4").step.number == 4
    assert Room.objects.get(slug="open").title == "Open room"


def test_the_room_list_shows_public_rooms_with_present_counts(client, member):
    room = Room.objects.get(slug="newcomers")
    presence.touch(room.pk, "conn-a", member.pk, member.username)
    presence.touch(room.pk, "conn-b", member.pk, member.username)

    html = client.get("/chat/").content.decode()

    assert "Open room" in html
    assert "Step 12: Service" in html
    assert html.count("1 present now") == 1
    assert "Create a room" not in html


def queries_for(client, url: str) -> int:
    """Queries of a warm request (the first one of a session does some one-off work)."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_room_list_query_count_does_not_grow_with_rooms(client, member, room_factory):
    client.force_login(member)
    before = queries_for(client, "/chat/")
    for _ in range(10):
        room_factory()

    assert queries_for(client, "/chat/") == before


def test_private_rooms_are_listed_only_for_their_mentor_and_mentee(
    client, room_factory, mentorship_factory, member, moderator
):
    mentorship = mentorship_factory()
    room_factory(mentorship=mentorship, title="Mentoring: our room")

    for outsider in (None, member, moderator):
        if outsider:
            client.force_login(outsider)
        assert "Mentoring: our room" not in client.get("/chat/").content.decode()
    client.force_login(mentorship.mentee)
    html = client.get("/chat/").content.decode()
    assert "Your mentoring rooms" in html
    assert "Mentoring: our room" in html


def test_a_room_page_needs_a_login(client, room):
    response = client.get(room.get_absolute_url())

    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_a_room_page_shows_recent_history_escaped_with_safe_links(
    member_client, room, member, message_factory
):
    message_factory(room, member, body="<script>alert(1)</script> see https://example.org/x")
    message_factory(room, member, body="javascript:alert(2)")
    message_factory(room, member, body="removed by a moderator", hidden=True)

    html = member_client.get(room.get_absolute_url()).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert '<a href="https://example.org/x" rel="nofollow">https://example.org/x</a>' in html
    assert 'href="javascript' not in html
    assert "removed by a moderator" not in html
    assert 'src="/static/js/chat.js"' in html


def test_a_room_page_shows_only_the_last_50_messages(member_client, room, member, message_factory):
    for n in range(55):
        message_factory(room, member, body=f"number-{n:02d}")

    html = member_client.get(room.get_absolute_url()).content.decode()

    assert "number-04" not in html
    assert "number-05" in html
    assert "number-54" in html
    assert html.index("number-05") < html.index("number-54")


def test_a_room_page_query_count_is_constant(member_client, room, member_factory, message_factory):
    message_factory(room, member_factory(), body="first")
    before = queries_for(member_client, room.get_absolute_url())
    for n in range(30):
        message_factory(room, member_factory(), body=f"m{n}")

    assert queries_for(member_client, room.get_absolute_url()) == before


def test_a_deleted_authors_messages_show_as_former_member(
    member_client, room, member_factory, message_factory
):
    gone = member_factory(username="Departed")
    message_factory(room, gone, body="I was here")
    gone.delete()

    html = member_client.get(room.get_absolute_url()).content.decode()

    assert "former member" in html
    assert "Departed" not in html


def test_a_private_room_is_404_for_outsiders_and_moderators_on_every_page(
    client, room_factory, mentorship_factory, member, moderator
):
    private = room_factory(mentorship=mentorship_factory())
    for outsider in (member, moderator):
        client.force_login(outsider)
        for suffix in ("", "history/"):
            assert client.get(f"/chat/{private.slug}/{suffix}").status_code == 404
        assert client.post(f"/chat/{private.slug}/send/", {"body": "hi"}).status_code == 404
    assert not ChatMessage.objects.exists()


def test_an_unknown_room_is_404(member_client):
    assert member_client.get("/chat/nowhere/").status_code == 404


def test_an_ended_mentorship_room_says_it_is_read_only(client, room_factory, mentorship_factory):
    mentorship = mentorship_factory(status=Mentorship.Status.ENDED)
    private = room_factory(mentorship=mentorship)
    client.force_login(mentorship.mentor)

    html = client.get(private.get_absolute_url()).content.decode()

    assert "this room is read-only" in html
    client.post(f"/chat/{private.slug}/send/", {"body": "one more"})
    assert not ChatMessage.objects.exists()


def test_sending_without_javascript_stores_the_message(member_client, room):
    response = member_client.post(f"/chat/{room.slug}/send/", {"body": "  no script here  "})

    assert response.status_code == 302
    assert ChatMessage.objects.get().body == "no script here"
    assert "no script here" in member_client.get(room.get_absolute_url()).content.decode()


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001])
def test_sending_without_javascript_refuses_bad_bodies_kindly(member_client, room, body):
    response = member_client.post(f"/chat/{room.slug}/send/", {"body": body}, follow=True)

    assert "Write between 1 and 2,000 characters" in response.content.decode()
    assert not ChatMessage.objects.exists()


def test_sending_without_javascript_in_a_locked_room_explains_why(member_client, room_factory):
    locked = room_factory(is_locked=True)

    response = member_client.post(f"/chat/{locked.slug}/send/", {"body": "hi"}, follow=True)

    assert "locked this room" in response.content.decode()
    assert not ChatMessage.objects.exists()


def test_sending_requires_post(member_client, room):
    assert member_client.get(f"/chat/{room.slug}/send/").status_code == 405


def test_a_muted_member_sees_why_on_the_room_page(client, room, member, moderator):
    from forum.actions.chat import mute_member

    mute_member(room=room, member=member, until=timezone.now() + timedelta(hours=1), by=moderator)
    client.force_login(member)

    assert "paused your messages" in client.get(room.get_absolute_url()).content.decode()


def test_the_history_page_walks_back_through_older_messages(
    member_client, room, member, message_factory
):
    stored = [message_factory(room, member, body=f"h-{n:03d}") for n in range(120)]

    newest = member_client.get(f"/chat/{room.slug}/history/").content.decode()
    assert "h-070" in newest and "h-119" in newest and "h-069" not in newest
    assert f"?before={stored[70].pk}" in newest

    older = member_client.get(f"/chat/{room.slug}/history/?before={stored[70].pk}").content.decode()
    assert "h-020" in older and "h-069" in older and "h-070" not in older and "h-019" not in older
    assert f"?after={stored[69].pk}" in older

    oldest = member_client.get(
        f"/chat/{room.slug}/history/?before={stored[20].pk}"
    ).content.decode()
    assert "h-000" in oldest and "h-019" in oldest
    assert "?before=" not in oldest

    newer = member_client.get(f"/chat/{room.slug}/history/?after={stored[69].pk}").content.decode()
    assert "h-070" in newer and "h-119" in newer and "h-069" not in newer


def test_the_history_page_ignores_malformed_cursors(member_client, room, member, message_factory):
    message_factory(room, member, body="the only one")

    for query in ("?before=abc", "?after=-5", "?before=" + "9" * 40):
        html = member_client.get(f"/chat/{room.slug}/history/{query}").content.decode()
        assert "the only one" in html


def test_the_history_page_query_count_is_constant(
    member_client, room, member_factory, message_factory
):
    message_factory(room, member_factory(), body="first")
    url = f"/chat/{room.slug}/history/"
    before = queries_for(member_client, url)
    for n in range(80):
        message_factory(room, member_factory(), body=f"m{n}")

    assert queries_for(member_client, url) == before


def test_a_moderator_can_create_a_room(client, moderator):
    client.force_login(moderator)
    assert "Create a room" in client.get("/chat/").content.decode()

    response = client.post(
        "/chat/new/",
        {
            "title": "Evening check-in",
            "slug": "evening",
            "description": "Winding down together.",
            "step": "",
            "slow_mode_seconds": "10",
        },
    )

    room = Room.objects.get(slug="evening")
    assert response["Location"] == room.get_absolute_url()
    assert (room.title, room.slow_mode_seconds, room.step) == ("Evening check-in", 10, None)


def test_a_member_cannot_create_a_room(member_client):
    assert member_client.get("/chat/new/").status_code == 403
    assert (
        member_client.post(
            "/chat/new/", {"title": "x", "slug": "x", "slow_mode_seconds": 0}
        ).status_code
        == 403
    )
    assert not Room.objects.filter(slug="x").exists()


def test_a_visitor_is_sent_to_log_in_to_create_a_room(client):
    assert client.get("/chat/new/").status_code == 302


@pytest.mark.parametrize(
    ("slug", "slow", "error"),
    [
        ("open", "0", "A room already uses that address."),
        ("new", "0", "A room already uses that address."),
        ("not a slug!", "0", "Enter a valid"),
        ("fine", "-1", "greater than or equal to 0"),
    ],
)
def test_creating_a_room_with_bad_input_shows_the_form_again(client, moderator, slug, slow, error):
    client.force_login(moderator)

    response = client.post("/chat/new/", {"title": "T", "slug": slug, "slow_mode_seconds": slow})

    assert response.status_code == 200
    assert error in response.content.decode()
