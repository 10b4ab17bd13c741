"""A logging filter that keeps recovery addresses and password-reset keys out of every log.

Django logs request paths (a reset link's key is in its path) and exception messages (a mail
server's refusal names the address); this filter rewrites both before any handler writes them.
"""

from __future__ import annotations

import logging
import re

_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_RESET_KEY = re.compile(r"(/password/reset/key/)[^/\s\"'<>]+")


def redact(text: str) -> str:
    text = _EMAIL.sub("[address]", text)
    return _RESET_KEY.sub(r"\1[key]", text)


class RedactPrivateData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
