"""Every URL of the site x every role -> the expected status; and every WebSocket action per role.

The URLs come from the resolver itself (``django.urls.get_resolver``, walked recursively, allauth
and admin included), so a URL added without a line in EXPECTED fails
``test_every_url_pattern_has_an_expectation``. Arguments are filled with real objects from one
scene (tests/permission_world.py). POST-only URLs are POSTed with an empty form inside a
transaction that is rolled back, so no request changes what the next one sees.

Roles: visitor, member, Step-12 member, mentor, moderator, suspended member, banned member
(deactivated: their session no longer authenticates; every URL but their own page, crisis help,
their data and the app's files sends them to that page: accounts/banned.py), admin.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from tests.permission_world import (
    ROLES,
    World,
    all_routes,
    build_world,
    effect_as,
    fill,
    request_as,
    response_as,
)

V, M, S12, MEN, MOD, SUS, BAN, ADM = ROLES


def statuses(default: int, **overrides: int) -> dict[str, int]:
    """Every role gets ``default`` but those overridden; a banned member is sent to their page
    (302) unless the URL is one of the few still open to them."""
    result = dict.fromkeys(ROLES, default)
    result[BAN] = 302
    for role, status in overrides.items():
        result[role] = status
    return result


PUBLIC = statuses(200)
# Open to everyone, a banned member included: crisis help and the app's own files.
OPEN = statuses(200, banned=200)
# Logged-in pages: visitors (and banned members, whose sessions are dead) are sent to log in.
LOGIN = statuses(200, visitor=302, banned=302)
# Moderators' pages: members are refused.
MODERATORS = statuses(403, visitor=302, banned=302, moderator=200, admin=200)
# POST-only moderator actions with an empty form: refused, or back with an error message.
MODERATOR_POST = statuses(403, visitor=302, banned=302, moderator=302, admin=302)
# Logged-in POST endpoints that answer an empty form by redirecting back with a message.
LOGIN_POST_REDIRECT = statuses(302)
# Writing: suspended members can read but not write.
WRITE_FORM = statuses(200, visitor=302, banned=302, suspended=403)

# Chairing a meeting: members with standing (Step 12, an older account), mentors and moderators
# get through (and are sent back to the room).
CHAIR_POST = statuses(
    403, visitor=302, banned=302, step12=302, mentor=302, moderator=302, admin=302
)

# A mentor request is there only for its two members (the mentee asked, the mentor answers):
# each gets a redirect with the outcome as a message; anyone else a 404.
ANSWER = statuses(404, visitor=302, banned=302, step12=302, mentor=302)

# Someone else's workbook entry (the mentee's): missing for every other role.
NOT_YOURS = statuses(404, visitor=302, banned=302)
MENTOR_ONLY_POST = statuses(404, visitor=302, banned=302, mentor=302)
# Moving on from Step 1: the members on Step 1 get the page; everyone else is led to their own.
MOVE_ON = statuses(302, suspended=200, admin=200)

# (route, variant) -> (method, expected statuses). The variant picks other arguments (see VALUES).
EXPECTED: dict[tuple[str, str], tuple[str, dict[str, int]]] = {
    # Foundation
    ("", ""): ("GET", PUBLIC),
    ("crisis/", ""): ("GET", OPEN),
    ("offline/", ""): ("GET", OPEN),
    ("manifest.webmanifest", ""): ("GET", OPEN),
    ("sw.js", ""): ("GET", OPEN),
    ("robots.txt", ""): ("GET", OPEN),
    ("favicon.ico", ""): ("GET", statuses(302)),
    ("steps/", ""): ("GET", PUBLIC),
    ("steps/<int:number>/", ""): ("GET", PUBLIC),
    # allauth
    ("account/login/", ""): ("GET", statuses(302, visitor=200)),
    ("account/logout/", ""): ("GET", statuses(200, visitor=302, banned=302)),
    ("account/inactive/", ""): ("GET", PUBLIC),
    ("account/signup/", ""): ("GET", statuses(302, visitor=200)),
    ("account/reauthenticate/", ""): ("GET", LOGIN),
    ("account/email/", ""): ("GET", LOGIN),
    ("account/confirm-email/", ""): ("GET", PUBLIC),
    ("account/password/change/", ""): ("GET", LOGIN),
    ("account/password/set/", ""): ("GET", statuses(302)),
    ("account/password/reset/", ""): ("GET", PUBLIC),
    ("account/login/code/confirm/", ""): ("GET", statuses(302, visitor=302, banned=302)),
    ("account/^confirm-email/(?P<key>[-:\\w]+)/$", ""): ("GET", PUBLIC),
    ("account/password/reset/key/done/", ""): ("GET", PUBLIC),
    ("account/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$", ""): ("GET", PUBLIC),
    ("account/password/reset/done/", ""): ("GET", PUBLIC),
    ("account/sessions/", ""): ("GET", LOGIN),
    # Accounts: profiles, own settings
    ("u/<str:pseudonym>/", ""): ("GET", PUBLIC),
    ("u/<str:pseudonym>/", "banned"): ("GET", statuses(404)),
    ("u/<str:pseudonym>/block/", ""): ("POST", LOGIN_POST_REDIRECT),
    ("u/<str:pseudonym>/unblock/", ""): ("POST", LOGIN_POST_REDIRECT),
    ("u/<str:pseudonym>/mentor-role/", ""): (
        "POST",
        statuses(403, visitor=302, banned=302, moderator=302, admin=302),
    ),
    ("me/", ""): ("GET", LOGIN),
    ("me/step/", ""): ("POST", LOGIN_POST_REDIRECT),
    ("me/theme/", ""): ("POST", LOGIN_POST_REDIRECT),
    # A banned member can still take their data away or delete the account, from their page.
    ("me/export/", ""): ("GET", statuses(200, visitor=302, banned=200)),
    ("me/delete/", ""): ("GET", statuses(200, visitor=302, banned=200)),
    ("me/notifications/", ""): ("POST", LOGIN_POST_REDIRECT),
    # Mentoring
    ("mentoring/", ""): ("GET", LOGIN),
    ("mentoring/profile/", ""): ("POST", statuses(400, visitor=302, banned=302)),
    ("mentoring/pause/", ""): ("POST", statuses(302)),
    ("mentoring/ask/<str:pseudonym>/", ""): ("GET", statuses(200, visitor=302, banned=302)),
    ("mentoring/open-request/", ""): ("POST", statuses(400, visitor=302, banned=302)),
    ("mentoring/requests/<int:pk>/accept/", ""): ("POST", ANSWER),
    ("mentoring/requests/<int:pk>/decline/", ""): ("POST", ANSWER),
    ("mentoring/requests/<int:pk>/withdraw/", ""): ("POST", ANSWER),
    ("mentoring/<int:pk>/", ""): ("GET", statuses(404, visitor=302, banned=302, mentor=200)),
    ("mentoring/<int:pk>/end/", ""): ("POST", statuses(404, visitor=302, banned=302, mentor=302)),
    # The step journey and the private workbook: a member's own pages; another member's entry
    # is a 404 for everyone, moderators and admins included; shared work is the mentor's alone.
    ("welcome/", ""): ("GET", LOGIN),
    ("clean-date/", ""): ("GET", LOGIN),
    ("check-in/", ""): ("GET", LOGIN),
    ("steps/<int:number>/move-on/", ""): ("GET", MOVE_ON),
    ("steps/<int:number>/workbook/", ""): ("GET", LOGIN),
    ("steps/<int:number>/workbook/share/", ""): ("POST", LOGIN_POST_REDIRECT),
    ("steps/<int:number>/workbook/<int:entry_id>/", ""): ("GET", NOT_YOURS),
    ("steps/<int:number>/workbook/<int:entry_id>/delete/", ""): ("POST", NOT_YOURS),
    ("steps/<int:number>/workbook/<int:entry_id>/share/", ""): ("POST", NOT_YOURS),
    ("mentoring/<int:pk>/workbook/", ""): (
        "GET",
        statuses(404, visitor=302, banned=302, mentor=200),
    ),
    ("mentoring/<int:pk>/workbook/<int:share_id>/note/", ""): ("POST", MENTOR_ONLY_POST),
    ("mentoring/<int:pk>/move/<int:request_id>/note/", ""): ("POST", MENTOR_ONLY_POST),
    # Boards
    ("boards/", ""): ("GET", PUBLIC),
    ("boards/<slug:slug>/", ""): ("GET", PUBLIC),
    ("boards/<slug:slug>/new/", ""): ("GET", WRITE_FORM),
    ("t/<int:topic_id>/", ""): ("GET", PUBLIC),
    ("t/<int:topic_id>/unread/", ""): ("GET", statuses(302)),
    ("t/<int:topic_id>/reply/", ""): ("GET", WRITE_FORM),
    ("p/<int:post_id>/", ""): ("GET", statuses(302)),
    ("p/<int:post_id>/edit/", ""): ("GET", statuses(403, visitor=302, banned=302)),
    ("p/<int:post_id>/edit/", "own"): ("GET", statuses(403, visitor=302, banned=302)),
    ("p/<int:post_id>/delete/", ""): ("GET", statuses(403, visitor=302, banned=302)),
    ("p/<int:post_id>/react/", ""): ("POST", statuses(302, suspended=403)),
    ("p/<int:post_id>/revisions/", ""): ("GET", statuses(404, moderator=200, admin=200)),
    ("search/", ""): ("GET", PUBLIC),
    # Finding what is new: lists, and what a member keeps track of (private to them)
    ("latest/", ""): ("GET", PUBLIC),
    ("unread/", ""): ("GET", LOGIN),
    ("t/<int:topic_id>/watch/", ""): ("POST", LOGIN_POST_REDIRECT),
    ("boards/<slug:slug>/follow/", ""): ("POST", LOGIN_POST_REDIRECT),
    ("p/<int:post_id>/bookmark/", ""): ("POST", LOGIN_POST_REDIRECT),
    ("me/bookmarks/", ""): ("GET", LOGIN),
    # JSON for static/js/composer.js: 401 rather than a login redirect; an empty key names no
    # composer (404), and a suspended member has no composer to save.
    ("drafts/", ""): ("POST", statuses(404, visitor=401)),
    ("mentions/", ""): ("GET", statuses(200, visitor=401)),
    # Chat
    ("chat/", ""): ("GET", PUBLIC),
    ("chat/new/", ""): ("GET", statuses(403, visitor=302, banned=302, moderator=200, admin=200)),
    ("chat/<slug:slug>/", ""): ("GET", statuses(200, visitor=302, banned=302)),
    ("chat/<slug:slug>/", "private"): ("GET", statuses(404, visitor=302, banned=302, mentor=200)),
    ("chat/<slug:slug>/send/", ""): ("POST", statuses(302, suspended=302)),
    ("chat/<slug:slug>/send/", "private"): (
        "POST",
        statuses(404, visitor=302, banned=302, mentor=302),
    ),
    ("chat/<slug:slug>/history/", ""): ("GET", statuses(200, visitor=302, banned=302)),
    ("chat/<slug:slug>/history/", "private"): (
        "GET",
        statuses(404, visitor=302, banned=302, mentor=200),
    ),
    # Notifications
    ("notifications/", ""): ("GET", LOGIN),
    ("notifications/<int:pk>/read/", ""): ("POST", statuses(404, visitor=302, banned=302)),
    ("notifications/read-all/", ""): ("POST", LOGIN_POST_REDIRECT),
    # Moderation and safety
    ("report/<str:kind>/<int:target_id>/", ""): ("GET", statuses(200, visitor=302, banned=302)),
    ("report/<str:kind>/<int:target_id>/", "private"): (
        "GET",
        statuses(404, visitor=302, banned=302, mentor=200),
    ),
    ("moderation/", ""): ("GET", MODERATORS),
    ("moderation/item/<str:kind>/<int:target_id>/", ""): ("GET", MODERATORS),
    ("moderation/item/<str:kind>/<int:target_id>/", "private"): (
        "GET",
        statuses(404, visitor=302, banned=302, member=403, step12=403, mentor=403, suspended=403),
    ),
    ("moderation/item/<str:kind>/<int:target_id>/<str:action>/", ""): ("POST", MODERATOR_POST),
    ("moderation/member/<int:member_id>/", ""): ("GET", MODERATORS),
    ("moderation/member/<int:member_id>/<str:action>/", ""): ("POST", MODERATOR_POST),
    ("moderation/log/", ""): ("GET", MODERATORS),
    ("moderation/words/", ""): ("GET", MODERATORS),
    ("moderation/words/<int:word_id>/delete/", ""): ("POST", MODERATOR_POST),
    ("moderation/crisis-phrases/", ""): ("GET", MODERATORS),
    ("moderation/crisis-phrases/<int:phrase_id>/delete/", ""): ("POST", MODERATOR_POST),
    ("chat/<slug:slug>/moderate/<str:action>/", ""): ("POST", MODERATOR_POST),
    # Meetings: anyone sees what is live and next; "a meeting now" takes every member to a room;
    # only members who may chair (mentors, moderators) start or schedule one.
    ("meetings/", ""): ("GET", PUBLIC),
    ("meetings/now/", ""): ("POST", statuses(302)),
    ("meetings/start/<slug:slug>/", ""): ("POST", CHAIR_POST),
    ("meetings/schedule/<slug:slug>/", ""): ("POST", CHAIR_POST),
    # A group's format texts: the same members who may chair a meeting in the room.
    ("meetings/format/<slug:slug>/", ""): (
        "GET",
        statuses(403, visitor=302, banned=302, step12=200, mentor=200, moderator=200, admin=200),
    ),
    ("meetings/format/<slug:slug>/reset/", ""): ("POST", CHAIR_POST),
    # Attending without JavaScript: every member may post a plain form (here "join"), and is
    # sent back to the room (a suspended member with the refusal as a message).
    ("meetings/<int:meeting_id>/<str:verb>/", ""): ("POST", LOGIN_POST_REDIRECT),
    ("moderation/appeals/", ""): ("GET", MODERATORS),
    ("moderation/appeals/<int:appeal_id>/<str:decision>/", ""): ("POST", MODERATOR_POST),
    # A member's own standing: every logged-in member; an empty appeal goes back with a message.
    ("standing/", ""): ("GET", LOGIN),
    # A check-in is its member's alone: anyone else (the made-up id here) gets a 404.
    ("check-ins/<int:check_in_id>/", ""): ("GET", statuses(404, visitor=302, banned=302)),
    ("standing/appeal/<int:entry_id>/", ""): ("POST", LOGIN_POST_REDIRECT),
    # The banned member's page: theirs alone (anyone else is sent home); an empty appeal goes
    # back with a message; leaving forgets the session.
    ("closed/", ""): ("GET", statuses(302, banned=200)),
    ("closed/appeal/", ""): ("POST", statuses(302)),
    ("closed/leave/", ""): ("POST", statuses(302)),
}


def values(route: str, variant: str, world: World) -> dict:
    """Real arguments for a route (and variant)."""
    mentor = world.person(MEN)
    chat_room = world.private_room if variant == "private" else world.room
    found = {
        "pseudonym": world.author.username,
        "number": 1,
        "slug": chat_room.slug if route.startswith(("chat/", "meetings/")) else world.board.slug,
        "topic_id": world.topic.pk,
        "appeal_id": 999999,
        "decision": "keep",
        "entry_id": 999999,
        "check_in_id": 999999,
        "post_id": world.post.pk,
        "kind": "post",
        "target_id": world.post.pk,
        "action": "hide",
        "member_id": world.author.pk,
        "word_id": world.watched_word.pk,
        "phrase_id": world.crisis_phrase.pk,
        "key": "not-a-real-key",
        "uidb36": "zz",
        "meeting_id": world.meeting.pk,
        "verb": "join",
    }
    if route.startswith("mentoring/ask/"):
        found["pseudonym"] = mentor.username
    if variant == "banned":
        found["pseudonym"] = world.person(BAN).username
    found["entry_id"] = world.workbook_entry.pk
    found["share_id"] = world.workbook_share.pk
    found["request_id"] = world.move_request.pk
    if route.startswith("mentoring/requests/"):
        found["pk"] = world.mentor_request.pk
    elif route.startswith("mentoring/"):
        found["pk"] = world.mentorship.pk
    elif route.startswith("notifications/"):
        found["pk"] = world.notification.pk
    if route.startswith("moderation/member/") and route.endswith("<str:action>/"):
        found["action"] = "warn"
    if route.startswith("chat/") and "/moderate/" in route:
        found["action"] = "lock"
    if variant == "private":
        found["kind"] = "chat_message"
        found["target_id"] = world.private_message.pk
    return found


ADMIN_VALUES = {
    "app_label": "forum",
    "object_id": "1",
    "content_type_id": "1",
    "url": "no-such-page/",
    "id": "1",
}


def admin_path(route: str) -> str:
    import re

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: ADMIN_VALUES[m.group(1)], route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: ADMIN_VALUES[m.group(1)], path)
    for token in ("^", "$", "\\Z"):
        path = path.replace(token, "")
    return "/" + path


def site_routes() -> list[str]:
    return [r for r in all_routes() if not r.startswith("admin/")]


def test_every_url_pattern_has_an_expectation():
    routes = set(site_routes())
    listed = {route for route, _ in EXPECTED}

    assert sorted(routes - listed) == [], "new URL patterns need a line in EXPECTED"
    assert sorted(listed - routes) == [], "EXPECTED lists URL patterns that no longer exist"
    assert any(r.startswith("admin/") for r in all_routes())


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_status_at_every_url(role, world):
    wrong = []
    for (route, variant), (method, expected) in EXPECTED.items():
        path = fill(route, values(route, variant, world))
        status = request_as(role, world, method, path)
        if os.environ.get("PRINT_MATRIX"):
            print(f"{role:10} {method:4} {status} {route} [{variant}]")
        if status != expected[role]:
            wrong.append(
                f"{method} {path} ({route} [{variant}]): got {status}, expected {expected[role]}"
            )
    assert not wrong, "\n".join(wrong)


def test_a_banned_member_is_sent_to_their_page_from_every_url_not_open_to_them(world):
    from django.urls import reverse

    banned_page = reverse("forum:banned")
    wrong = []
    for (route, variant), (method, expected) in EXPECTED.items():
        if expected[BAN] != 302 or route in ("favicon.ico", "closed/appeal/", "closed/leave/"):
            continue
        path = fill(route, values(route, variant, world))
        location = response_as(BAN, world, method, path).get("Location")
        if location != banned_page:
            wrong.append(f"{method} {path}: sent to {location}")
    assert not wrong, "\n".join(wrong)


ADMIN_OPEN = {"admin/login/": 200}


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_is_for_admins_only(role, world):
    """A prefix rule covers every admin/ URL: everyone but the admin is sent to the admin login
    (its own page and logout aside; a banned member to their page); the admin reaches each page, which may be a 404 for the
    made-up object id or a 403 on the read-only moderation models, never an error."""
    wrong = []
    for route in [r for r in all_routes() if r.startswith("admin/")]:
        path = admin_path(route)
        status = request_as(role, world, "GET", path)
        if role == ADM:
            ok = status in (200, 302, 403, 404, 405)
        elif route in ADMIN_OPEN and role != BAN:
            ok = status == ADMIN_OPEN[route]
        else:
            ok = status == 302
        if not ok:
            wrong.append(f"{path} ({route}): {status}")
    assert not wrong, "\n".join(wrong)


# WebSockets --------------------------------------------------------------------------------------

ACCEPTED = "accepted"
SOCKET_EXPECTED = {
    "chat": statuses(0, visitor=4401, banned=4401, suspended=4403),
    "private_chat": statuses(4404, visitor=4401, banned=4401, suspended=4403, mentor=0),
    "notifications": statuses(0, visitor=4401, banned=4401),
    "meeting": statuses(0, visitor=4401, banned=4401, suspended=4403),
}
SEND_EXPECTED = statuses(ACCEPTED, visitor=None, banned=None, suspended=None)


async def _open(role: str, world: World, path: str):
    from tests.sockets import socket_for as communicator

    socket = await communicator(world.person(role), path)
    connected, _ = await socket.connect(timeout=5)
    assert connected  # sockets are accepted first, then closed with a code
    return socket


async def _outcome(socket) -> int:
    """0 if the socket stays open (first frame arrives), else its close code."""
    output = await socket.receive_output(timeout=3)
    if output["type"] == "websocket.close":
        return output["code"]
    await socket.disconnect()
    return 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
async def test_each_role_gets_the_expected_websocket_outcome(role):
    world = await database_sync_to_async(build_world)()
    paths = {
        "chat": f"/ws/chat/{world.room.slug}/",
        "private_chat": f"/ws/chat/{world.private_room.slug}/",
        "notifications": "/ws/notifications/",
        "meeting": f"/ws/meetings/{world.meeting.pk}/",
    }
    for name, path in paths.items():
        socket = await _open(role, world, path)
        assert await _outcome(socket) == SOCKET_EXPECTED[name][role], (role, name)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
async def test_each_role_that_can_connect_can_send_a_chat_message(role):
    from tests.sockets import next_frame

    world = await database_sync_to_async(build_world)()
    if SEND_EXPECTED[role] is None:
        return  # cannot connect (see the test above), so cannot send
    socket = await _open(role, world, f"/ws/chat/{world.room.slug}/")
    await next_frame(socket, "presence")

    await socket.send_json_to({"type": "message", "body": f"hello from {role}", "client_id": "m"})

    frame = await next_frame(socket, "message")
    assert frame["body"] == f"hello from {role}" and frame["mine"] is True
    await socket.disconnect()


# The meeting socket: who gets in, and what each may send ---------------------------------------

# Beyond the site's roles: a brand-new account (lobby-only by setting), a member muted for this
# meeting, one removed from it, and the meeting's chair.
MEETING_ROLES = (*ROLES, "new", "muted", "removed", "chair")
RUNS = {"moderator", "admin", "chair"}
# After connecting: the member's status in the meeting, or the close code.
MEETING_JOIN = {
    **statuses("in", visitor=4401, banned=4401, suspended=4403),
    "new": "lobby",
    "muted": "in",
    "removed": 4403,
    "chair": "in",
}
# A raised hand: accepted, or the error code.
MEETING_HAND = {role: ACCEPTED for role in MEETING_ROLES} | {
    "new": "not_in_meeting",
    "muted": "muted",
}
# A share nobody called (no cross-talk), then one while someone else has the floor.
MEETING_FORGED_SHARE = {role: "no_cross_talk" for role in MEETING_ROLES} | {
    "new": "not_in_meeting",
    "muted": "muted",
}
MEETING_SHARE_OVER_SHARER = {role: "not_your_share" for role in MEETING_ROLES} | {
    "new": "not_in_meeting",
    "muted": "muted",
}


def _meeting_person(role: str, world: World):
    """The member playing ``role`` at the world's meeting (set up as that role needs)."""
    from forum.actions import meetings as act
    from forum.actions.moderation.meetings import mute_in_meeting, remove_from_meeting
    from tests.factories import MemberFactory

    meeting = world.meeting
    if role == "chair":
        return meeting.chair
    if role == "new":
        return MemberFactory(username="BrandNew", date_joined=timezone.now())
    if role in ("muted", "removed"):
        person = MemberFactory(username=role.title(), date_joined=timezone.now() - timedelta(90))
        act.join_meeting(member=person, meeting=meeting, socket=False)
        verb = mute_in_meeting if role == "muted" else remove_from_meeting
        verb(by=meeting.chair, meeting=meeting, member=person)
        return person
    return world.person(role)


def _someone_waiting_to_share(world: World):
    from forum.actions import meetings as act
    from tests.factories import MemberFactory

    sharer = MemberFactory(username="FloorHolder", date_joined=timezone.now() - timedelta(90))
    act.join_meeting(member=sharer, meeting=world.meeting, socket=False)
    act.raise_hand(member=sharer, meeting=world.meeting)
    return sharer


def _give_them_the_floor(world: World, sharer) -> None:
    from forum.actions import meetings as act

    act.call_next(by=world.meeting.chair, meeting=world.meeting, member_id=sharer.pk)


async def _meeting_state(socket, test) -> dict:
    from tests.sockets import next_frame

    while True:
        frame = await next_frame(socket, "meeting")
        if test(frame):
            return frame


async def _answer(socket, frame: dict, accepted) -> str:
    """ACCEPTED when a state frame satisfying ``accepted`` comes first, else the error code."""
    await socket.send_json_to(frame)
    while True:
        output = await socket.receive_json_from(timeout=3)
        if output["type"] == "error":
            return output["code"]
        if output["type"] == "meeting" and accepted(output):
            return ACCEPTED


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", MEETING_ROLES)
async def test_each_role_at_the_meeting_socket_joins_and_sends_only_what_it_may(role, settings):
    """Who gets in (and where), a raised hand, a forged share with nobody sharing and with
    someone else sharing, and a chair's verb, for every role."""
    from tests.sockets import closed_with, next_frame

    settings.HOMEGROUP = {**settings.HOMEGROUP, "MEETING_LOBBY_NEW_ACCOUNT_DAYS": 7}
    world = await database_sync_to_async(build_world)()
    person = await database_sync_to_async(_meeting_person)(role, world)
    sharer = await database_sync_to_async(_someone_waiting_to_share)(world)
    socket = await _open_as(person, f"/ws/meetings/{world.meeting.pk}/")
    expected = MEETING_JOIN[role]
    if isinstance(expected, int):
        if role == "removed":
            assert (await next_frame(socket, "error"))["code"] == "removed"
        assert await closed_with(socket) == expected, role
        return
    state = await _meeting_state(socket, lambda f: True)
    assert state["me"]["status"] == expected and state["me"]["runs"] == (role in RUNS), role
    assert ("queue" in state) == (expected == "in" or role in RUNS), role

    hand = await _answer(socket, {"type": "raise_hand"}, lambda f: f["me"]["hand_raised"])
    assert hand == MEETING_HAND[role], (role, "raise_hand")
    share = await _answer(socket, {"type": "share", "body": "forged"}, lambda f: False)
    assert share == MEETING_FORGED_SHARE[role], (role, "share")
    lock = await _answer(socket, {"type": "lock", "on": True}, lambda f: f["locked"])
    assert lock == (ACCEPTED if role in RUNS else "forbidden"), (role, "lock")

    await database_sync_to_async(_give_them_the_floor)(world, sharer)
    share = await _answer(socket, {"type": "share", "body": "cross-talk"}, lambda f: False)
    assert share == MEETING_SHARE_OVER_SHARER[role], (role, "share over a sharer")
    await socket.disconnect()


async def _open_as(person, path: str):
    from tests.sockets import socket_for

    socket = await socket_for(person, path)
    connected, _ = await socket.connect(timeout=5)
    assert connected
    return socket


# Moderation verbs with a valid form: who gets through, and what it changes ---------------------


def _item(kind: str, target_id_of, action: str):
    return lambda w: f"/moderation/item/{kind}/{target_id_of(w)}/{action}/"


def _member(member_of, action: str):
    return lambda w: f"/moderation/member/{member_of(w).pk}/{action}/"


def _post(w):
    from forum.models import Post

    return Post.objects.get(pk=w.post.pk)


def _topic(w):
    from forum.models import Topic

    return Topic.objects.get(pk=w.topic.pk)


def _fresh(member):
    from accounts.models import User

    return User.objects.get(pk=member.pk)


def _hidden_post(w):
    from forum.models import Post

    Post.objects.filter(pk=w.post.pk).update(state="hidden")


def _pending_post(w):
    from forum.actions.safety import queue_for_approval
    from forum.models import Post, Topic

    Post.objects.filter(pk=w.post.pk).update(state="pending", published_at=None)
    Topic.objects.filter(pk=w.topic.pk).update(state="pending")
    queue_for_approval(kind="post", target_id=w.post.pk, author=w.author, why="New member")


def _locked(w):
    from forum.models import Topic

    Topic.objects.filter(pk=w.topic.pk).update(is_locked=True, is_pinned=True)


def _muted_author(w):
    from forum.models import RoomMute

    RoomMute.objects.create(room=w.room, member=w.author, until=timezone.now() + timedelta(hours=1))


def _other_board(w):
    from forum.models import Board

    return Board.objects.exclude(pk=w.board.pk).order_by("pk").first()


def _open_reports(w) -> bool:
    from forum.models import Report

    return Report.objects.filter(target_kind="post", target_id=w.post.pk, status="open").exists()


REASON = {"reason": "Checked by the matrix"}
VERBS = {
    "dismiss": (
        _item("post", lambda w: w.post.pk, "dismiss"),
        REASON,
        None,
        lambda w: not _open_reports(w),
    ),
    "hide": (
        _item("post", lambda w: w.post.pk, "hide"),
        REASON,
        None,
        lambda w: _post(w).state == "hidden",
    ),
    "unhide": (
        _item("post", lambda w: w.post.pk, "unhide"),
        REASON,
        _hidden_post,
        lambda w: _post(w).state != "hidden",
    ),
    "delete": (
        _item("post", lambda w: w.post.pk, "delete"),
        REASON,
        None,
        lambda w: _post(w).state == "removed_by_moderator" and _post(w).body == "",
    ),
    "edit": (
        _item("post", lambda w: w.post.pk, "edit"),
        {**REASON, "body": "Edited by the matrix", "title": ""},
        None,
        lambda w: _post(w).body == "Edited by the matrix",
    ),
    "lock": (
        _item("topic", lambda w: w.topic.pk, "lock"),
        REASON,
        None,
        lambda w: _topic(w).is_locked,
    ),
    "unlock": (
        _item("topic", lambda w: w.topic.pk, "unlock"),
        REASON,
        _locked,
        lambda w: not _topic(w).is_locked,
    ),
    "pin": (
        _item("topic", lambda w: w.topic.pk, "pin"),
        REASON,
        None,
        lambda w: _topic(w).is_pinned,
    ),
    "unpin": (
        _item("topic", lambda w: w.topic.pk, "unpin"),
        REASON,
        _locked,
        lambda w: not _topic(w).is_pinned,
    ),
    "move": (
        _item("topic", lambda w: w.topic.pk, "move"),
        None,  # filled in below: needs the other board's id
        None,
        lambda w: _topic(w).board_id != w.board.pk,
    ),
    "approve": (
        _item("post", lambda w: w.post.pk, "approve"),
        REASON,
        _pending_post,
        lambda w: _post(w).state != "pending",
    ),
    "reject": (
        _item("post", lambda w: w.post.pk, "reject"),
        REASON,
        _pending_post,
        lambda w: not type(w.post).objects.filter(pk=w.post.pk, body=w.post.body).exists(),
    ),
    "warn": (
        _member(lambda w: w.author, "warn"),
        {"message": "Please be gentle"},
        None,
        lambda w: w.author.notifications.filter(text__contains="Please be gentle").exists(),
    ),
    "mute": (
        _member(lambda w: w.author, "mute"),
        None,  # filled in below: needs the room's id
        None,
        lambda w: w.room.mutes.filter(member=w.author).exists(),
    ),
    "suspend": (
        _member(lambda w: w.author, "suspend"),
        {**REASON, "duration": "1d"},
        None,
        lambda w: _fresh(w.author).suspended_until is not None,
    ),
    "ban": (
        _member(lambda w: w.author, "ban"),
        REASON,
        None,
        lambda w: not _fresh(w.author).is_active,
    ),
    "hide_all": (
        _member(lambda w: w.author, "hide_all"),
        REASON,
        None,
        lambda w: _post(w).state == "hidden" and _topic(w).state == "hidden",
    ),
    "note": (
        _member(lambda w: w.author, "note"),
        {"text": "A note from the matrix"},
        None,
        lambda w: w.author.moderator_notes.exists(),
    ),
    "lift_suspension": (
        _member(lambda w: w.person("suspended"), "lift_suspension"),
        REASON,
        None,
        lambda w: _fresh(w.person("suspended")).suspended_until is None,
    ),
    "unmute": (
        _member(lambda w: w.author, "unmute"),
        None,  # filled in below: needs the room's id
        _muted_author,
        lambda w: not w.room.mutes.filter(member=w.author).exists(),
    ),
    "unban": (
        _member(lambda w: w.person("banned"), "unban"),
        REASON,
        None,
        lambda w: _fresh(w.person("banned")).is_active,
    ),
    "add_watched_word": (
        lambda w: "/moderation/words/",
        {"word": "matrixadded", "mode": "block"},
        None,
        lambda w: type(w.watched_word).objects.filter(word="matrixadded").exists(),
    ),
    "remove_watched_word": (
        lambda w: f"/moderation/words/{w.watched_word.pk}/delete/",
        {},
        None,
        lambda w: not type(w.watched_word).objects.filter(pk=w.watched_word.pk).exists(),
    ),
    "add_crisis_phrase": (
        lambda w: "/moderation/crisis-phrases/",
        {"phrase": "matrix added phrase"},
        None,
        lambda w: type(w.crisis_phrase).objects.filter(phrase="matrix added phrase").exists(),
    ),
    "remove_crisis_phrase": (
        lambda w: f"/moderation/crisis-phrases/{w.crisis_phrase.pk}/delete/",
        {},
        None,
        lambda w: not type(w.crisis_phrase).objects.filter(pk=w.crisis_phrase.pk).exists(),
    ),
}
MAY_MODERATE = {MOD, ADM}


def _data(verb: str, world: World) -> dict:
    data = VERBS[verb][1]
    if verb == "move":
        return {**REASON, "board": _other_board(world).pk}
    if verb in ("mute", "unmute"):
        return {**REASON, "room": world.room.pk, "duration": "1h"}
    return data


@pytest.mark.parametrize("role", ROLES)
def test_each_moderation_verb_with_a_valid_form_changes_things_only_for_moderators(role, world):
    """Not only who gets through: a valid form does what it says for moderators and admins,
    and changes nothing for anyone else."""
    wrong = []
    for verb, (path_of, _, setup, effect) in VERBS.items():
        status, happened = effect_as(
            role, world, path_of(world), _data(verb, world), setup=setup, effect=effect
        )
        expected = role in MAY_MODERATE
        if happened != expected or status >= 500:
            wrong.append(f"{verb}: status {status}, changed={happened}, expected {expected}")
    assert not wrong, "\n".join(wrong)
