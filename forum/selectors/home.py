"""What a member's home page shows: their step, their workbook, their mentor, what is new."""

from __future__ import annotations

from django.conf import settings

from accounts.clean_time import milestone_today
from accounts.selectors_workbook import active_mentorship_as_mentee, entry_summary, last_entry
from forum.models import TopicKind
from forum.presenters import present_topics
from forum.realtime.presence import rooms_presence
from forum.selectors.boards import board_topics, get_step_board
from forum.selectors.chat import listed_rooms
from forum.selectors.following import unread_topics

HOME_ROWS = 5


def live_rooms(*, limit: int = HOME_ROWS) -> list:
    """Listed rooms with members in them now, fullest first."""
    # Every listed room is asked about, so each is read as narrowly as its line needs.
    rooms = list(listed_rooms().select_related(None).only("slug", "title"))
    present = rooms_presence([room.pk for room in rooms])
    for room in rooms:
        room.present = present[room.pk].count
    live = sorted((r for r in rooms if r.present), key=lambda r: -r.present)
    return live[:limit]


def member_home(member) -> dict:
    """The member's own home: every value here is theirs alone, so the page is never cached."""
    board = get_step_board(member.current_step)
    entry = last_entry(member)
    new_on_board = list(board_topics(board, kind=TopicKind.HELPING, viewer=member)[:HOME_ROWS])
    days = member.clean_days()
    return {
        "my_step": board.step,
        "my_board": board,
        "last_entry": entry,
        "last_entry_summary": entry_summary(entry) if entry else "",
        "mentorship": active_mentorship_as_mentee(member),
        "board_rows": present_topics(new_on_board, viewer=member, show_board=False),
        "unread_rows": present_topics(
            unread_topics(member)[:HOME_ROWS], viewer=member, show_board=True
        ),
        "live_rooms": live_rooms(),
        "clean_days": days,
        "milestone_today": milestone_today(days),
        "carry_step": settings.HOMEGROUP["CARRY_MESSAGE_STEP"],
    }
