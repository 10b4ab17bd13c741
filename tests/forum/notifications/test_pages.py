"""/notifications/, the header count on every page, and preferences on /me/."""

import re
from html import unescape

import pytest
from django.urls import reverse

from forum.actions.notifications import notify
from forum.models import Notification, NotificationKind, NotificationPreference
from forum.models.notifications import ALWAYS_ON_KINDS, OPT_IN_KINDS
from forum.selectors.notifications import PAGE_SIZE

pytestmark = pytest.mark.django_db


def header_count(html: str) -> int:
    return int(re.search(r"<span data-unread-count>(\d+)</span>", html).group(1))


def test_the_list_is_newest_first_with_links(member_client, member):
    notify(recipient=member, kind="mention", text="Older one", url="/steps/1/")
    notify(recipient=member, kind="topic_reply", text="Newer one", url="/steps/2/")

    html = member_client.get(reverse("forum:notifications")).content.decode()

    assert html.index("Newer one") < html.index("Older one")
    assert 'name="open" value="1"' in html
    assert "Mark all read" in html


def test_a_member_sees_only_their_own_notifications(member_client, member, member_factory):
    notify(recipient=member_factory(), kind="mention", text="Not yours")

    html = member_client.get(reverse("forum:notifications")).content.decode()

    assert "Not yours" not in html
    assert "Nothing yet" in html


def test_the_list_needs_a_login(client):
    response = client.get(reverse("forum:notifications"))

    assert response.status_code == 302
    assert "/account/login/" in response.url


def test_the_unread_count_shows_in_the_header_on_every_page(member_client, member):
    notify(recipient=member, kind="mention", text="a")
    notify(recipient=member, kind="mention", text="b")

    for url in ["/", "/steps/", "/crisis/", reverse("accounts:me"), reverse("accounts:mentoring")]:
        html = member_client.get(url).content.decode()
        assert header_count(html) == 2, url
        assert "Notifications (" in html
        assert 'href="/mentoring/"' in html
        assert "js/notifications.js" in html


def test_visitors_see_no_notification_link(client):
    html = client.get("/steps/").content.decode()

    assert "data-unread-count" not in html
    assert "notifications.js" not in html


def test_opening_a_notification_marks_it_read_and_goes_there(member_client, member):
    row = notify(recipient=member, kind="mention", text="a", url="/steps/3/")

    response = member_client.post(reverse("forum:notification_read", args=[row.pk]), {"open": "1"})

    assert response.url == "/steps/3/"
    row.refresh_from_db()
    assert row.is_read
    assert header_count(member_client.get("/steps/").content.decode()) == 0


def test_an_off_site_url_is_never_followed(member_client, member):
    row = notify(recipient=member, kind="mention", text="a", url="https://evil.example/")

    response = member_client.post(reverse("forum:notification_read", args=[row.pk]), {"open": "1"})

    assert response.url == reverse("forum:notifications")


def test_mark_one_read_without_opening(member_client, member):
    row = notify(recipient=member, kind="mention", text="a", url="/steps/3/")

    response = member_client.post(reverse("forum:notification_read", args=[row.pk]))

    assert response.url == reverse("forum:notifications")
    row.refresh_from_db()
    assert row.is_read


def test_someone_elses_notification_is_404(member_client, member_factory):
    row = notify(recipient=member_factory(), kind="mention", text="a")

    assert member_client.post(reverse("forum:notification_read", args=[row.pk])).status_code == 404
    row.refresh_from_db()
    assert not row.is_read


def test_mark_all_read(member_client, member):
    for n in range(3):
        notify(recipient=member, kind="mention", text=f"n{n}")

    member_client.post(reverse("forum:notifications_read_all"))

    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert header_count(member_client.get("/steps/").content.decode()) == 0


def test_marking_needs_a_post(member_client, member):
    row = notify(recipient=member, kind="mention", text="a")

    assert member_client.get(reverse("forum:notification_read", args=[row.pk])).status_code == 405
    assert member_client.get(reverse("forum:notifications_read_all")).status_code == 405


def test_notification_text_is_escaped(member_client, member):
    notify(recipient=member, kind="mention", text="<img src=x onerror=alert(1)>")

    html = member_client.get(reverse("forum:notifications")).content.decode()

    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_list_takes_a_constant_number_of_queries(
    member_client, member, member_factory, django_assert_max_num_queries
):
    actor = member_factory()
    for n in range(3):
        notify(recipient=member, kind="mention", text=f"n{n}", actor=actor)
    with django_assert_max_num_queries(8) as few:
        member_client.get(reverse("forum:notifications"))
    for n in range(40):
        notify(recipient=member, kind="mention", text=f"m{n}", actor=member_factory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        member_client.get(reverse("forum:notifications"))


def test_preferences_are_on_by_default_and_saved_from_me(member_client, member):
    html = member_client.get(reverse("accounts:me")).content.decode()
    for kind in set(NotificationKind) - ALWAYS_ON_KINDS - OPT_IN_KINDS:
        assert f'id="notify-{kind.value}" name="kinds" value="{kind.value}" checked' in html
    assert 'value="meeting_wanted">' in html
    assert 'value="moderator_warning"' not in html
    assert 'value="moderation_notice"' not in html
    assert "Warnings from the moderators, and news about your own writing, always reach you" in html

    member_client.post(reverse("forum:notification_preferences"), {"kinds": ["mention", "bogus"]})

    off = set(
        NotificationPreference.objects.filter(member=member, enabled=False).values_list(
            "kind", flat=True
        )
    )
    assert off == set(NotificationKind.values) - {"mention"} - ALWAYS_ON_KINDS
    html = member_client.get(reverse("accounts:me")).content.decode()
    assert 'value="mention" checked' in html
    assert 'value="topic_reply" checked' not in html
    assert notify(recipient=member, kind="topic_reply", text="x") is None
    assert notify(recipient=member, kind="moderator_warning", text="Please be kind") is not None


def test_older_pages_follow_on_without_repeats_when_new_notifications_arrive(member_client, member):
    for n in range(PAGE_SIZE + 5):
        notify(recipient=member, kind="mention", text=f"Mention number {n}.")
    url = reverse("forum:notifications")

    first = member_client.get(url).content.decode()
    notify(recipient=member, kind="mention", text="Arrived while reading.")
    older = re.search(r'<a rel="next" href="([^"]+)">Older</a>', first).group(1)
    second = member_client.get(url + unescape(older)).content.decode()

    shown = re.findall(r"Mention number (\d+)\.", first + second)
    assert len(shown) == len(set(shown)) == PAGE_SIZE + 5
    assert "Arrived while reading." not in second
    assert "Page 2" in second
