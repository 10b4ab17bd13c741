"""Template side of blocking: fold a blocked member's posts and messages for the blocker.

Use ``{% if post.author_id|blocked_by:request.user %}``; the viewer's block list is loaded with
one query per request and cached on the user object.
"""

from __future__ import annotations

from django import template

from accounts.permissions import blocked_ids

register = template.Library()


@register.filter
def blocked_by(member_id, viewer) -> bool:
    if member_id is None or viewer is None:
        return False
    return getattr(member_id, "pk", member_id) in blocked_ids(viewer)


@register.filter
def folded_for(item, viewer) -> bool:
    """Fold a post or chat message written by someone ``viewer`` blocked.

    Anonymous posts are never folded: folding would tell the viewer who wrote them.
    """
    if getattr(item, "is_anonymous", False):
        return False
    return blocked_by(getattr(item, "author_id", None), viewer)
