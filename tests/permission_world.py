"""The scene for the permission matrix: one real object of every kind, and a member per role.

Kept apart from the test module so the matrix can also be printed while the table is written
(``python -m tests.permission_world`` prints what each role gets at each URL today).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

ROLES = ("visitor", "member", "step12", "mentor", "moderator", "suspended", "banned", "admin")


@dataclass
class World:
    people: dict[str, Any]
    author: Any
    mentee: Any
    board: Any
    topic: Any
    post: Any
    room: Any
    private_room: Any
    mentorship: Any
    mentor_request: Any
    notification: Any
    message: Any
    private_message: Any
    watched_word: Any
    crisis_phrase: Any
    workbook_entry: Any = None
    workbook_share: Any = None
    move_request: Any = None
    meeting: Any = None

    def person(self, role: str):
        return self.people.get(role)


def ensure_seeds() -> None:
    """Put back the rows the data migrations seed (steps, boards, rooms, crisis resources...).

    A transactional test (WebSocket tests need them) empties every table when it ends, seeds
    included, so a later test cannot count on them. Seeds are all-or-nothing, so the steps tell.
    """
    import importlib

    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from forum.models import Step

    if Step.objects.exists():
        return
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    for app_label, name in sorted(loader.disk_migrations):
        if app_label not in ("accounts", "forum") or "_seed_" not in name:
            continue
        module = importlib.import_module(f"{app_label}.migrations.{name}")
        for operation in module.Migration.operations:
            code = getattr(operation, "code", None)
            if code is not None:
                with connection.schema_editor(atomic=False) as editor:
                    code(apps, editor)


def build_world() -> World:
    from accounts.actions.roles import grant_moderator
    from accounts.models import MentorProfile, MentorRequest, Mentorship
    from forum.actions.chat import open_mentorship_room
    from forum.actions.moderation import report_item
    from forum.markup import render_markdown
    from forum.models import (
        Board,
        ChatMessage,
        CrisisPhrase,
        Notification,
        Post,
        Room,
        Topic,
        WatchedWord,
    )
    from tests.factories import MemberFactory

    ensure_seeds()
    old = timezone.now() - timedelta(days=90)
    people = {
        "member": MemberFactory(username="PlainMember", date_joined=old, current_step=3),
        "step12": MemberFactory(username="StepTwelve", date_joined=old, current_step=12),
        "mentor": MemberFactory(username="GuideMentor", date_joined=old, current_step=12),
        "moderator": MemberFactory(username="KindModerator", date_joined=old, current_step=5),
        "suspended": MemberFactory(
            username="OnABreak", date_joined=old, suspended_until=timezone.now() + timedelta(days=2)
        ),
        "banned": MemberFactory(username="ShownTheDoor", date_joined=old, is_active=False),
        "admin": MemberFactory(
            username="SiteAdmin", date_joined=old, is_staff=True, is_superuser=True
        ),
    }
    grant_moderator(member=people["moderator"])
    MentorProfile.objects.create(member=people["mentor"], intro="Glad to walk with you.")
    author = MemberFactory(username="TopicAuthor", date_joined=old, current_step=4)
    mentee = MemberFactory(username="TheMentee", date_joined=old, current_step=2)
    mentorship = Mentorship.objects.create(mentor=people["mentor"], mentee=mentee)
    private_room = open_mentorship_room(mentorship=mentorship)
    mentor_request = MentorRequest.objects.create(
        mentee=people["step12"], mentor=people["mentor"], message="Would you guide me?"
    )

    board = Board.objects.get(slug="general-support")
    now = timezone.now()
    topic = Topic.objects.create(
        board=board, title="Getting through the weekend", author=author, last_activity_at=now
    )
    post = Post.objects.create(
        topic=topic,
        author=author,
        number=1,
        body="One day at a time.",
        body_html=render_markdown("One day at a time."),
        published_at=now,
    )
    topic.last_post = post
    topic.save(update_fields=["last_post"])

    room = (
        Room.objects.get(slug="open-room")
        if Room.objects.filter(slug="open-room").exists()
        else Room.objects.create(title="Open room", slug="open-room")
    )
    message = ChatMessage.objects.create(
        room=room, seq=room.last_seq + 1, author=author, body="Hello room"
    )
    Room.objects.filter(pk=room.pk).update(last_seq=message.seq)
    private_message = ChatMessage.objects.create(
        room=private_room, seq=1, author=mentee, body="Thank you for today"
    )
    Room.objects.filter(pk=private_room.pk).update(last_seq=1)

    notification = Notification.objects.create(recipient=author, kind="topic_reply", text="A reply")
    report_item(reporter=people["member"], kind="post", target_id=post.pk, reason="spam")
    watched_word = WatchedWord.objects.create(word="matrixword", mode="review")
    crisis_phrase = CrisisPhrase.objects.create(phrase="matrix phrase")
    workbook_entry, workbook_share, move_request = _mentee_workbook(mentee)
    meeting = _live_meeting(old)
    return World(
        people=people,
        author=author,
        mentee=mentee,
        board=board,
        topic=topic,
        post=post,
        room=room,
        private_room=private_room,
        mentorship=mentorship,
        mentor_request=mentor_request,
        notification=notification,
        message=message,
        private_message=private_message,
        watched_word=watched_word,
        crisis_phrase=crisis_phrase,
        workbook_entry=workbook_entry,
        workbook_share=workbook_share,
        move_request=move_request,
        meeting=meeting,
    )


def _live_meeting(old):
    """A live meeting in a room of its own (the open room's chat stays usable), chaired by a
    member who is none of the roles."""
    from forum.actions.meetings import start_meeting
    from forum.models import Room
    from tests.factories import MemberFactory

    room = Room.objects.create(title="Meeting room", slug="meeting-room")
    chair = MemberFactory(username="MeetingChair", date_joined=old, current_step=12)
    return start_meeting(by=chair, room=room, title="Matrix meeting")


def _mentee_workbook(mentee):
    """The mentee's private Step 1 entry shared with their mentor, and a question waiting."""
    from accounts.actions.journey import ask_mentor_first
    from accounts.actions.workbook import save_entry, share_entry
    from accounts.models import EntryKind

    entry = save_entry(
        member=mentee, step=1, kind=EntryKind.WRITING, content={"text": "matrix workbook text"}
    )
    share = share_entry(member=mentee, entry=entry)
    request = ask_mentor_first(member=mentee, reflection="matrix reflection")
    return entry, share, request


# Walking the resolver --------------------------------------------------------------------------


def all_routes() -> list[str]:
    """Every URL pattern of the site, as its full route text (prefixes joined)."""
    routes: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                routes.append(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns, "")
    return routes


PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")


def fill(route: str, values: dict[str, Any]) -> str:
    """The route with each parameter replaced by ``values[name]``; regex anchors dropped."""

    def one(match: re.Match) -> str:
        name = match.group("name") or match.group("rname")
        return str(values[name])

    path = PARAM.sub(one, route)
    for token in ("^", "$", "\\Z"):
        path = path.replace(token, "")
    return "/" + path


def response_as(role: str, world: World, method: str, path: str, data: dict | None = None):
    """The response one role gets; every write the request makes is rolled back afterwards."""
    client = Client(raise_request_exception=True)
    person = world.person(role)
    if person is not None:
        client.force_login(person)
    cache.clear()
    with transaction.atomic():
        response = client.get(path) if method == "GET" else client.post(path, data or {})
        transaction.set_rollback(True)
    return response


def request_as(role: str, world: World, method: str, path: str, data: dict | None = None) -> int:
    """The status one role gets; every write the request makes is rolled back afterwards."""
    return response_as(role, world, method, path, data).status_code


def effect_as(role: str, world: World, path: str, data: dict, *, setup=None, effect) -> tuple:
    """(status, whether ``effect(world)`` holds) for one role's valid POST; rolled back after."""
    client = Client(raise_request_exception=True)
    person = world.person(role)
    if person is not None:
        client.force_login(person)
    cache.clear()
    with transaction.atomic():
        if setup is not None:
            setup(world)
        response = client.post(path, data)
        happened = bool(effect(world))
        transaction.set_rollback(True)
    return response.status_code, happened


def anonymous() -> AnonymousUser:
    return AnonymousUser()
