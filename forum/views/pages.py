from functools import lru_cache

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString

from config.csrf import masked_token
from forum.caching import cache_for_visitors
from forum.fragments import BlockList, render_page
from forum.presenters import id_url, present_topics
from forum.selectors.following import LATEST_ON_HOME, latest_topics
from forum.selectors.home import Structure, member_home, site_structure


@lru_cache(maxsize=512)
def _reverse(name: str, kwargs: tuple, urlconf: str | None, prefix: str) -> str:
    return reverse(name, urlconf=urlconf, kwargs=dict(kwargs))


def _url(name: str, **kwargs) -> str:
    """``reverse()`` once per process for the few fixed addresses home prints (boards, rooms)."""
    return _reverse(name, tuple(sorted(kwargs.items())), get_urlconf(), get_script_prefix())


def _board_url(board: dict) -> str:
    if board["step_no"] is not None:
        return _url("forum:step", number=board["step_no"])
    return _url("forum:board", slug=board["ref"])


def _common_sections(structure: Structure, latest_rows: list[dict], *, member: bool) -> list:
    step_url = id_url("forum:step", "number")
    return [
        ("latest", "forum/_latest.html", {"latest_rows": latest_rows, "member": member}),
        (
            "general_boards",
            "forum/home/_general_boards.html",
            {
                "general_boards": [
                    {
                        "url": _board_url(board),
                        "name": board["label"],
                        "is_public": board["open"],
                        "description": board["text"],
                    }
                    for board in structure.boards
                    if board["step_no"] is None
                ]
            },
        ),
        (
            "steps",
            "forum/home/_steps.html",
            {
                "steps": [
                    {
                        "url": step_url(step["key"]),
                        "number": step["key"],
                        "name": step["label"],
                        "summary": step["text"],
                    }
                    for step in structure.steps
                ]
            },
        ),
    ]


def _member_sections(request: HttpRequest, structure: Structure) -> tuple[dict, str, list]:
    """The member's step card (its values, and the workbook text it quotes, which is never
    cached) and their sections."""
    member = request.user
    mine = member_home(member, structure)
    number = mine.step["key"]
    entry = mine.last_entry
    context = {
        "my_step": {
            "number": number,
            "name": mine.step["label"],
            "purpose": mine.step["more"],
            "url": id_url("forum:step", "number")(number),
        },
        "last_entry": entry
        and {
            "step": entry["step"],
            "updated_on": date_format(timezone.localtime(entry["updated_at"]), "j M Y"),
        },
        "clean_days": mine.clean_days,
        "milestone_today": mine.milestone_today,
    }
    mentorship_url = id_url("accounts:mentorship", "pk")
    sections = [
        ("check_in", "forum/home/_check_in.html", {}),
        (
            "step_board",
            "forum/home/_step_board.html",
            {
                "step_number": number,
                "board_url": _board_url(mine.step_board),
                "board_rows": present_topics(mine.board_topics, viewer=member, show_board=False),
            },
        ),
        (
            "unread",
            "forum/home/_unread.html",
            {"unread_rows": present_topics(mine.unread_topics, viewer=member, show_board=True)},
        ),
        (
            "mentor",
            "forum/home/_mentor.html",
            {
                "mentorship_url": mentorship_url(mine.mentorship_id) if mine.mentorship_id else "",
                "mentor_name": mine.mentor_name,
            },
        ),
        (
            "live_rooms",
            "forum/home/_live_rooms.html",
            {
                "live_rooms": [
                    {
                        "url": _url("forum:chat_room", slug=room["ref"]),
                        "title": room["label"],
                        "present": room["present"],
                    }
                    for room in mine.live_rooms
                ]
            },
        ),
        *_common_sections(
            structure, present_topics(mine.latest, viewer=member, show_board=True), member=True
        ),
    ]
    return context, mine.last_entry_summary, sections


def _place_sections(blocks: dict[str, list[SafeString]]) -> dict:
    return {"sections": {name: texts[0] for name, texts in blocks.items()}}


@cache_for_visitors
def home(request: HttpRequest) -> HttpResponse:
    """Visitors see what Homegroup is; a member's home knows their step (forum/selectors/home.py).

    The page's content is cached whole, and so is each of its sections, each shared by
    everyone it prints the same for (forum/fragments.py render_page); the workbook text the
    member's step card quotes is put in for each request and never cached.
    """
    structure = site_structure()
    user = request.user
    member = bool(user.is_authenticated)
    if member:
        context, summary, sections = _member_sections(request, structure)
    else:
        latest = latest_topics(user)[:LATEST_ON_HOME]
        rows = present_topics(latest, viewer=user, show_board=True)
        context, summary, sections = {}, "", _common_sections(structure, rows, member=False)
    token = masked_token(request) if member else ""
    content = render_page(
        "forum/home/_content.html",
        {
            **context,
            "user": {"is_authenticated": member, "username": user.username if member else ""},
        },
        lists={name: BlockList(template, [values], None) for name, template, values in sections},
        place=_place_sections,
        csrf_input=token,
        private={"last_entry_summary": summary},
    )
    return render(request, "forum/home.html", {"content": content})


@cache_for_visitors
def crisis(request: HttpRequest) -> HttpResponse:
    """Resources come from the database (admins edit them); settings.CRISIS_RESOURCES is the
    fallback should the table be empty."""
    from forum.actions.safety import crisis_resources

    return render(request, "forum/crisis.html", {"resources": crisis_resources()})
