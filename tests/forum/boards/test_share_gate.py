"""Carrying the message is for members at Step 12: the gate through the UI and a forged POST."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum.models import Post, Topic, TopicKind

pytestmark = pytest.mark.django_db

SHARE = {"kind": "message", "title": "What Step 4 was like for me", "body": "I wrote it all down."}


def new_topic_url(board, kind="message"):
    return f"/boards/{board.slug}/new/?kind={kind}"


@pytest.mark.parametrize("step", [1, 5, 11])
def test_member_below_step_12_opening_the_share_composer_sees_the_kind_explanation(
    client, member_factory, support_board, step
):
    member = member_factory(step=step)
    client.force_login(member)

    response = client.get(new_topic_url(support_board))

    html = response.content.decode()
    assert response.status_code == 403
    assert "Carrying the message comes with Step 12" in html
    assert "Helping others" in html
    assert f'href="/steps/{step}/"' in html
    assert f'href="/boards/{support_board.slug}/new/?kind=helping"' in html
    assert 'name="title"' not in html  # no composer


def test_a_forged_share_post_below_step_12_is_refused_the_same_way_and_stores_nothing(
    client, member_factory, support_board
):
    client.force_login(member_factory(step=11))

    response = client.post(new_topic_url(support_board), SHARE)

    assert response.status_code == 403
    assert "Carrying the message comes with Step 12" in response.content.decode()
    assert Topic.objects.count() == 0
    assert Post.objects.count() == 0


def test_a_forged_share_post_naming_the_kind_only_in_the_body_is_refused(
    client, member_factory, support_board
):
    client.force_login(member_factory(step=3))

    response = client.post(f"/boards/{support_board.slug}/new/", SHARE)

    assert response.status_code == 403
    assert not Topic.objects.exists()


def test_a_member_at_step_12_can_start_a_share(client, step12_member, support_board):
    client.force_login(step12_member)

    page = client.get(new_topic_url(support_board)).content.decode()
    response = client.post(new_topic_url(support_board), {**SHARE, "post": "1"})

    assert "Speak from your own experience" in page
    topic = Topic.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/t/{topic.pk}/"
    assert topic.kind == TopicKind.MESSAGE
    assert topic.posts.get().body == "I wrote it all down."


def test_a_member_below_step_12_sees_why_instead_of_the_share_button(
    client, member_factory, support_board
):
    client.force_login(member_factory(step=2))

    html = client.get(f"/boards/{support_board.slug}/?kind=message").content.decode()

    assert "Why can't I start a share yet?" in html
    assert "Share your experience" not in html


def test_any_member_can_start_a_helping_topic(client, member, support_board):
    client.force_login(member)

    response = client.post(
        new_topic_url(support_board, "helping"),
        {"kind": "helping", "title": "Rough evening", "body": "Could use some company."},
    )

    assert response.status_code == 302
    assert Topic.objects.get().kind == TopicKind.HELPING


def test_a_share_telling_others_what_to_do_gets_a_gentle_note_in_the_preview(
    client, step12_member, support_board
):
    client.force_login(step12_member)

    response = client.post(
        new_topic_url(support_board),
        {**SHARE, "body": "You should **really** call your sponsor every day.", "preview": "1"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "speak from your own experience" in html
    assert "<strong>really</strong>" in html
    assert not Topic.objects.exists()  # a preview stores nothing


def test_a_first_person_share_gets_no_note_and_the_note_never_blocks(
    client, step12_member, support_board
):
    client.force_login(step12_member)

    preview = client.post(
        new_topic_url(support_board),
        {**SHARE, "body": "When I worked Step 9, I called my brother.", "preview": "1"},
    )
    posted = client.post(
        new_topic_url(support_board),
        {**SHARE, "body": "You need to be honest.", "post": "1"},
    )

    assert "speak from your own experience" not in preview.content.decode()
    assert posted.status_code == 302
    assert Topic.objects.get().posts.get().body == "You need to be honest."


def test_visitors_are_sent_to_log_in_before_writing(client, support_board):
    response = client.get(new_topic_url(support_board, "helping"))
    forged = client.post(
        new_topic_url(support_board, "helping"), {"title": "Hello all", "body": "x"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")
    assert forged.status_code == 302
    assert not Topic.objects.exists()


def test_a_suspended_member_cannot_start_a_topic(client, member_factory, support_board):
    member = member_factory(suspended_until=timezone.now() + timedelta(days=1))
    client.force_login(member)

    response = client.post(
        new_topic_url(support_board, "helping"),
        {"kind": "helping", "title": "Hello again", "body": "Back for a bit."},
    )

    assert response.status_code == 403
    assert "You cannot post right now" in response.content.decode()
    assert not Topic.objects.exists()


def test_an_unknown_kind_is_404(client, member, support_board):
    client.force_login(member)

    assert client.get(new_topic_url(support_board, "advice")).status_code == 404
    assert client.get(f"/boards/{support_board.slug}/?kind=advice").status_code == 404
