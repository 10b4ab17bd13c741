"""``{% robots_meta board %}``: the robots meta tag of a page showing a board (or an overview)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from forum.permissions.posts import can_search_engines_index

register = template.Library()


@register.simple_tag
def robots_meta(board=None) -> str:
    content = "index, follow" if can_search_engines_index(board) else "noindex, nofollow"
    return format_html('<meta name="robots" content="{}">', content)
