"""Each branch of forum/permissions/chat.py, the rules behind the room pages, the sockets and
the in-room controls, one test each."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from accounts.models import Mentorship
from forum.models import Meeting, Room, RoomMute
from forum.permissions import chat as rules
from forum.permissions.chat import SendRefusal
from tests.factories import make_mentorship, make_private_room, make_room

pytestmark = pytest.mark.django_db


def suspended(member_factory):
    return member_factory(suspended_until=timezone.now() + timedelta(days=1))


def mute(room, member, *, minutes: int) -> RoomMute:
    return RoomMute.objects.create(
        room=room, member=member, until=timezone.now() + timedelta(minutes=minutes)
    )


# Seeing a room -------------------------------------------------------------------------------


def test_a_visitor_cannot_see_a_public_room():
    assert not rules.can_see_room(AnonymousUser(), make_room())


def test_a_member_can_see_a_public_room(member):
    assert rules.can_see_room(member, make_room())


def test_a_member_of_the_mentorship_can_see_its_private_room():
    room = make_private_room()

    assert rules.can_see_room(room.mentorship.mentee, room)


def test_an_outsider_cannot_see_a_private_room(member):
    assert not rules.can_see_room(member, make_private_room())


def test_a_moderator_cannot_see_a_private_room(moderator):
    assert not rules.can_see_room(moderator, make_private_room())


def test_get_room_for_gives_a_room_the_member_can_see(member):
    room = make_room()

    assert rules.get_room_for(member, room.slug) == room


def test_get_room_for_answers_404_for_a_missing_room(member):
    with pytest.raises(Http404):
        rules.get_room_for(member, "no-such-room")


def test_get_room_for_answers_404_for_a_private_room_of_others(member):
    with pytest.raises(Http404):
        rules.get_room_for(member, make_private_room().slug)


def test_the_room_list_leaves_out_private_rooms():
    public, private = make_room(), make_private_room()

    listed = set(rules.filter_listed_rooms(Room.objects.all()))

    assert public in listed and private not in listed


# Read-only rooms -----------------------------------------------------------------------------


def test_a_public_room_is_not_read_only():
    assert not rules.is_read_only(make_room())


def test_an_active_mentorship_room_is_not_read_only():
    assert not rules.is_read_only(make_private_room())


def test_an_ended_mentorship_room_is_read_only():
    mentorship = make_mentorship(
        with_room=False, status=Mentorship.Status.ENDED, ended_at=timezone.now()
    )

    assert rules.is_read_only(make_room(mentorship=mentorship))


# Mutes ---------------------------------------------------------------------------------------


def test_a_mute_in_force_is_found(member):
    room = make_room()
    in_force = mute(room, member, minutes=10)

    assert rules.active_mute(member, room) == in_force


def test_an_ended_mute_is_not_found(member):
    room = make_room()
    mute(room, member, minutes=-1)

    assert rules.active_mute(member, room) is None


def test_a_mute_in_another_room_is_not_found(member):
    room = make_room()
    mute(make_room(), member, minutes=10)

    assert rules.active_mute(member, room) is None


# Sending: one test per refusal, in the order they are checked -------------------------------


def test_a_member_may_send_in_an_open_room(member):
    room = make_room()

    assert rules.send_refusal(member, room) is None
    assert rules.can_send_in_room(member, room)


def test_nobody_sends_in_an_ended_mentorship_room():
    mentorship = make_mentorship(
        with_room=False, status=Mentorship.Status.ENDED, ended_at=timezone.now()
    )
    room = make_room(mentorship=mentorship)

    assert rules.send_refusal(mentorship.mentee, room) == SendRefusal.READ_ONLY


def test_a_suspended_member_may_not_send(member_factory):
    assert rules.send_refusal(suspended(member_factory), make_room()) == SendRefusal.SUSPENDED


def test_a_banned_member_may_not_send(member_factory):
    banned = member_factory(is_active=False)

    assert rules.send_refusal(banned, make_room()) == SendRefusal.SUSPENDED


def test_a_member_may_not_send_in_a_locked_room(member):
    assert rules.send_refusal(member, make_room(is_locked=True)) == SendRefusal.LOCKED


def test_a_moderator_may_send_in_a_locked_room_to_say_why(moderator):
    assert rules.send_refusal(moderator, make_room(is_locked=True)) is None


def test_a_muted_member_may_not_send(member):
    room = make_room()
    mute(room, member, minutes=10)

    assert rules.send_refusal(member, room) == SendRefusal.MUTED


def test_nobody_sends_in_the_room_chat_while_a_meeting_is_live(member):
    room = make_room()
    Meeting.objects.create(
        room=room, title="Evening meeting", starts_at=timezone.now(), status="live"
    )

    assert rules.send_refusal(member, room) == SendRefusal.MEETING


def test_an_outsider_may_not_send_in_a_private_room(member):
    assert not rules.can_send_in_room(member, make_private_room())


def test_a_locked_room_is_not_a_room_to_send_in(member):
    assert not rules.can_send_in_room(member, make_room(is_locked=True))


# Sockets and the in-room controls ------------------------------------------------------------


def test_a_member_in_good_standing_may_connect(member):
    assert rules.may_connect(member)


def test_a_suspended_member_may_not_connect(member_factory):
    assert not rules.may_connect(suspended(member_factory))


def test_a_banned_member_may_not_connect(member_factory):
    assert not rules.may_connect(member_factory(is_active=False))


def test_slow_mode_holds_a_member_back(member):
    assert not rules.skips_slow_mode(member, make_room())


def test_slow_mode_does_not_hold_a_moderator_back(moderator):
    assert rules.skips_slow_mode(moderator, make_room())


def test_a_member_may_not_create_a_room(member):
    assert not rules.can_create_room(member)


def test_a_moderator_may_create_a_room(moderator):
    assert rules.can_create_room(moderator)


def test_a_member_does_not_get_the_in_room_controls(member):
    assert not rules.can_moderate_chat(member)


def test_a_moderator_gets_the_in_room_controls(moderator):
    assert rules.can_moderate_chat(moderator)


def test_a_role_holding_only_moderate_content_gets_the_in_room_controls(member):
    from django.contrib.auth.models import Permission

    member.user_permissions.add(Permission.objects.get(codename="moderate_content"))

    assert rules.can_moderate_chat(type(member).objects.get(pk=member.pk))
