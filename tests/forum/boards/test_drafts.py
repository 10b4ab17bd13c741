"""Drafts: saved as the member types, back in the composer on any device, gone once posted."""

import pytest
from django.urls import reverse

from forum.models import Draft
from forum.models.posts import BODY_MAX_LENGTH

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(seasoned_member, no_rate_limits):
    return seasoned_member


def save(client, key, body, title=""):
    return client.post(reverse("forum:draft"), {"key": key, "body": body, "title": title})


def test_a_saved_reply_draft_is_back_in_the_reply_box_on_another_device(
    client, writer, topic_factory
):
    topic = topic_factory()
    client.force_login(writer)
    assert save(client, f"reply:{topic.pk}", "Half of what I wanted to say").json() == {
        "saved": True
    }
    client.logout()
    client.force_login(writer)  # a new session: another phone, another browser

    html = client.get(topic.get_absolute_url()).content.decode()
    reply_page = client.get(reverse("forum:reply", args=[topic.pk])).content.decode()

    assert "Half of what I wanted to say</textarea>" in html
    assert "Half of what I wanted to say" in reply_page
    assert f'data-draft-key="reply:{topic.pk}"' in html


def test_posting_the_reply_removes_its_draft(client, writer, topic_factory):
    topic = topic_factory()
    client.force_login(writer)
    save(client, f"reply:{topic.pk}", "Almost ready")

    client.post(reverse("forum:reply", args=[topic.pk]), {"body": "Ready now."})

    assert not Draft.objects.exists()
    assert "Almost ready" not in client.get(topic.get_absolute_url()).content.decode()


def test_a_new_topic_draft_keeps_its_title_and_is_removed_when_the_topic_is_posted(
    client, writer, support_board
):
    client.force_login(writer)
    key = f"topic:{support_board.slug}:helping"
    save(client, key, "The body so far", title="A title in progress")
    form_url = reverse("forum:new_topic", args=[support_board.slug]) + "?kind=helping"

    html = client.get(form_url).content.decode()
    client.post(
        form_url,
        {"kind": "helping", "title": "A title in progress", "body": "Done.", "post": "1"},
    )

    assert 'value="A title in progress"' in html and "The body so far" in html
    assert not Draft.objects.exists()


def test_a_draft_is_private_to_its_author(client, writer, member_factory, topic_factory):
    topic = topic_factory()
    client.force_login(writer)
    save(client, f"reply:{topic.pk}", "My private words")
    client.force_login(member_factory())

    assert "My private words" not in client.get(topic.get_absolute_url()).content.decode()


def test_emptying_the_composer_removes_the_draft(client, writer, topic_factory):
    topic = topic_factory()
    client.force_login(writer)
    save(client, f"reply:{topic.pk}", "Something")

    assert save(client, f"reply:{topic.pk}", "   ").json() == {"saved": False}
    assert not Draft.objects.exists()


@pytest.mark.parametrize(
    "key",
    ["", "reply:999999", "reply:abc", "topic:no-such-board:helping", "topic:general-support:x"],
)
def test_a_draft_for_no_real_composer_is_a_404(client, writer, key):
    client.force_login(writer)

    assert save(client, key, "text").status_code == 404
    assert not Draft.objects.exists()


def test_oversized_or_nul_drafts_are_refused_with_a_message(client, writer, topic_factory):
    topic = topic_factory()
    client.force_login(writer)

    too_long = save(client, f"reply:{topic.pk}", "x" * (BODY_MAX_LENGTH + 1))
    nul = save(client, f"reply:{topic.pk}", "a\x00b")

    assert too_long.status_code == 400 and "longer" in too_long.json()["error"]
    assert nul.status_code == 400
    assert not Draft.objects.exists()


def test_a_visitor_cannot_save_a_draft(client, topic_factory):
    topic = topic_factory()

    response = save(client, f"reply:{topic.pk}", "text")

    assert response.status_code == 401 and not Draft.objects.exists()


def test_saving_is_rate_limited_and_the_stored_draft_stays(client, writer, topic_factory):
    from forum.actions.drafts import DRAFT_SAVES

    topic = topic_factory()
    client.force_login(writer)

    statuses = [
        save(client, f"reply:{topic.pk}", f"version {n}").status_code
        for n in range(DRAFT_SAVES.count + 1)
    ]

    assert statuses[-2] == 200 and statuses[-1] == 429
    assert Draft.objects.get().body == f"version {DRAFT_SAVES.count - 1}"
