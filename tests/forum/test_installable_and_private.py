"""Tradition 11 and the installable app: noindex by default, robots.txt, the manifest, the
service worker (which stores only /crisis/ and the offline page), /favicon.ico."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from forum.models import Board

NOINDEX = '<meta name="robots" content="noindex, nofollow">'
INDEX = '<meta name="robots" content="index, follow">'


def robots_meta(html: str) -> list[str]:
    return re.findall(r'<meta name="robots"[^>]*>', html)


@pytest.fixture
def index_public_boards(settings):
    settings.HOMEGROUP = {**settings.HOMEGROUP, "INDEX_PUBLIC_BOARDS": True}


@pytest.mark.django_db
def test_robots_txt_disallows_all_crawling_by_default(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == "User-agent: *\nDisallow: /\n"


@pytest.mark.django_db
def test_every_page_is_noindex_by_default(client, member):
    for path in ("/", "/steps/", "/steps/3/", "/boards/", "/crisis/", "/account/login/"):
        assert robots_meta(client.get(path).content.decode()) == [NOINDEX], path
    assert robots_meta(client.get(f"/u/{member.username}/").content.decode()) == [NOINDEX]


@pytest.mark.django_db
def test_a_group_can_open_its_public_boards_to_search_engines_but_never_profiles(
    client, member, index_public_boards
):
    robots = client.get("/robots.txt").content.decode()
    assert "Allow: /steps/" in robots and "Allow: /t/" in robots
    assert robots.rstrip().endswith("Disallow: /")
    for path in ("/", "/steps/", "/steps/3/", "/boards/"):
        assert robots_meta(client.get(path).content.decode()) == [INDEX], path
    assert robots_meta(client.get(f"/u/{member.username}/").content.decode()) == [NOINDEX]
    assert robots_meta(client.get("/account/login/").content.decode()) == [NOINDEX]


@pytest.mark.django_db
def test_a_members_only_board_stays_noindex_when_public_boards_are_open(
    member_client, index_public_boards
):
    board = Board.objects.get(step__number=3)
    Board.objects.filter(pk=board.pk).update(is_public=False)

    assert robots_meta(member_client.get("/steps/3/").content.decode()) == [NOINDEX]


@pytest.mark.django_db
def test_the_manifest_makes_the_site_installable(client):
    response = client.get("/manifest.webmanifest")
    manifest = json.loads(response.content)

    assert response["Content-Type"] == "application/manifest+json"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]
    assert 'rel="manifest" href="/manifest.webmanifest"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_service_worker_stores_only_crisis_the_offline_page_and_static_files(client):
    response = client.get("/sw.js")
    script = response.content.decode()

    assert response["Content-Type"].startswith("application/javascript")
    pages = json.loads(re.search(r"var PAGES = (\[.*?\]);", script).group(1))
    assets = json.loads(re.search(r"var ASSETS = (\[.*?\]);", script).group(1))
    assert pages == ["/crisis/", "/offline/"]
    assert all(asset.startswith("/static/") for asset in assets)
    assert 'credentials: "omit"' in script  # the visitor's copy, never a member's page


@pytest.mark.django_db
def test_the_offline_page_points_to_crisis_resources(client):
    html = client.get("/offline/").content.decode()

    assert "You are offline" in html and 'href="/crisis/"' in html


@pytest.mark.django_db
def test_favicon_ico_is_served(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302 and response["Location"] == "/static/favicon.ico"
    assert Path(finders.find("favicon.ico")).read_bytes()[:4] == b"\x00\x00\x01\x00"
