"""The twelve steps, each with its purpose and what it prepares a member for."""

import pytest

from forum.models import Step

pytestmark = pytest.mark.django_db


def test_the_twelve_steps_are_seeded_in_order():
    assert list(Step.objects.values_list("number", flat=True)) == list(range(1, 13))
    assert Step.objects.get(number=1).name == "Honesty"
    assert Step.objects.get(number=12).name == "Service"


def test_the_step_list_links_every_step(client):
    html = client.get("/steps/").content.decode()

    for number in range(1, 13):
        assert f'href="/steps/{number}/"' in html


def test_a_step_page_says_what_the_step_is_for_and_prepares(client):
    step = Step.objects.get(number=4)

    html = client.get("/steps/4/").content.decode()

    assert "What this step is for" in html
    assert step.purpose in html
    assert "What it prepares you for" in html


@pytest.mark.parametrize("url", ["/steps/0/", "/steps/13/", "/steps/999999999999/"])
def test_an_unknown_step_is_404(client, url):
    assert client.get(url).status_code == 404


def test_every_page_links_the_crisis_resources(client):
    for url in ["/", "/steps/", "/steps/3/", "/account/login/", "/account/signup/"]:
        html = client.get(url).content.decode()
        assert 'href="/crisis/"' in html, url
        assert "not treatment" in html


def test_the_crisis_page_lists_resources_and_the_emergency_number(client):
    html = client.get("/crisis/").content.decode()

    assert "call your local emergency number" in html
    assert "Samaritans" in html
