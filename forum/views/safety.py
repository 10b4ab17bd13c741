"""What a view tells the author after screening (forum/actions/safety.py decides, this says it).

Session and messages are HTTP, so they live here, not in the actions.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest

from forum.actions.safety import CRISIS_PANEL_SESSION_KEY


def offer_crisis_panel(request: HttpRequest) -> None:
    """Show the author the crisis panel on their next page (it is rendered once, then forgotten)."""
    request.session[CRISIS_PANEL_SESSION_KEY] = True


def tell_author(request: HttpRequest, item) -> None:
    """After a topic or post is stored: the author alone learns it waits for a moderator, and
    sees the crisis panel on the next page if a crisis phrase matched."""
    verdict = getattr(item, "safety", None)
    if verdict is None:
        return
    if verdict.pending:
        messages.info(
            request,
            "Thank you for writing. It is waiting for a moderator, and others will see it once "
            "it is approved.",
        )
    if verdict.screening.is_crisis:
        offer_crisis_panel(request)
