"""The crisis panel: shown once, to the author alone, after they wrote something that matched a
crisis phrase. ``{% load safety %}{% crisis_panel %}`` in base.html renders it on the next page."""

from __future__ import annotations

from django import template

from forum.actions.safety import CRISIS_PANEL_SESSION_KEY, crisis_resources

register = template.Library()


@register.inclusion_tag("forum/moderation/_crisis_panel.html", takes_context=True)
def crisis_panel(context) -> dict:
    request = context.get("request")
    session = getattr(request, "session", None)
    show = bool(session is not None and session.pop(CRISIS_PANEL_SESSION_KEY, False))
    return {"show": show, "resources": crisis_resources() if show else []}
