"""Public profiles show a pseudonym and what the member chose to show; never an email."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

CANARY = "canary-7f3a@example.org"


def test_a_profile_shows_pseudonym_month_joined_and_escaped_bio(client, member_factory):
    member = member_factory(
        username="StillWater", bio="<script>alert(1)</script> one day at a time"
    )

    html = client.get("/u/stillwater/").content.decode()

    assert "StillWater" in html
    assert member.date_joined.strftime("%B %Y") in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; one day at a time" in html
    assert "<script>alert(1)" not in html


def test_an_unknown_pseudonym_is_404(client):
    assert client.get("/u/NobodyHere/").status_code == 404


def test_clean_time_is_never_shown_on_a_profile_not_even_one_day_of_it(client, member_factory):
    clean_date = timezone.localdate() - datetime.timedelta(days=40)
    member = member_factory(clean_date=clean_date)
    client.force_login(member_factory())

    page = client.get(member.get_absolute_url()).content.decode()

    assert "clean" not in page.split("<main", 1)[1].lower()


def test_a_member_saves_their_settings(member_client, member):
    response = member_client.post(
        reverse("accounts:me"),
        {"bio": "Grateful today.", "show_step": "on", "clean_date": "2026-01-02"},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.bio == "Grateful today."
    assert member.show_step is True
    assert member.clean_date is None  # the clean date has its own private page


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"bio": "x" * 501}, "at most 500 characters"),
        ({"bio": "x" * 600, "show_step": "on"}, "at most 500 characters"),
    ],
)
def test_bad_settings_get_a_clear_error_and_nothing_is_saved(member_client, member, data, error):
    response = member_client.post(reverse("accounts:me"), data)

    assert response.status_code == 400
    assert error in response.content.decode()
    member.refresh_from_db()
    assert member.bio == ""
    assert member.clean_date is None


def pages_another_person_can_load(owner):
    return ["/", "/steps/", "/steps/1/", "/steps/12/", "/crisis/", owner.get_absolute_url()]


def test_an_email_appears_on_no_page_someone_else_can_load(client, member_factory):
    owner = member_factory(username="CanaryOwner", email=CANARY, bio="hello")
    viewers = [None, member_factory(), member_factory(step=12)]

    for viewer in viewers:
        client.logout()
        if viewer:
            client.force_login(viewer)
        for url in pages_another_person_can_load(owner):
            response = client.get(url)
            assert response.status_code == 200, url
            assert CANARY not in response.content.decode(), (viewer, url)
            assert "canary-7f3a" not in response.content.decode()


@pytest.mark.django_db
def test_a_member_chooses_dark_colours_and_every_page_is_rendered_dark(member_client, member):
    assert "data-theme" not in member_client.get("/").content.decode()
    assert (
        '<meta name="color-scheme" content="light dark">' in member_client.get("/").content.decode()
    )

    response = member_client.post("/me/theme/", {"theme": "dark"}, follow=True)

    assert "Your colours are saved." in response.content.decode()
    member.refresh_from_db()
    assert member.theme == "dark"
    html = member_client.get("/steps/").content.decode()
    assert '<html lang="en" data-theme="dark">' in html
    assert '<meta name="color-scheme" content="dark">' in html
    assert (
        'value="dark" id="id_theme_2" required checked'
        in member_client.get("/me/").content.decode()
    )


@pytest.mark.django_db
def test_an_unknown_theme_is_refused_and_nothing_changes(member_client, member):
    response = member_client.post("/me/theme/", {"theme": "purple"}, follow=True)

    assert "Choose light, dark or the same as your device." in response.content.decode()
    member.refresh_from_db()
    assert member.theme == "system"
