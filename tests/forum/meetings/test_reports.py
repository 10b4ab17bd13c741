"""A share reported during a meeting reaches moderators, and only moderators, after the end."""

from __future__ import annotations

import pytest
from django.urls import reverse

from forum.actions import meetings as act
from forum.actions.moderation import hide_item
from forum.actions.moderation import meetings as safety
from forum.errors import ItemNotFound
from forum.models import AuditLogEntry, MeetingShare, Report
from forum.selectors.meetings import resume_shares

pytestmark = pytest.mark.django_db


@pytest.fixture
def sharing(meeting, chair, member_factory):
    """Sharer has the floor and has written two shares; Listener is in the meeting."""
    sharer = member_factory(username="Sharer")
    listener = member_factory(username="Listener")
    for member in (sharer, listener):
        act.join_meeting(member=member, meeting=meeting)
    act.raise_hand(member=sharer, meeting=meeting)
    act.call_next(by=chair, meeting=meeting)
    harmful = act.send_share(member=sharer, meeting=meeting, body="Call me at 555-0100, newcomer")
    ordinary = act.send_share(member=sharer, meeting=meeting, body="Today I am grateful.")
    return sharer, listener, harmful, ordinary


def test_a_share_reported_in_the_meeting_is_an_item_in_the_moderators_queue(
    sharing, moderator, client
):
    sharer, listener, harmful, _ = sharing
    safety.report_share(member=listener, share=harmful, reason="personal_info")
    report = Report.objects.get()
    assert (report.target_kind, report.target_id) == ("meeting_share", harmful.pk)
    assert report.subject == sharer and report.reporter == listener
    client.force_login(moderator)
    html = client.get(reverse("forum:moderation_queue")).content.decode()
    assert "Meeting share #" in html and "Call me at 555-0100, newcomer" in html
    assert "Tuesday night" in html


def test_ending_removes_unreported_shares_and_keeps_the_reported_one_for_the_queue_only(
    sharing, meeting, chair, moderator, client
):
    sharer, listener, harmful, _ = sharing
    safety.report_share(member=listener, share=harmful, reason="personal_info")
    safety.end_meeting(by=chair, meeting=meeting)

    assert list(MeetingShare.objects.values_list("body", "reported")) == [
        ("Call me at 555-0100, newcomer", True)
    ]
    assert resume_shares(meeting.pk) == []
    for member in (listener, sharer):
        client.force_login(member)
        page = client.get(meeting.room.get_absolute_url()).content.decode()
        assert "555-0100" not in page
        assert client.get(
            reverse("forum:report", args=["meeting_share", harmful.pk])
        ).status_code in (
            403,
            404,
        )
    client.force_login(moderator)
    item = client.get(reverse("forum:moderation_item", args=["meeting_share", harmful.pk]))
    assert item.status_code == 200
    assert "555-0100" in item.content.decode()
    assert "kept for moderators only" in item.content.decode()


def test_a_share_reported_from_the_report_page_is_kept_too(sharing, meeting, chair, client):
    _, listener, harmful, _ = sharing
    client.force_login(listener)
    response = client.post(
        reverse("forum:report", args=["meeting_share", harmful.pk]), {"reason": "harassment"}
    )
    assert response.url == meeting.room.get_absolute_url()
    safety.end_meeting(by=chair, meeting=meeting)
    assert list(MeetingShare.objects.values_list("pk", flat=True)) == [harmful.pk]


def test_someone_outside_the_meeting_cannot_report_its_shares(sharing, member_factory):
    _, _, harmful, _ = sharing
    with pytest.raises(ItemNotFound):
        safety.report_share(member=member_factory(), share=harmful)
    assert not Report.objects.exists()


def test_an_unreported_share_cannot_be_opened_by_a_moderator(sharing, moderator, client):
    _, _, _, ordinary = sharing
    client.force_login(moderator)
    url = reverse("forum:moderation_item", args=["meeting_share", ordinary.pk])
    assert client.get(url).status_code == 404


def test_a_moderator_hides_a_reported_share_audited_and_gone_for_reconnecting_members(
    sharing, meeting, moderator
):
    _, listener, harmful, _ = sharing
    safety.report_share(member=listener, share=harmful, reason="personal_info")
    entry = hide_item(
        moderator=moderator, kind="meeting_share", target_id=harmful.pk, reason="Phone number"
    )
    assert entry.action == AuditLogEntry.Action.HIDE
    assert entry.target_description.startswith(f"meeting share #{harmful.pk} by Sharer")
    assert Report.objects.get().status == Report.Status.ACTIONED
    assert [s.body for s in resume_shares(meeting.pk)] == ["Today I am grateful."]


def test_a_moderator_acts_on_the_sharer_from_the_reported_share(sharing, moderator, client):
    sharer, listener, harmful, _ = sharing
    safety.report_share(member=listener, share=harmful, reason="personal_info")
    client.force_login(moderator)
    html = client.get(reverse("forum:moderation_item", args=["meeting_share", harmful.pk]))
    html = html.content.decode()
    assert "The member: Sharer" in html and "Hide" in html and "Delete" in html
    response = client.post(
        reverse("forum:moderation_member_action", args=[sharer.pk, "warn"]),
        {"message": "Please keep contact details out of meetings."},
    )
    assert response.status_code == 302
    assert AuditLogEntry.objects.filter(action="warn", member=sharer).exists()


def test_dismissing_the_report_keeps_the_share_for_the_record_of_moderators(
    sharing, meeting, chair, moderator, client
):
    _, listener, harmful, _ = sharing
    safety.report_share(member=listener, share=harmful)
    client.force_login(moderator)
    client.post(
        reverse("forum:moderation_item_action", args=["meeting_share", harmful.pk, "dismiss"]),
        {"reason": "Nothing to change"},
    )
    assert Report.objects.get().status == Report.Status.DISMISSED
    safety.end_meeting(by=chair, meeting=meeting)
    assert MeetingShare.objects.filter(pk=harmful.pk).exists()
