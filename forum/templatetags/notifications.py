"""``{% unread_notification_count as unread %}`` for the header: cached, usually no query."""

from __future__ import annotations

from django import template

from forum.selectors.notifications import header_state

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """The header's count; see ``header_state`` for why it also loads the block list."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return header_state(user)
