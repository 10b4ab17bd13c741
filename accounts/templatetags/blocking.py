"""Template side of blocking: fold a blocked member's posts and messages for the blocker.

Content goes through ``{% if message|folded_for:request.user %}`` (``block_applies``: never
anonymous content); ``blocked_by`` answers about a member, not a piece of content. The viewer's
block list is loaded with one query per request and cached on the user object.
"""

from __future__ import annotations

from django import template

from accounts.permissions import block_applies, blocked_ids

register = template.Library()


@register.filter
def blocked_by(member_id, viewer) -> bool:
    if member_id is None or viewer is None:
        return False
    return getattr(member_id, "pk", member_id) in blocked_ids(viewer)


@register.filter
def folded_for(item, viewer) -> bool:
    """Fold a post or chat message written by someone ``viewer`` blocked (``block_applies``:
    never an anonymous one, folding would tell the viewer who wrote it)."""
    if viewer is None:
        return False
    return block_applies(
        blocked_ids(viewer),
        author_id=getattr(item, "author_id", None),
        anonymous=getattr(item, "is_anonymous", False),
    )
