"""Every server log line is printed once (Django's own "django" handler used to print each line
a second time on its way to the root handler)."""

from __future__ import annotations

import logging

from django.utils.log import configure_logging


def test_a_server_log_line_is_printed_once(settings, capsys):
    settings.DEBUG = True  # Django's console handler prints only while DEBUG is on
    try:
        configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
        logging.getLogger("django.request").warning("Not Found: /no-such-page/")
        logging.getLogger("django.channels.server").info("HTTP GET /crisis/ 200")
        printed = capsys.readouterr().err
    finally:
        with capsys.disabled():
            configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)

    assert printed.count("Not Found: /no-such-page/") == 1
    assert printed.count("HTTP GET /crisis/ 200") == 1
