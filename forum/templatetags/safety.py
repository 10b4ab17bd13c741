"""The crisis panel: shown once, to the author alone, after they wrote something that matched a
crisis phrase. ``{% load safety %}{% crisis_panel %}`` in base.html renders it on the next page."""

from __future__ import annotations

import re

from django import template
from django.template.defaultfilters import urlize
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from forum.actions.safety import CRISIS_PANEL_SESSION_KEY, crisis_resources

register = template.Library()


@register.inclusion_tag("forum/moderation/_crisis_panel.html", takes_context=True)
def crisis_panel(context) -> dict:
    request = context.get("request")
    session = getattr(request, "session", None)
    show = bool(session is not None and session.pop(CRISIS_PANEL_SESSION_KEY, False))
    return {"show": show, "resources": crisis_resources() if show else []}


# A phone number in a crisis contact: digits, optionally led by "+", with single spaces or
# hyphens between groups ("116 123", "988", "+44 800 123 4567"); never digits inside a word or
# a web address ("https://988lifeline.org").
PHONE_NUMBER = re.compile(r"(?<![\w/.:+-])\+?\d(?:[ -]?\d){1,15}(?![\w/.])")


@register.filter(needs_autoescape=True)
def contact_links(contact: str, autoescape: bool = True) -> str:
    """A crisis contact with each phone number as a ``tel:`` link and web addresses linked, so a
    member on a phone reaches help with one tap."""
    parts = []
    last = 0
    for match in PHONE_NUMBER.finditer(contact):
        parts.append(urlize(contact[last : match.start()], autoescape=autoescape))
        number = match.group(0)
        digits = re.sub(r"[ -]", "", number)
        parts.append(format_html('<a href="tel:{}">{}</a>', digits, number))
        last = match.end()
    parts.append(urlize(contact[last:], autoescape=autoescape))
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above
