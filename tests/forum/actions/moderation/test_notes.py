"""Moderator notes on a member: moderators only, never the member, every one audited."""

import pytest
from django.urls import reverse

from forum.actions.moderation import ModerationError, add_note
from forum.models import AuditLogEntry, MemberNote
from tests.forum.actions.moderation.conftest import act_on_member, login

pytestmark = pytest.mark.django_db


def test_a_moderator_adds_a_note_that_other_moderators_read_and_the_log_records(
    moderator_client, member
):
    act_on_member(moderator_client, member, "note", text="Struggling lately; check in gently")

    note = MemberNote.objects.get()
    assert note.member == member and note.text == "Struggling lately; check in gently"
    page = moderator_client.get(reverse("forum:moderation_member", args=[member.pk]))
    assert "check in gently" in page.content.decode()
    entry = AuditLogEntry.objects.get(action="note")
    assert entry.member == member and "check in gently" not in entry.reason


def test_the_member_never_sees_a_note_about_them(client, moderator, member):
    add_note(moderator=moderator, member=member, text="Private moderator words")
    login(client, member)

    for url in (reverse("accounts:me"), reverse("forum:standing"), "/notifications/"):
        assert "Private moderator words" not in client.get(url).content.decode()
    assert client.get(reverse("forum:moderation_member", args=[member.pk])).status_code == 403


def test_a_member_cannot_write_a_note(client, member, member_factory):
    login(client, member)

    response = act_on_member(client, member_factory(), "note", text="Sneaky")

    assert response.status_code == 403
    assert not MemberNote.objects.exists()


def test_an_empty_note_is_refused(moderator, member):
    with pytest.raises(ModerationError, match="write the note"):
        add_note(moderator=moderator, member=member, text="   ")

    assert not AuditLogEntry.objects.exists()
