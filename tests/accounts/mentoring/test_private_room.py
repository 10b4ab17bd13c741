"""The mentorship room exists only for its two members: 404 over HTTP, 4404 over WebSocket."""

import pytest
from django.urls import reverse

from accounts.actions.mentoring import accept_request, end_mentorship, request_mentor
from forum.actions.chat import ChatError, send_message
from forum.models.chat import ChatMessage
from tests.factories import make_member, make_mentor, make_mentorship
from tests.sockets import close_code, socket_for


@pytest.fixture
def room(mentor, mentee):
    request = request_mentor(mentee=mentee, mentor=mentor, message="Please guide me.")
    return accept_request(mentor=mentor, request=request).room


def room_urls(room):
    slug = room.slug
    return [
        reverse("forum:chat_room", args=[slug]),
        reverse("forum:chat_history", args=[slug]),
    ]


@pytest.mark.django_db
def test_the_two_members_open_their_room(login, mentor, mentee, room):
    for member in (mentor, mentee):
        for url in room_urls(room):
            assert login(member).get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["third", "moderator"])
def test_a_third_member_and_a_moderator_get_404_over_http(request, login, room, who):
    outsider = request.getfixturevalue(who)
    client = login(outsider)

    for url in room_urls(room):
        assert client.get(url).status_code == 404
    response = client.post(reverse("forum:chat_send", args=[room.slug]), {"body": "hello"})
    assert response.status_code == 404
    assert not ChatMessage.objects.exists()


@pytest.mark.django_db
def test_the_room_is_not_listed_for_others(login, room, third):
    page = login(third).get(reverse("forum:chat_list")).content.decode()

    assert room.slug not in page


@pytest.mark.django_db
def test_a_private_room_and_a_missing_room_look_the_same(login, room, third):
    client = login(third)

    missing = client.get(reverse("forum:chat_room", args=["no-such-room"]))
    private = client.get(reverse("forum:chat_room", args=[room.slug]))

    assert missing.status_code == private.status_code == 404


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("close_thread_connections")
@pytest.mark.parametrize("who", ["third", "moderator"])
async def test_a_third_member_and_a_moderator_get_4404_over_websocket(who):
    from channels.db import database_sync_to_async

    @database_sync_to_async
    def setup():
        from accounts.actions.roles import grant_moderator

        mentor, mentee = make_mentor(), make_member()
        mentorship = make_mentorship(mentor, mentee)
        outsider = make_member()
        if who == "moderator":
            grant_moderator(member=outsider)
        return mentorship.room.slug, outsider, mentee

    slug, outsider, mentee = await setup()

    assert await close_code(await socket_for(outsider, f"/ws/chat/{slug}/")) == 4404
    assert await close_code(await socket_for(outsider, "/ws/chat/no-such-room/")) == 4404

    member_socket = await socket_for(mentee, f"/ws/chat/{slug}/")
    connected, _ = await member_socket.connect(timeout=5)
    assert connected
    frame = await member_socket.receive_json_from(timeout=3)
    assert frame["type"] == "room"
    await member_socket.disconnect()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["mentor", "mentee"])
def test_ending_makes_the_room_read_only_for_both(request, login, mentor, mentee, room, who):
    send_message(member=mentee, room=room, body="Before the end")
    end_mentorship(member=request.getfixturevalue(who), mentorship=room.mentorship)

    for member in (mentor, mentee):
        with pytest.raises(ChatError) as refused:
            send_message(member=member, room=room, body="After the end")
        assert refused.value.code == "read_only"
        page = login(member).get(room.get_absolute_url())
        assert page.status_code == 200
        assert "Before the end" in page.content.decode()
    assert list(ChatMessage.objects.values_list("body", flat=True)) == ["Before the end"]


@pytest.mark.django_db
def test_the_mentorship_page_is_404_for_others(login, room, third, moderator):
    url = room.mentorship.get_absolute_url()

    assert login(third).get(url).status_code == 404
    assert login(moderator).get(url).status_code == 404
    assert (
        login(third).post(reverse("accounts:mentorship_end", args=[room.mentorship.pk])).status_code
        == 404
    )
    room.mentorship.refresh_from_db()
    assert room.mentorship.is_active


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("close_thread_connections")
async def test_ending_switches_both_members_open_rooms_to_read_only_at_once():
    from channels.db import database_sync_to_async

    from tests.sockets import connect, next_frame

    @database_sync_to_async
    def setup():
        mentor, mentee = make_mentor(), make_member()
        return make_mentorship(mentor, mentee), mentor, mentee

    mentorship, mentor, mentee = await setup()
    path = f"/ws/chat/{mentorship.room.slug}/"
    sockets = [await connect(member, path) for member in (mentor, mentee)]
    for socket in sockets:
        assert (await next_frame(socket, "room"))["read_only"] is False

    await database_sync_to_async(end_mentorship)(member=mentee, mentorship=mentorship)

    for socket in sockets:
        assert (await next_frame(socket, "room"))["read_only"] is True
        await socket.disconnect()
