"""A group's own words for its meeting format: who may edit, what is kept, and the fallback."""

from __future__ import annotations

import pytest
from django.urls import reverse

from forum.actions import meetings as act
from forum.models import AuditLogEntry, MeetingFormat
from forum.models.meetings import DEFAULT_TEXTS, TEXT_MAX_LENGTH
from forum.selectors.meetings import meeting_state

pytestmark = pytest.mark.django_db


def format_data(**texts) -> dict:
    data = {name: "" for name in DEFAULT_TEXTS}
    return data | {"share_seconds": "3"} | texts


def test_a_chair_saves_the_groups_own_words_and_the_next_meeting_reads_them(
    client, chair, room, member
):
    client.force_login(chair)
    url = reverse("forum:meeting_format", args=[room.slug])
    assert "Introducing the topic" in client.get(url).content.decode()
    response = client.post(url, format_data(reading="We read <b>our</b> own words."))
    assert response.status_code == 302
    fmt = MeetingFormat.objects.get(room=room)
    assert fmt.reading == "We read <b>our</b> own words."
    assert fmt.welcome == DEFAULT_TEXTS["welcome"]

    meeting = act.start_meeting(by=chair, room=room)
    act.set_phase(by=chair, meeting=meeting, phase="reading")
    assert meeting_state(meeting.pk, member)["texts"] == ["We read <b>our</b> own words."]
    client.force_login(member)
    act.join_meeting(member=member, meeting=meeting, socket=False)
    page = client.get(room.get_absolute_url()).content.decode()
    assert "We read &lt;b&gt;our&lt;/b&gt; own words." in page
    assert "<b>our</b>" not in page


def test_each_edit_and_the_reset_are_in_the_audit_log(client, chair, room):
    client.force_login(chair)
    client.post(
        reverse("forum:meeting_format", args=[room.slug]), format_data(closing="Keep coming back.")
    )
    client.post(reverse("forum:meeting_format_reset", args=[room.slug]))
    entries = list(AuditLogEntry.objects.order_by("id").values_list("action", "reason"))
    assert entries[0][0] == entries[1][0] == "meeting_format"
    assert entries[0][1] == "Changed: closing"
    assert entries[1][1] == "Reset to Homegroup's words"
    assert MeetingFormat.objects.get(room=room).closing == DEFAULT_TEXTS["closing"]


def test_a_text_too_long_is_refused_with_a_clear_error_and_the_rest_is_kept_in_the_form(
    client, chair, room
):
    client.force_login(chair)
    response = client.post(
        reverse("forum:meeting_format", args=[room.slug]),
        format_data(reading="x" * (TEXT_MAX_LENGTH + 1), closing="Our closing words"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 1000 characters" in html
    assert "Our closing words" in html
    assert not MeetingFormat.objects.filter(room=room).exists()
    assert not AuditLogEntry.objects.exists()


def test_control_characters_are_taken_out_and_an_emptied_text_reads_ours(chair, room):
    fmt = act.edit_format(
        by=chair, room=room, texts={"reading": "\x00\x07 ", "closing": "Be\x1bwell"}
    )
    assert fmt.reading == DEFAULT_TEXTS["reading"]
    assert fmt.closing == "Bewell"


def test_a_member_who_may_not_chair_cannot_open_the_format(member_client, room):
    assert member_client.get(reverse("forum:meeting_format", args=[room.slug])).status_code == 403
    assert (
        member_client.post(reverse("forum:meeting_format_reset", args=[room.slug])).status_code
        == 403
    )


def test_a_moderator_may_edit_any_public_rooms_format(client, moderator, room):
    client.force_login(moderator)
    assert client.get(reverse("forum:meeting_format", args=[room.slug])).status_code == 200
