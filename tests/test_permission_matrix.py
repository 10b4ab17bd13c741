"""Every URL of the site x every role -> the expected status; and every WebSocket action per role.

The URLs come from the resolver itself (``django.urls.get_resolver``, walked recursively, allauth
and admin included), so a URL added without a line in EXPECTED fails
``test_every_url_pattern_has_an_expectation``. Arguments are filled with real objects from one
scene (tests/permission_world.py). POST-only URLs are POSTed with an empty form inside a
transaction that is rolled back, so no request changes what the next one sees.

Roles: visitor, member, Step-12 member, mentor, moderator, suspended member, banned member
(deactivated: their session no longer authenticates, so they are a visitor), admin.
"""

from __future__ import annotations

import os

import pytest
from channels.db import database_sync_to_async

from tests.permission_world import ROLES, World, all_routes, build_world, fill, request_as

V, M, S12, MEN, MOD, SUS, BAN, ADM = ROLES


def statuses(default: int, **overrides: int) -> dict[str, int]:
    result = dict.fromkeys(ROLES, default)
    for role, status in overrides.items():
        result[role] = status
    return result


PUBLIC = statuses(200)
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
    ("crisis/", ""): ("GET", PUBLIC),
    ("steps/", ""): ("GET", PUBLIC),
    ("steps/<int:number>/", ""): ("GET", PUBLIC),
    # allauth
    ("account/login/", ""): ("GET", statuses(302, visitor=200, banned=200)),
    ("account/logout/", ""): ("GET", statuses(200, visitor=302, banned=302)),
    ("account/inactive/", ""): ("GET", PUBLIC),
    ("account/signup/", ""): ("GET", statuses(302, visitor=200, banned=200)),
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
    ("me/export/", ""): ("GET", LOGIN),
    ("me/delete/", ""): ("GET", LOGIN),
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
}


def values(route: str, variant: str, world: World) -> dict:
    """Real arguments for a route (and variant)."""
    mentor = world.person(MEN)
    chat_room = world.private_room if variant == "private" else world.room
    found = {
        "pseudonym": world.author.username,
        "number": 1,
        "slug": chat_room.slug if route.startswith("chat/") else world.board.slug,
        "topic_id": world.topic.pk,
        "post_id": world.post.pk,
        "kind": "post",
        "target_id": world.post.pk,
        "action": "hide",
        "member_id": world.author.pk,
        "word_id": world.watched_word.pk,
        "phrase_id": world.crisis_phrase.pk,
        "key": "not-a-real-key",
        "uidb36": "zz",
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


ADMIN_OPEN = {"admin/login/": 200}


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_is_for_admins_only(role, world):
    """A prefix rule covers every admin/ URL: everyone but the admin is sent to the admin login
    (its own page and logout aside); the admin reaches each page, which may be a 404 for the
    made-up object id or a 403 on the read-only moderation models, never an error."""
    wrong = []
    for route in [r for r in all_routes() if r.startswith("admin/")]:
        path = admin_path(route)
        status = request_as(role, world, "GET", path)
        if role == ADM:
            ok = status in (200, 302, 403, 404, 405)
        elif route in ADMIN_OPEN:
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
