"""Domain errors the write layer raises, kept below every module that raises or catches them.

Actions raise these; views turn them into form errors or 4xx pages, consumers into error frames.
Nothing here knows about HTTP.
"""

from __future__ import annotations


class PostingError(Exception):
    """Input the boards refuse; ``field`` names the form field the message belongs to."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ChatError(Exception):
    """A message the room will not take; ``code`` goes to the client in an ``error`` frame."""

    def __init__(self, code: str, message: str, *, retry_after: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after


class ModerationError(Exception):
    """A moderation request the rules refuse; the message is shown to the person as is."""


class ItemNotFound(Exception):
    """An unknown kind or id, or an item the member may not see: views answer 404."""


class MeetingError(Exception):
    """A meeting request the rules refuse; ``code`` goes to the client in an ``error`` frame."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class RateLimited(Exception):
    """Over a per-member limit (forum/ratelimits.py); the message is shown as is."""
