"""The crisis path: /crisis/ resources, the panel for the author alone, the at-risk report."""

import pytest
from channels.db import database_sync_to_async
from django.test import Client
from django.urls import reverse

from forum.models import ChatMessage, CrisisPhrase, CrisisResource, Post, Report
from tests.factories import make_room
from tests.forum.actions.moderation.conftest import login
from tests.sockets import connect, next_frame

PANEL = "We're glad you wrote"


@pytest.mark.django_db
def test_the_crisis_page_lists_the_resources_from_the_database(client):
    CrisisResource.objects.create(
        name="Local Warmline", detail="Evenings", contact="0800 000", position=99
    )

    page = client.get(reverse("forum:crisis")).content.decode()

    assert "Samaritans" in page and "988" in page and "Local Warmline" in page
    assert page.index("Samaritans") < page.index("Local Warmline")


@pytest.mark.django_db
def test_the_crisis_page_falls_back_to_settings_when_the_table_is_empty(client, settings):
    CrisisResource.objects.all().delete()
    settings.CRISIS_RESOURCES = [{"name": "Fallback line", "detail": "d", "contact": "1"}]

    assert "Fallback line" in client.get(reverse("forum:crisis")).content.decode()


@pytest.mark.django_db
def test_a_crisis_phrase_publishes_the_post_and_only_the_author_sees_the_panel(
    client, member, member_factory, topic
):
    login(client, member)

    response = client.post(
        reverse("forum:reply", args=[topic.pk]),
        {"body": "Honestly I want to END MY LIFE tonight"},
        follow=True,
    )

    page = response.content.decode()
    assert PANEL in page and "Samaritans" in page and "Only you can see this note" in page
    post = Post.objects.get(body__icontains="end my life")
    assert post.state != "pending"
    other = Client()
    other.force_login(member_factory())
    other_page = other.get(topic.get_absolute_url()).content.decode()
    assert "END MY LIFE" in other_page and PANEL not in other_page
    assert PANEL not in client.get(topic.get_absolute_url()).content.decode()  # shown once


@pytest.mark.django_db
def test_a_crisis_phrase_puts_a_system_at_risk_report_first_in_the_queue(
    client, member, member_factory, moderator_client, topic
):
    from forum.actions.moderation import report_item

    report_item(reporter=member_factory(), kind="topic", target_id=topic.pk, reason="spam")
    login(client, member)
    client.post(reverse("forum:reply", args=[topic.pk]), {"body": "I feel suicidal"})

    report = Report.objects.get(reason="member_at_risk")
    assert report.is_system and report.reporter is None and report.subject == member
    queue = moderator_client.get(reverse("forum:moderation_queue")).content.decode()
    assert queue.index(f"Post #{report.target_id}<") < queue.index(f"Topic #{topic.pk}<")
    assert "raised by Homegroup" in queue


@pytest.mark.django_db
def test_a_crisis_phrase_in_a_new_topic_shows_the_panel(client, member):
    login(client, member)

    response = client.post(
        reverse("forum:new_topic", args=["general-support"]),
        {"title": "Better off dead", "body": "That is how I feel", "kind": "helping"},
        follow=True,
    )

    assert PANEL in response.content.decode()
    assert Report.objects.get().target_kind == "topic"


@pytest.mark.django_db
def test_an_ordinary_post_shows_no_panel(client, member, topic):
    login(client, member)

    response = client.post(
        reverse("forum:reply", args=[topic.pk]), {"body": "A good day today"}, follow=True
    )

    assert PANEL not in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.django_db(transaction=True)
async def test_a_crisis_phrase_in_chat_sends_the_panel_to_the_author_alone(member_factory):
    writer = await database_sync_to_async(member_factory)()
    reader = await database_sync_to_async(member_factory)()
    room = await database_sync_to_async(make_room)()
    listening = await connect(reader, f"/ws/chat/{room.slug}/")
    await next_frame(listening, "presence")
    socket = await connect(writer, f"/ws/chat/{room.slug}/")
    await next_frame(socket, "presence")

    await socket.send_json_to({"type": "message", "body": "i want to die", "client_id": "c1"})

    panel = await next_frame(socket, "crisis")
    assert any("Samaritans" in r["name"] for r in panel["resources"])
    seen = await next_frame(listening, "message")
    assert seen["body"] == "i want to die"
    assert await listening.receive_nothing(timeout=0.3)
    message = await database_sync_to_async(ChatMessage.objects.get)()
    report = await database_sync_to_async(Report.objects.get)()
    assert (report.target_kind, report.target_id, report.is_system) == (
        "chat_message",
        message.pk,
        True,
    )
    await socket.disconnect()
    await listening.disconnect()


@pytest.mark.django_db
def test_moderators_manage_crisis_phrases(moderator_client):
    url = reverse("forum:moderation_crisis_phrases")
    moderator_client.post(url, {"phrase": "Cannot go on"})
    phrase = CrisisPhrase.objects.get(phrase="Cannot go on")

    assert "Cannot go on" in moderator_client.get(url).content.decode()
    assert moderator_client.post(url, {"phrase": "cannot GO on"}).status_code == 400
    moderator_client.post(reverse("forum:moderation_crisis_phrase_delete", args=[phrase.pk]))
    assert not CrisisPhrase.objects.filter(pk=phrase.pk).exists()


@pytest.mark.django_db
def test_any_member_can_report_someone_at_risk_from_their_profile(client, member, member_factory):
    worried_about = member_factory(username="FeelingLow")
    login(client, member)

    client.post(
        reverse("forum:report", args=["member", worried_about.pk]), {"reason": "member_at_risk"}
    )

    report = Report.objects.get()
    assert (report.target_kind, report.subject, report.reason) == (
        "member",
        worried_about,
        "member_at_risk",
    )


@pytest.mark.django_db
def test_a_crisis_phrase_sent_without_javascript_shows_the_author_the_panel(
    client, member, member_factory
):
    room = make_room()
    login(client, member)

    response = client.post(
        reverse("forum:chat_send", args=[room.slug]), {"body": "I want to die"}, follow=True
    )

    assert PANEL in response.content.decode()
    assert ChatMessage.objects.get().body == "I want to die"
    other = Client()
    other.force_login(member_factory())
    page = other.get(room.get_absolute_url()).content.decode()
    assert "I want to die" in page and PANEL not in page


@pytest.mark.django_db
def test_phone_numbers_on_the_crisis_page_are_tel_links_and_addresses_stay_web_links(client):
    CrisisResource.objects.create(
        name="Local Warmline", detail="Evenings", contact="Call +44 800 123-4567 <b>now</b>"
    )
    CrisisResource.objects.create(
        name="Lifeline site", detail="d", contact="https://988lifeline.org"
    )

    page = client.get(reverse("forum:crisis")).content.decode()

    assert '<a href="tel:116123">116 123</a>' in page
    assert '<a href="tel:112">112</a> / <a href="tel:911">911</a>' in page
    assert '<a href="tel:+448001234567">+44 800 123-4567</a> &lt;b&gt;now&lt;/b&gt;' in page
    assert 'href="https://988lifeline.org"' in page and "tel:988lifeline" not in page


@pytest.mark.django_db
def test_every_page_offers_help_in_its_header(client):
    for path in ("/", "/steps/", "/account/login/", "/crisis/"):
        html = client.get(path).content.decode()
        header = html[html.index("<header") : html.index("</header>")]
        assert '<a class="help-now" href="/crisis/">Get help now</a>' in header, path
