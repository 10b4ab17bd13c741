"""What the home page shows: for a member their step, their workbook, their mentor, what is new.

A member's home costs three queries, each compiled once per process (forum/selectors/prepared.py):
what the site is made of (steps, boards, listed rooms), the member's own summary (last workbook
entry and mentor), and the three topic lists (Latest, new on their step's board, unread).
Everything is returned as plain values, so each section can be a shared block addressed by
what it prints (forum/fragments.py); the one private text, the workbook summary, is never
cached.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, OuterRef, QuerySet, Subquery, Value, Window
from django.db.models.functions import RowNumber
from django.http import Http404

from accounts.clean_time import milestone_today
from accounts.models import Mentorship, User, WorkbookEntry
from accounts.workbook import summary_of
from forum.models import Board, Room, Step, TopicKind
from forum.permissions.chat import filter_listed_rooms
from forum.realtime.presence import rooms_presence
from forum.selectors.boards import TOPIC_ROW_VALUES, board_topics
from forum.selectors.following import LATEST_ON_HOME, latest_topics, unread_topics
from forum.selectors.prepared import PreparedQuery

HOME_ROWS = 5


def _in_order(queryset: QuerySet, part: int, *fields: str, **columns) -> QuerySet:
    """``queryset`` as plain rows numbered in its own order, tagged with ``part``: a UNION ALL
    keeps no order of its own, so the rows are put back in order from these two numbers."""
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    order = [F(name[1:]).desc() if name.startswith("-") else F(name).asc() for name in ordering]
    return queryset.values(*fields, **columns).annotate(
        part=Value(part), row=Window(RowNumber(), order_by=order)
    )


def _parts_in_order(rows: list[dict], parts: int) -> list[list[dict]]:
    rows.sort(key=lambda row: (row["part"], row["row"]))
    grouped: list[list[dict]] = [[] for _ in range(parts)]
    for row in rows:
        grouped[row["part"]].append(row)
    return grouped


# What the site is made of ----------------------------------------------------------------------


def _structure_query() -> list[QuerySet]:
    """Steps, boards and listed rooms in one shape (they change only with migrations and the
    rare moderator action, but are read each time: no write path can be forgotten)."""
    steps = Step.objects.all()
    boards = Board.objects.all()
    rooms = filter_listed_rooms(Room.objects.all())
    return [
        _in_order(
            steps,
            0,
            key=F("number"),
            ref=Value(""),
            label=F("name"),
            text=F("summary"),
            more=F("purpose"),
            open=Value(True),
            step_no=F("number"),
        ),
        _in_order(
            boards,
            1,
            key=F("id"),
            ref=F("slug"),
            label=F("name"),
            text=F("description"),
            more=Value(""),
            open=F("is_public"),
            step_no=F("step_id"),
        ),
        _in_order(
            rooms,
            2,
            key=F("id"),
            ref=F("slug"),
            label=F("title"),
            text=Value(""),
            more=Value(""),
            open=Value(True),
            step_no=F("step_id"),
        ),
    ]


@dataclass
class Structure:
    steps: list[dict]
    boards: list[dict]
    rooms: list[dict]

    def step(self, number: int) -> dict:
        return _found(step for step in self.steps if step["key"] == number)

    def step_board(self, number: int) -> dict:
        return _found(board for board in self.boards if board["step_no"] == number)


def _found(rows) -> dict:
    row = next(rows, None)
    if row is None:
        raise Http404("No such step.")
    return row


_STRUCTURE = PreparedQuery(lambda shape: _structure_query())
_SUMMARY = PreparedQuery(lambda shape, *, member: _summary_query(member))
_LISTS = PreparedQuery(lambda shape, *, member, board: _lists_query(member, board))


def site_structure() -> Structure:
    steps, boards, rooms = _parts_in_order(_STRUCTURE.rows(), 3)
    return Structure(steps=steps, boards=boards, rooms=rooms)


# The member's own summary --------------------------------------------------------------------


def _summary_query(member: int) -> QuerySet:
    entry = WorkbookEntry.objects.filter(member_id=OuterRef("pk")).order_by("-updated_at", "-id")
    mentorship = Mentorship.objects.filter(
        mentee_id=OuterRef("pk"), status=Mentorship.Status.ACTIVE
    ).order_by("-started_at")

    def first(queryset: QuerySet, field: str) -> Subquery:
        return Subquery(queryset.values(field)[:1])

    return User.objects.filter(pk=member).values(
        entry_id=first(entry, "id"),
        entry_step=first(entry, "step"),
        entry_kind=first(entry, "kind"),
        entry_content=first(entry, "content"),
        entry_updated_at=first(entry, "updated_at"),
        mentorship_id=first(mentorship, "id"),
        mentor_id=first(mentorship, "mentor_id"),
        mentor_name=first(mentorship, "mentor__username"),
    )


# The three topic lists ---------------------------------------------------------------------

LISTED = (*TOPIC_ROW_VALUES, "last_read_number")


def _lists_query(member: int, board: int) -> list[QuerySet]:
    viewer = User(pk=member)
    return [
        _in_order(queryset, part, *LISTED)[:limit]
        for part, (queryset, limit) in enumerate(
            [
                (latest_topics(viewer), LATEST_ON_HOME),
                (board_topics(Board(pk=board), kind=TopicKind.HELPING, viewer=viewer), HOME_ROWS),
                (unread_topics(viewer), HOME_ROWS),
            ]
        )
    ]


def live_rooms(rooms: list[dict], *, limit: int = HOME_ROWS) -> list[dict]:
    """Listed rooms with members in them now, fullest first (presence read once, in one trip)."""
    present = rooms_presence([room["key"] for room in rooms])
    live = [(present[room["key"]].count, room) for room in rooms]
    live = sorted((entry for entry in live if entry[0]), key=lambda entry: -entry[0])
    return [{**room, "present": count} for count, room in live[:limit]]


@dataclass
class MemberHome:
    step: dict
    step_board: dict
    last_entry: dict | None
    last_entry_summary: str
    mentorship_id: int | None
    mentor_name: str
    latest: list
    board_topics: list
    unread_topics: list
    live_rooms: list[dict]
    clean_days: int | None
    milestone_today: str | None


def member_home(member, structure: Structure) -> MemberHome:
    """The member's own home: every value here is theirs alone, so the page is never cached
    whole (its sections are, each under what it prints)."""
    from accounts.models.mentoring import FORMER_MEMBER

    step = structure.step(member.current_step)
    board = structure.step_board(member.current_step)
    (summary,) = _SUMMARY.rows(member=member.pk)
    rows = _LISTS.rows(member=member.pk, board=board["key"])
    # Plain rows, as forum/presenters.py present_topics reads them.
    latest, on_board, unread = _parts_in_order(rows, 3)
    entry = None
    if summary["entry_id"] is not None:
        entry = {"step": summary["entry_step"], "updated_at": summary["entry_updated_at"]}
    days = member.clean_days()
    mentorship = summary["mentorship_id"]
    return MemberHome(
        step=step,
        step_board=board,
        last_entry=entry,
        last_entry_summary=(
            summary_of(summary["entry_kind"], summary["entry_content"]) if entry else ""
        ),
        mentorship_id=mentorship,
        mentor_name=(summary["mentor_name"] or FORMER_MEMBER) if mentorship else "",
        latest=latest,
        board_topics=on_board,
        unread_topics=unread,
        live_rooms=live_rooms(structure.rooms),
        clean_days=days,
        milestone_today=milestone_today(days),
    )
