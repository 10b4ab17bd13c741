"""Production refuses to start with a mail backend that would write addresses and reset links
somewhere local; every settings module's log redacts them."""

import copy
import io
import logging
import logging.config
import runpy

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from uvicorn.config import LOGGING_CONFIG as UVICORN_LOGGING

from config.log_redaction import RedactPrivateData


@pytest.fixture
def production_env(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("WORKBOOK_KEYS", Fernet.generate_key().decode())
    monkeypatch.delenv("EMAIL_BACKEND", raising=False)
    return monkeypatch


def load_production():
    return runpy.run_module("config.settings.production")


def test_production_refuses_to_start_without_a_chosen_mail_backend(production_env):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_BACKEND"):
        load_production()


@pytest.mark.parametrize("name", ["console", "filebased", "locmem", "dummy"])
def test_production_refuses_a_mail_backend_that_keeps_mail_local(production_env, name):
    production_env.setenv("EMAIL_BACKEND", f"django.core.mail.backends.{name}.EmailBackend")

    with pytest.raises(ImproperlyConfigured, match="EMAIL_BACKEND"):
        load_production()


def test_production_starts_with_a_mail_backend_that_sends(production_env):
    production_env.setenv("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

    loaded = load_production()

    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"


def test_no_settings_module_but_local_development_prints_mail():
    from config.settings import base

    assert "console" not in base.EMAIL_BACKEND and "filebased" not in base.EMAIL_BACKEND
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"


def test_the_configured_log_handler_writes_no_address_and_no_reset_key():
    """Through the handler ``settings.LOGGING`` builds, as Django's request logger uses it."""
    stream = io.StringIO()
    config = {**settings.LOGGING, "handlers": {**settings.LOGGING["handlers"]}}
    config["handlers"]["console"] = {**config["handlers"]["console"], "stream": stream}
    logging.config.dictConfig(config)
    logger = logging.getLogger("django.request")
    try:
        logger.warning(
            "Forbidden (CSRF cookie not set.): %s", "/account/password/reset/key/4-c5y-9f1e2b/"
        )
        try:
            raise RuntimeError("{'owner@example.org': (550, b'mailbox unavailable')}")
        except RuntimeError:
            logger.exception("Internal Server Error: %s", "/account/password/reset/")
    finally:
        logging.config.dictConfig(settings.LOGGING)

    written = stream.getvalue()
    assert "Forbidden (CSRF cookie not set.): /account/password/reset/key/[key]/" in written
    assert "Internal Server Error" in written and "RuntimeError" in written
    assert "owner@example.org" not in written
    assert "c5y-9f1e2b" not in written


def test_the_filter_keeps_ordinary_messages_whole():
    record = logging.LogRecord(
        "x", logging.WARNING, __file__, 1, "Not Found: %s", ("/steps/3/",), None
    )

    RedactPrivateData().filter(record)

    assert record.getMessage() == "Not Found: /steps/3/"


def test_uvicorns_own_log_of_a_socket_error_writes_no_address():
    """uvicorn configures its handler first; Django's settings.LOGGING is applied on import."""
    stream = io.StringIO()
    uvicorn_config = copy.deepcopy(UVICORN_LOGGING)
    uvicorn_config["handlers"]["default"]["stream"] = stream
    logging.config.dictConfig(uvicorn_config)
    logging.config.dictConfig(settings.LOGGING)
    try:
        try:
            raise ValueError("no member with owner@example.org")
        except ValueError:
            logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
    finally:
        logging.config.dictConfig(settings.LOGGING)

    written = stream.getvalue()
    assert "Exception in ASGI application" in written and "ValueError" in written
    assert "owner@example.org" not in written
