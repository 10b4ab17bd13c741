"""base.html's notices (messages, the crisis panel, a suspension's banner) print exactly what
base.html printed when they were nodes of its own: each page is compared, byte for byte, with
the page rendered through that base.html (kept here as it was)."""

from __future__ import annotations

import copy
import re
from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.actions.roles import grant_moderator
from forum.actions.moderation import suspend_member
from forum.actions.safety import CRISIS_PANEL_SESSION_KEY
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

BASE_WITH_NOTICES_AS_NODES = """{% load chrome %}{% chrome_part 0 %}{% block robots %}<meta name="robots" content="noindex, nofollow">{% endblock robots %}
  <title>{% block title %}{% endblock title %} · {{ site_name }}</title>
  {% chrome_part 1 %}{% block head %}{% endblock head %}
</head>
<body>
  <a class="skip-link" href="#main">Skip to content</a>
  {% block skip_links %}{% endblock skip_links %}{% chrome_part 2 %}{% block nav_extra %}{% endblock nav_extra %}{% chrome_part 3 %}{% if messages %}
    <div class="messages" role="status">
      {% for message in messages %}<p class="message message-{{ message.tags }}">{{ message }}</p>{% endfor %}
    </div>
  {% endif %}
  <main id="main" tabindex="-1">
    {% load safety %}{% crisis_panel %}
    {% if suspension %}<section class="standing-banner card" role="status" aria-labelledby="standing-banner-title"><h2 id="standing-banner-title">You are suspended until <time datetime="{{ suspension.until|date:'c' }}">{{ suspension.until|date:"j F Y, H:i" }}</time></h2>{% if suspension.reason %}<p>The moderator's reason: {{ suspension.reason }}</p>{% endif %}<p>You can still read everything. <a href="{{ paths.forum_standing }}">{% if suspension.appeal %}See your appeal{% else %}Ask for another look (appeal){% endif %}</a></p></section>{% endif %}
    {% block main %}{% block content %}{% endblock content %}{% endblock main %}
  </main>
  {% chrome_part 4 %}{% block scripts %}{% endblock scripts %}
</body>
</html>
"""
CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def old_templates(tmp_path, settings) -> list[dict]:
    (tmp_path / "base.html").write_text(BASE_WITH_NOTICES_AS_NODES, encoding="utf-8")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    return templates


def both_pages(client, settings, old_templates, prepare, path: str = "/crisis/") -> list[str]:
    pages = []
    for templates in (settings.TEMPLATES, old_templates):
        settings.TEMPLATES = templates
        prepare()
        pages.append(CSRF_VALUE.sub("", client.get(path).content.decode()))
    return pages


def test_a_page_with_nothing_to_notice(client, member, settings, old_templates):
    client.force_login(member)

    new, old = both_pages(client, settings, old_templates, lambda: None)

    assert new == old


def test_a_page_with_messages_waiting(client, settings, old_templates):
    client.force_login(MemberFactory(current_step=12))

    def leave_a_message():
        client.get(reverse("accounts:move_on", args=[12]))

    new, old = both_pages(client, settings, old_templates, leave_a_message)

    assert 'class="message message-info">Step 12 is the last step' in new
    assert new == old


def test_a_page_with_the_crisis_panel(client, member, settings, old_templates):
    client.force_login(member)

    def offer_the_panel():
        session = client.session
        session[CRISIS_PANEL_SESSION_KEY] = True
        session.save()

    new, old = both_pages(client, settings, old_templates, offer_the_panel, "/boards/")

    assert "We're glad you wrote" in new
    assert new == old
    assert "We're glad you wrote" not in client.get("/boards/").content.decode(), "once"


def test_a_page_with_a_suspension_banner(client, member, settings, old_templates):
    moderator = MemberFactory(username="Steward")
    grant_moderator(member=moderator)
    suspend_member(
        moderator=moderator, member=member, duration=timedelta(days=3), reason="Heated <words>"
    )
    client.force_login(member)

    new, old = both_pages(client, settings, old_templates, lambda: None)

    assert "You are suspended until" in new
    assert "Heated &lt;words&gt;" in new
    assert new == old
