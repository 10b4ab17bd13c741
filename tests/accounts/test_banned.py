"""A banned member is never at a dead end: one calm page says why and since when, offers help,
their data and one appeal; every other page and every socket stays closed to them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.actions.roles import grant_moderator
from forum.actions.moderation import ban_member, decide_appeal, unban_member
from forum.models import Appeal, AuditLogEntry, Notification, NotificationKind
from tests.factories import PASSWORD
from tests.forum.chat.conftest import _close_socket_thread_connections  # noqa: F401
from tests.permission_world import ensure_seeds
from tests.sockets import close_code, socket_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seeds(db):
    ensure_seeds()


@pytest.fixture
def moderator(member_factory):
    acting = member_factory(username="SteadyModerator")
    grant_moderator(member=acting)
    return acting


@pytest.fixture
def second_moderator(member_factory):
    other = member_factory(username="OtherModerator")
    grant_moderator(member=other)
    return other


@pytest.fixture
def banned(moderator, member):
    ban_member(moderator=moderator, member=member, reason="Messages pushing a paid clinic")
    member.refresh_from_db()
    return member


def log_in(client, member):
    return client.post(reverse("account_login"), {"login": member.username, "password": PASSWORD})


def test_a_banned_member_who_logs_in_reaches_the_page_about_their_ban(client, banned):
    response = log_in(client, banned)

    assert response["Location"] == reverse("forum:banned")
    page = client.get(reverse("forum:banned")).content.decode()
    assert "Your account is closed" in page


def test_the_page_shows_the_reason_the_date_of_the_decision_and_that_it_has_no_end_date(
    client, banned
):
    log_in(client, banned)
    decided = AuditLogEntry.objects.get(action=AuditLogEntry.Action.BAN).created_at

    page = client.get(reverse("forum:banned")).content.decode()

    assert "Messages pushing a paid clinic" in page
    assert decided.strftime("%Y") in page and "Decided on" in page
    assert "no end date" in page


def test_the_page_offers_crisis_help_the_data_export_and_account_deletion(client, banned):
    log_in(client, banned)

    page = client.get(reverse("forum:banned")).content.decode()

    assert reverse("forum:crisis") in page
    assert reverse("accounts:export") in page
    assert reverse("accounts:delete") in page


def test_a_banned_member_can_download_their_data_from_the_page(client, banned):
    log_in(client, banned)

    response = client.get(reverse("accounts:export"))

    assert response.status_code == 200
    assert banned.username in response.content.decode()


def test_a_banned_member_whose_session_was_live_is_sent_to_the_page(client, member_factory):
    closed = member_factory(is_active=False)
    client.force_login(closed)

    response = client.get(reverse("forum:board_list"))

    assert response["Location"] == reverse("forum:banned")


@pytest.mark.parametrize(
    "name", ["home", "forum:board_list", "accounts:me", "forum:standing", "forum:chat_list"]
)
def test_every_other_page_sends_a_banned_member_to_their_page(client, banned, name):
    log_in(client, banned)

    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"] == reverse("forum:banned")


def test_a_banned_member_can_appeal_and_it_goes_to_a_moderator_other_than_the_one_who_acted(
    client, banned, moderator, second_moderator
):
    log_in(client, banned)

    client.post(reverse("forum:banned_appeal"), {"text": "I did not know the link was an ad"})

    appeal = Appeal.objects.get()
    assert appeal.member == banned and appeal.assigned_to == second_moderator
    assert Notification.objects.filter(
        recipient=second_moderator, kind=NotificationKind.APPEAL_RECEIVED
    ).exists()
    page = client.get(reverse("forum:banned")).content.decode()
    assert "Your appeal is waiting" in page
    assert "Send my appeal" not in page


def test_a_second_appeal_is_refused_with_a_clear_message(
    client, banned, moderator, second_moderator
):
    log_in(client, banned)
    client.post(reverse("forum:banned_appeal"), {"text": "Please look again"})

    page = client.post(
        reverse("forum:banned_appeal"), {"text": "And again"}, follow=True
    ).content.decode()

    assert "already appealed" in page
    assert Appeal.objects.count() == 1


def test_the_appeal_waits_in_the_moderators_appeals_queue(
    client, banned, moderator, second_moderator
):
    log_in(client, banned)
    client.post(reverse("forum:banned_appeal"), {"text": "I did not know the link was an ad"})
    client.force_login(second_moderator)

    page = client.get(reverse("forum:moderation_appeals")).content.decode()

    assert banned.username in page
    assert "I did not know the link was an ad" in page


def test_the_page_shows_the_decision_once_a_moderator_keeps_the_ban(
    client, banned, moderator, second_moderator
):
    log_in(client, banned)
    client.post(reverse("forum:banned_appeal"), {"text": "Please"})
    decide_appeal(
        moderator=second_moderator,
        appeal_id=Appeal.objects.get().pk,
        lift=False,
        response="The messages were advertising",
    )

    page = client.get(reverse("forum:banned")).content.decode()

    assert "The measure stays" in page
    assert "The messages were advertising" in page


def test_lifting_the_ban_on_appeal_lets_the_member_log_in_again(
    client, banned, moderator, second_moderator
):
    log_in(client, banned)
    client.post(reverse("forum:banned_appeal"), {"text": "Please"})

    decide_appeal(
        moderator=second_moderator,
        appeal_id=Appeal.objects.get().pk,
        lift=True,
        response="Welcome back",
    )

    banned.refresh_from_db()
    assert banned.is_active
    assert log_in(client, banned)["Location"] != reverse("forum:banned")
    assert client.get(reverse("forum:board_list")).status_code == 200


def test_an_unbanned_member_is_let_back_in(client, banned, moderator):
    log_in(client, banned)

    unban_member(moderator=moderator, member=banned, reason="A mistake")

    assert client.get(reverse("forum:board_list")).status_code == 200
    response = log_in(client, banned)
    assert response.status_code == 302 and response["Location"] != reverse("forum:banned")
    assert client.get(reverse("accounts:me")).status_code == 200


def test_the_page_sends_anyone_who_is_not_banned_home(client, member):
    client.force_login(member)

    assert client.get(reverse("forum:banned"))["Location"] == reverse("home")


def test_leaving_the_page_forgets_the_session(client, banned):
    log_in(client, banned)

    client.post(reverse("forum:banned_leave"))

    assert client.get(reverse("forum:board_list")).status_code == 200


@pytest.mark.django_db(transaction=True)
async def test_a_banned_members_chat_socket_is_refused(member_factory):
    from channels.db import database_sync_to_async

    await database_sync_to_async(ensure_seeds)()
    closed = await database_sync_to_async(member_factory)(is_active=False)

    code = await close_code(await socket_for(closed, "/ws/chat/general/"))

    assert code is not None and code >= 4000
