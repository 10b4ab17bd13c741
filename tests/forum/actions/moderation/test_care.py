"""A private check-in from an at-risk report, which the member can answer."""

import pytest
from django.test import Client
from django.urls import reverse

from forum.actions.moderation import ModerationError, send_check_in
from forum.actions.safety import raise_at_risk_report
from forum.models import AuditLogEntry, CheckIn, Notification
from tests.factories import make_post
from tests.forum.actions.moderation.conftest import act, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_risk(member_factory, topic):
    writer = member_factory(username="HardDay")
    post = make_post(topic, author=writer, body="I can't go on like this")
    raise_at_risk_report(author=writer, target_kind="post", target_id=post.pk)
    return writer, post


def test_a_moderator_checks_in_from_the_at_risk_report_and_the_member_is_told(
    moderator_client, at_risk
):
    writer, post = at_risk
    page = moderator_client.get(reverse("forum:moderation_item", args=["post", post.pk]))
    assert "Check in privately" in page.content.decode()

    act(moderator_client, "post", post.pk, "check_in", text="We are thinking of you. How are you?")

    check_in = CheckIn.objects.get()
    assert check_in.member == writer
    told = Notification.objects.get(recipient=writer)
    assert told.url == check_in.get_absolute_url() and "How are you" not in told.text
    entry = AuditLogEntry.objects.get(action="check_in")
    assert "How are you" not in entry.reason


def test_the_member_reads_it_and_answers_once_and_the_moderator_is_told(moderator, at_risk, client):
    writer, post = at_risk
    check_in = send_check_in(
        moderator=moderator, kind="post", target_id=post.pk, text="Thinking of you"
    )
    login(client, writer)
    assert "Thinking of you" in client.get(check_in.get_absolute_url()).content.decode()

    client.post(check_in.get_absolute_url(), {"reply": "Thank you, a bit better today"})
    client.post(check_in.get_absolute_url(), {"reply": "Second answer"})

    check_in.refresh_from_db()
    assert check_in.reply == "Thank you, a bit better today"
    told = Notification.objects.get(recipient=moderator)
    assert "answered your check-in" in told.text and "better today" not in told.text


def test_nobody_else_can_read_a_check_in(moderator, at_risk, member):
    _, post = at_risk
    check_in = send_check_in(moderator=moderator, kind="post", target_id=post.pk, text="Private")
    other = Client()
    other.force_login(member)

    assert other.get(check_in.get_absolute_url()).status_code == 404


def test_a_check_in_needs_an_open_at_risk_report(moderator, topic, member_factory):
    post = make_post(topic, author=member_factory())

    with pytest.raises(ModerationError, match="member at risk"):
        send_check_in(moderator=moderator, kind="post", target_id=post.pk, text="Hello")

    assert not CheckIn.objects.exists()


def test_a_member_cannot_send_a_check_in(client, member, at_risk):
    _, post = at_risk
    login(client, member)

    response = act(client, "post", post.pk, "check_in", text="Hi")

    assert response.status_code == 403
    assert not CheckIn.objects.exists()


def test_the_export_holds_the_check_in_and_answer_but_never_moderator_notes(
    moderator, at_risk, client
):
    from forum.actions.moderation import add_note, answer_check_in

    writer, post = at_risk
    check_in = send_check_in(moderator=moderator, kind="post", target_id=post.pk, text="Hello you")
    answer_check_in(member=writer, check_in_id=check_in.pk, reply="Doing better")
    add_note(moderator=moderator, member=writer, text="notes-stay-private")
    login(client, writer)

    export = client.get(reverse("accounts:export"))

    data = export.json()
    assert data["check_ins"] == [
        {
            "message": "Hello you",
            "answer": "Doing better",
            "created_at": data["check_ins"][0]["created_at"],
        }
    ]
    assert "notes-stay-private" not in export.content.decode()


# One test per branch of the check-in checks --------------------------------------------------


def test_an_empty_check_in_is_refused(moderator, at_risk):
    _, post = at_risk

    with pytest.raises(ModerationError, match="Please write your message"):
        send_check_in(moderator=moderator, kind="post", target_id=post.pk, text="  ")


def test_a_check_in_longer_than_the_limit_is_refused(moderator, at_risk):
    from forum.models.moderation import NOTE_MAX_LENGTH

    _, post = at_risk

    with pytest.raises(ModerationError, match=f"{NOTE_MAX_LENGTH} characters"):
        send_check_in(
            moderator=moderator, kind="post", target_id=post.pk, text="c" * (NOTE_MAX_LENGTH + 1)
        )


def test_a_check_in_cannot_reach_a_closed_account(moderator, at_risk):
    writer, post = at_risk
    type(writer).objects.filter(pk=writer.pk).update(is_active=False)

    with pytest.raises(ModerationError, match="can no longer be reached"):
        send_check_in(moderator=moderator, kind="post", target_id=post.pk, text="Thinking of you")
