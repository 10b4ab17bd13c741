"""``{% chrome_part n %}``: base.html's header, navigation and footer, one shared block a page.

Around every page's own content, base.html prints the same chrome for everyone whose few values
in it are equal: signed in or not, theme, pseudonym, the moderation link and the unread count.
So the chrome (templates/_chrome.html) is one block of forum/fragments.py ``render_blocks``,
keyed by exactly those values and the site's addresses: a page reads it with one cache read and
prints its parts between its own blocks. The logout form's CSRF field is the per-request
overlay, as in every shared block.

``{% messages_notice %}``, ``{% crisis_notice %}`` and ``{% standing_notice %}``: what base.html
prints only for some requests, rendered only then. Every page that extends base.html walks its
whole tree of nodes for its blocks; these notices as nodes were most of it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Context, Template
from django.template.defaulttags import CsrfTokenNode
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe

from forum.actions.safety import CRISIS_PANEL_SESSION_KEY
from forum.fragments import render_blocks
from forum.selectors.notifications import header_state

register = template.Library()

TEMPLATE = "_chrome.html"
PART_END = "<!--chrome-part-->"
STATIC_FILES = {
    "favicon": "favicon.svg",
    "touch_icon": "icons/icon-192.png",
    "css": "css/site.css",
    "pwa": "js/pwa.js",
    "notifications": "js/notifications.js",
}
RENDER_CONTEXT_KEY = "chrome_parts"
# The chromes this process rendered or read lately: most pages need no cache read for theirs.
LOCAL_CHROMES: dict[str, str] = {}


@cache
def static_urls() -> dict[str, str]:
    """What ``{% static %}`` gives for each file, once per process (and static setting)."""
    return {name: static(path) for name, path in STATIC_FILES.items()}


@receiver(setting_changed)
def _forget_static_urls(*, setting: str, **kwargs) -> None:
    if setting in ("STATIC_URL", "STATIC_ROOT", "STORAGES", "STATICFILES_STORAGE", "DEBUG"):
        static_urls.cache_clear()


def chrome_row(context) -> dict:
    """The values the chrome prints for this viewer: the block's key."""
    user = context.get("user")
    authenticated = bool(user is not None and getattr(user, "is_authenticated", False))
    request = context.get("request")
    member = getattr(request, "user", None) or user
    can = context.get("can")
    return {
        "authenticated": authenticated,
        "theme": user.theme if authenticated else "",
        "username": user.username if authenticated else "",
        "review": bool(can is not None and can.review),
        "unread": header_state(member) if authenticated else 0,
    }


def chrome_parts(context) -> list[SafeString]:
    row = chrome_row(context)
    shared = {
        "site_name": context.get("site_name", ""),
        "paths": context.get("paths") or {},
        "static": static_urls(),
    }
    block = render_blocks(
        TEMPLATE,
        [row],
        name="chrome",
        csrf_input=CsrfTokenNode().render(context) if row["authenticated"] else "",
        shared=shared,
        local=LOCAL_CHROMES,
    )[0]
    return [mark_safe(part) for part in block.split(PART_END)]  # noqa: S308 - parts of a render


class ContextNode(template.Node):
    """A tag printing ``print_for(context)``, safe text or "".

    base.html's eight tags run on every page: as ``simple_tag``s each resolved its arguments and
    escaped its output again, about twenty calls a tag; this is two."""

    def __init__(self, print_for: Callable[[template.Context], str]) -> None:
        self.print_for = print_for

    def render(self, context: template.Context) -> str:
        return self.print_for(context)


def context_tag(print_for: Callable[[template.Context], str]) -> Callable:
    """Registers ``{% name %}`` (the function's name) printing ``print_for(context)``."""
    register.tag(print_for.__name__, lambda parser, token: ContextNode(print_for))
    return print_for


def chrome_part(context, index: int) -> SafeString:
    """Part ``index`` of the chrome, rendered once for the whole page."""
    parts = context.render_context.get(RENDER_CONTEXT_KEY)
    if parts is None:
        parts = context.render_context[RENDER_CONTEXT_KEY] = chrome_parts(context)
    return parts[index]


@register.tag(name="chrome_part")
def chrome_part_tag(parser, token) -> ContextNode:
    """``{% chrome_part n %}``."""
    _, index = token.split_contents()
    return ContextNode(partial(chrome_part, index=int(index)))


CRISIS_PANEL = "{% load safety %}{% crisis_panel %}"


@cache
def _crisis_panel() -> Template:
    return Template(CRISIS_PANEL)


@cache
def _hidden_crisis_panel() -> str:
    """What ``{% crisis_panel %}`` prints when there is nothing to show."""
    return _crisis_panel().render(Context({}))


def _render_here(context, template_name: str) -> SafeString:
    """``{% include template_name %}``."""
    return mark_safe(context.template.engine.get_template(template_name).render(context))  # noqa: S308


@context_tag
def messages_notice(context) -> SafeString | str:
    """The messages waiting for this request, if any (templates/_messages.html)."""
    if context.get("messages"):
        return _render_here(context, "_messages.html")
    return ""


@context_tag
def crisis_notice(context) -> SafeString:
    """``{% crisis_panel %}`` (forum/templatetags/safety.py), rendered when it has a panel."""
    session = getattr(context.get("request"), "session", None)
    if session is None or CRISIS_PANEL_SESSION_KEY not in session:
        return mark_safe(_hidden_crisis_panel())  # noqa: S308 - a template's output
    return mark_safe(_crisis_panel().render(context))  # noqa: S308 - a template's output


@context_tag
def standing_notice(context) -> SafeString | str:
    """A suspended member's banner (templates/_standing_banner.html)."""
    if context.get("suspension"):
        return _render_here(context, "_standing_banner.html")
    return ""
