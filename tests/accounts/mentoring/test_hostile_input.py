"""Hostile text in intros, requests, notes and notifications never becomes markup."""

import re

import pytest
from django.urls import reverse

from accounts.models import MentorProfile, MentorRequest
from forum.actions.notifications import notify
from tests.factories import make_mentorship
from tests.forum.boards.htmlcheck import find_problems, payload_lines

pytestmark = pytest.mark.django_db

XSS = payload_lines("xss-payloads-dev.txt")
NAUGHTY = payload_lines("naughty-strings.txt")


def main_html(response) -> str:
    return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)


def test_xss_payloads_in_mentoring_texts_are_inert(login, mentor, mentee):
    hostile = "\n".join(XSS)
    MentorProfile.objects.filter(member=mentor).update(intro=hostile)
    MentorRequest.objects.create(mentee=mentee, mentor=mentor, message=hostile)
    mentorship = make_mentorship(mentor, mentee)
    MentorRequest.objects.create(
        mentee=mentee, mentor=mentor, message="old", status="declined", note=hostile
    )

    assert find_problems(main_html(login(mentor).get(reverse("accounts:mentoring")))) == []
    assert find_problems(main_html(login(mentee).get(reverse("accounts:mentoring")))) == []
    assert find_problems(main_html(login(mentee).get(mentor.get_absolute_url()))) == []
    assert find_problems(main_html(login(mentee).get(mentorship.get_absolute_url()))) == []


def test_xss_payloads_in_notifications_are_inert(login, mentee):
    for payload in XSS[:50]:
        notify(recipient=mentee, kind="mention", text=payload, url=payload)

    html = main_html(login(mentee).get(reverse("forum:notifications")))

    assert find_problems(html) == []


@pytest.mark.parametrize("text", NAUGHTY)
def test_naughty_strings_as_a_request_message_never_break_the_page(login, mentor, mentee, text):
    client = login(mentee)

    response = client.post(
        reverse("accounts:mentor_ask", args=[mentor.username]), {"message": text}
    )

    assert response.status_code in (302, 400)
    assert client.get(reverse("accounts:mentoring")).status_code == 200
