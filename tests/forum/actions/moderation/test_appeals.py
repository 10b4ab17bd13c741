"""A suspended or muted member sees why and until when, and can appeal once; the appeal goes to
a moderator other than the one who acted."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from accounts.actions.roles import grant_moderator
from accounts.standing import is_suspended
from forum.actions.moderation import (
    ModerationError,
    appeal_measure,
    decide_appeal,
    mute_in_chat,
    suspend_member,
)
from forum.models import Appeal, AuditLogEntry, Notification, NotificationKind, RoomMute
from tests.factories import make_room
from tests.forum.actions.moderation.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_moderator(member_factory):
    other = member_factory(username="OtherModerator")
    grant_moderator(member=other)
    return other


@pytest.fixture
def suspension(moderator, member):
    return suspend_member(
        moderator=moderator, member=member, duration=timedelta(days=3), reason="Heated words"
    )


def test_a_suspended_member_sees_a_banner_with_the_reason_and_the_end_on_every_page(
    client, member, suspension
):
    login(client, member)

    page = client.get(reverse("forum:board_list")).content.decode()

    assert "You are suspended until" in page
    assert "Heated words" in page
    assert reverse("forum:standing") in page


def test_a_member_in_good_standing_sees_no_banner(client, member):
    login(client, member)

    assert "You are suspended" not in client.get(reverse("forum:board_list")).content.decode()


def test_the_standing_page_lists_a_mute_with_its_room_reason_and_end(client, moderator, member):
    room = make_room(title="Evening room")
    mute_in_chat(
        moderator=moderator, member=member, room=room, duration=timedelta(hours=1), reason="Loud"
    )
    login(client, member)

    page = client.get(reverse("forum:standing")).content.decode()

    assert "muted in Evening room" in page and "Loud" in page
    assert "Send my appeal" in page


def test_an_appeal_goes_to_a_moderator_other_than_the_one_who_acted(
    client, member, moderator, second_moderator, suspension
):
    login(client, member)

    client.post(reverse("forum:appeal", args=[suspension.pk]), {"text": "It was a bad day"})

    appeal = Appeal.objects.get()
    assert appeal.assigned_to == second_moderator
    told = Notification.objects.get(recipient=second_moderator)
    assert told.kind == NotificationKind.APPEAL_RECEIVED
    assert "bad day" not in told.text
    assert not Notification.objects.filter(recipient=moderator).exists()


def test_a_member_can_appeal_a_measure_only_once(member, suspension, second_moderator):
    appeal_measure(member=member, entry_id=suspension.pk, text="Please look again")

    with pytest.raises(ModerationError, match="already appealed"):
        appeal_measure(member=member, entry_id=suspension.pk, text="And again")

    assert Appeal.objects.count() == 1


def test_a_member_cannot_appeal_someone_elses_measure(member_factory, suspension):
    from forum.errors import ItemNotFound

    with pytest.raises(ItemNotFound):
        appeal_measure(member=member_factory(), entry_id=suspension.pk, text="Not mine")


def test_an_ended_measure_cannot_be_appealed(member, suspension):
    member.suspended_until = None
    member.save(update_fields=["suspended_until"])

    with pytest.raises(ModerationError, match="already ended"):
        appeal_measure(member=member, entry_id=suspension.pk, text="Late")


def test_the_moderator_who_acted_cannot_answer_the_appeal(member, moderator, suspension):
    appeal = appeal_measure(member=member, entry_id=suspension.pk, text="Please")

    with pytest.raises(ModerationError, match="Another moderator"):
        decide_appeal(moderator=moderator, appeal_id=appeal.pk, lift=True, response="Fine")

    member.refresh_from_db()
    assert is_suspended(member)


def test_lifting_on_appeal_ends_the_suspension_and_tells_the_member_the_reply(
    member, second_moderator, suspension
):
    appeal = appeal_measure(member=member, entry_id=suspension.pk, text="Please")

    decide_appeal(moderator=second_moderator, appeal_id=appeal.pk, lift=True, response="Agreed")

    member.refresh_from_db()
    assert not is_suspended(member)
    assert Appeal.objects.get().status == Appeal.Status.LIFTED
    assert AuditLogEntry.objects.filter(action="lift_suspension").exists()
    assert any("Agreed" in n.text for n in Notification.objects.filter(recipient=member))


def test_keeping_on_appeal_is_audited_and_the_member_reads_why(
    member, second_moderator, suspension
):
    appeal = appeal_measure(member=member, entry_id=suspension.pk, text="Please")

    decide_appeal(moderator=second_moderator, appeal_id=appeal.pk, lift=False, response="It stands")

    member.refresh_from_db()
    assert is_suspended(member)
    assert AuditLogEntry.objects.get(action="keep_on_appeal").reason == "It stands"
    assert any("It stands" in n.text for n in Notification.objects.filter(recipient=member))


def test_lifting_a_mute_on_appeal_unmutes_in_that_room(member, moderator, second_moderator):
    room = make_room(title="Morning room")
    entry = mute_in_chat(
        moderator=moderator, member=member, room=room, duration=timedelta(hours=1), reason="Loud"
    )
    appeal = appeal_measure(member=member, entry_id=entry.pk, text="Sorry")

    decide_appeal(moderator=second_moderator, appeal_id=appeal.pk, lift=True, response="Ok")

    assert not RoomMute.objects.filter(member=member, room=room).exists()


def test_the_appeals_page_shows_mine_first_and_hides_the_buttons_from_the_one_who_acted(
    member, moderator, second_moderator, suspension
):
    appeal_measure(member=member, entry_id=suspension.pk, text="Please look again")
    own, other = Client(), Client()
    own.force_login(moderator)
    other.force_login(second_moderator)

    acted = own.get(reverse("forum:moderation_appeals")).content.decode()
    assigned = other.get(reverse("forum:moderation_appeals")).content.decode()

    assert "Please look again" in acted and "another moderator answers" in acted
    assert "For you" in assigned and "Lift the measure" in assigned


def test_a_muted_member_is_shown_the_way_to_the_reason_and_appeal_in_the_room(
    client, moderator, member
):
    room = make_room(title="Evening room")
    mute_in_chat(
        moderator=moderator, member=member, room=room, duration=timedelta(hours=1), reason="Loud"
    )
    login(client, member)

    page = client.get(room.get_absolute_url()).content.decode()

    assert reverse("forum:standing") in page and "how to appeal" in page


# One test per branch of the appeal rules (forum/actions/moderation/appeals.py) ---------------


def test_an_empty_appeal_is_refused_with_a_clear_message(member, suspension):
    with pytest.raises(ModerationError, match="Please say what you would like"):
        appeal_measure(member=member, entry_id=suspension.pk, text=" \x00 ")


def test_an_appeal_longer_than_the_limit_is_refused(member, suspension):
    from forum.models.moderation import APPEAL_MAX_LENGTH

    with pytest.raises(ModerationError, match=f"{APPEAL_MAX_LENGTH} characters"):
        appeal_measure(member=member, entry_id=suspension.pk, text="x" * (APPEAL_MAX_LENGTH + 1))


def test_a_warning_is_not_a_measure_to_appeal(member, moderator):
    from forum.actions.moderation import warn_member
    from forum.errors import ItemNotFound

    warning = warn_member(moderator=moderator, member=member, message="Gently, please")

    with pytest.raises(ItemNotFound):
        appeal_measure(member=member, entry_id=warning.pk, text="Why?")


def test_a_ban_can_be_appealed_while_it_lasts(member, moderator, second_moderator):
    from forum.actions.moderation import ban_member

    ban = ban_member(moderator=moderator, member=member, reason="Advertising")

    appeal = appeal_measure(member=member, entry_id=ban.pk, text="It was not an ad")

    assert appeal.assigned_to == second_moderator


def test_a_lifted_ban_can_no_longer_be_appealed(member, moderator, second_moderator):
    from forum.actions.moderation import ban_member, unban_member

    ban = ban_member(moderator=moderator, member=member, reason="Advertising")
    unban_member(moderator=second_moderator, member=member, reason="A mistake")

    with pytest.raises(ModerationError, match="already ended"):
        appeal_measure(member=member, entry_id=ban.pk, text="Late")


def test_an_ended_mute_cannot_be_appealed(member, moderator):
    room = make_room()
    mute = mute_in_chat(
        moderator=moderator, member=member, room=room, duration=timedelta(hours=1), reason="Loud"
    )
    RoomMute.objects.filter(member=member).delete()

    with pytest.raises(ModerationError, match="already ended"):
        appeal_measure(member=member, entry_id=mute.pk, text="Late")


def test_with_no_other_moderator_the_appeal_waits_unassigned(member, suspension):
    appeal = appeal_measure(member=member, entry_id=suspension.pk, text="Please")

    assert appeal.assigned_to is None
    assert Appeal.objects.get().status == Appeal.Status.OPEN


def test_the_appeal_goes_to_the_moderator_with_the_fewest_open_appeals(
    member_factory, moderator, second_moderator, suspension, member
):
    busy = second_moderator
    free = member_factory(username="FreeModerator")
    grant_moderator(member=free)
    other_member = member_factory()
    earlier = suspend_member(
        moderator=moderator, member=other_member, duration=timedelta(days=1), reason="Loud"
    )
    Appeal.objects.create(member=other_member, entry=earlier, text="Mine", assigned_to=busy)

    appeal = appeal_measure(member=member, entry_id=suspension.pk, text="Please")

    assert appeal.assigned_to == free


def test_an_admin_gets_the_appeal_only_when_no_moderator_can(member_factory, member, suspension):
    admin = member_factory(username="TheAdmin", is_staff=True, is_superuser=True)

    appeal = appeal_measure(member=member, entry_id=suspension.pk, text="Please")

    assert appeal.assigned_to == admin


def test_a_member_cannot_answer_an_appeal(member, member_factory, suspension):
    from django.core.exceptions import PermissionDenied

    appeal = appeal_measure(member=member, entry_id=suspension.pk, text="Please")

    with pytest.raises(PermissionDenied):
        decide_appeal(moderator=member_factory(), appeal_id=appeal.pk, lift=True, response="Ok")


def test_answering_an_unknown_appeal_is_not_found(second_moderator):
    from forum.errors import ItemNotFound

    with pytest.raises(ItemNotFound):
        decide_appeal(moderator=second_moderator, appeal_id=999999, lift=True, response="Ok")


def test_an_appeal_is_answered_only_once(member, second_moderator, suspension):
    appeal = appeal_measure(member=member, entry_id=suspension.pk, text="Please")
    decide_appeal(moderator=second_moderator, appeal_id=appeal.pk, lift=False, response="Stays")

    with pytest.raises(ModerationError, match="already been answered"):
        decide_appeal(moderator=second_moderator, appeal_id=appeal.pk, lift=True, response="No")


def test_an_answer_needs_a_reply_the_member_reads(member, second_moderator, suspension):
    appeal = appeal_measure(member=member, entry_id=suspension.pk, text="Please")

    with pytest.raises(ModerationError, match="Please write a reply"):
        decide_appeal(moderator=second_moderator, appeal_id=appeal.pk, lift=True, response="  ")


def test_lifting_a_ban_on_appeal_opens_the_account_again(member, moderator, second_moderator):
    from forum.actions.moderation import ban_member

    ban = ban_member(moderator=moderator, member=member, reason="Advertising")
    appeal = appeal_measure(member=member, entry_id=ban.pk, text="It was not an ad")

    decide_appeal(moderator=second_moderator, appeal_id=appeal.pk, lift=True, response="Sorry")

    member.refresh_from_db()
    assert member.is_active
    assert AuditLogEntry.objects.filter(action=AuditLogEntry.Action.UNBAN).exists()


def test_lifting_a_measure_that_ended_meanwhile_only_records_the_answer(
    member, second_moderator, suspension
):
    appeal = appeal_measure(member=member, entry_id=suspension.pk, text="Please")
    type(member).objects.filter(pk=member.pk).update(suspended_until=None)

    decided = decide_appeal(
        moderator=second_moderator, appeal_id=appeal.pk, lift=True, response="It had ended"
    )

    assert decided.status == Appeal.Status.LIFTED
    assert not AuditLogEntry.objects.filter(action=AuditLogEntry.Action.LIFT_SUSPENSION).exists()


def test_a_measure_that_is_not_appealable_is_never_in_force(member, moderator):
    from forum.actions.moderation import warn_member
    from forum.actions.moderation.appeals import in_force

    warning = warn_member(moderator=moderator, member=member, message="Gently, please")

    assert not in_force(warning, member)


def test_lifting_a_mute_on_appeal_unmutes_the_room_the_appeal_is_about(
    member, moderator, second_moderator
):
    first, second = make_room(title="Afternoon room"), make_room(title="Evening room")
    for room in (first, second):
        entry = mute_in_chat(
            moderator=moderator, member=member, room=room, duration=timedelta(hours=1), reason="x"
        )
    appeal = appeal_measure(member=member, entry_id=entry.pk, text="Evening was fine")

    decide_appeal(moderator=second_moderator, appeal_id=appeal.pk, lift=True, response="Ok")

    assert list(RoomMute.objects.filter(member=member).values_list("room", flat=True)) == [first.pk]


def test_lifting_a_mute_whose_room_was_renamed_unmutes_the_room_still_muted(
    member, moderator, second_moderator
):
    room = make_room(title="Evening room")
    entry = mute_in_chat(
        moderator=moderator, member=member, room=room, duration=timedelta(hours=1), reason="x"
    )
    type(room).objects.filter(pk=room.pk).update(title="Late room")
    appeal = appeal_measure(member=member, entry_id=entry.pk, text="Please")

    decide_appeal(moderator=second_moderator, appeal_id=appeal.pk, lift=True, response="Ok")

    assert not RoomMute.objects.filter(member=member).exists()
