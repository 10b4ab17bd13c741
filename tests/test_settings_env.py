"""Settings read through django-environ keep README's variable names, defaults and forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.settings.env import database_from_url, env_bool, env_int, env_list, env_str

BASE = Path("/srv/homegroup")


def test_unset_variables_give_the_documented_defaults(monkeypatch):
    for name in ("HG_TEST_STR", "HG_TEST_BOOL", "HG_TEST_INT", "HG_TEST_LIST"):
        monkeypatch.delenv(name, raising=False)

    assert env_str("HG_TEST_STR", "core") == "core"
    assert env_bool("HG_TEST_BOOL", True) is True
    assert env_int("HG_TEST_INT", 60) == 60
    assert env_list("HG_TEST_LIST", ["127.0.0.1", "localhost"]) == ["127.0.0.1", "localhost"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("1", True), ("on", True), ("Yes", True), ("false", False), ("0", False)],
)
def test_booleans_read_as_people_write_them(monkeypatch, value, expected):
    monkeypatch.setenv("HG_TEST_BOOL", value)

    assert env_bool("HG_TEST_BOOL", not expected) is expected


def test_an_empty_number_means_the_default_and_lists_drop_spaces_and_empty_items(monkeypatch):
    monkeypatch.setenv("HG_TEST_INT", "")
    monkeypatch.setenv("HG_TEST_LIST", " forum.example, www.forum.example ,,")

    assert env_int("HG_TEST_INT", 35) == 35
    assert env_list("HG_TEST_LIST", []) == ["forum.example", "www.forum.example"]


def test_a_postgres_url_becomes_a_database_with_persistent_health_checked_connections():
    config = database_from_url(
        "postgres://hg:s%40fe@db:5432/homegroup?sslmode=require", base_dir=BASE
    )

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("homegroup", "hg", "s@fe")
    assert (config["HOST"], config["PORT"]) == ("db", "5432")
    assert config["OPTIONS"] == {"sslmode": "require"}
    assert config["CONN_MAX_AGE"] == 60 and config["CONN_HEALTH_CHECKS"] is True


def test_sqlite_paths_are_relative_to_the_project_unless_absolute():
    assert database_from_url("sqlite:///var/db.sqlite3", base_dir=BASE)["NAME"] == str(
        BASE / "var/db.sqlite3"
    )
    assert (
        database_from_url("sqlite:////tmp/db.sqlite3", base_dir=BASE)["NAME"] == "/tmp/db.sqlite3"
    )
    assert database_from_url("sqlite:///:memory:", base_dir=BASE)["NAME"] == ":memory:"


def test_an_unsupported_database_url_is_refused_clearly():
    with pytest.raises(ValueError, match="postgres:// or sqlite:///"):
        database_from_url("mysql://db/homegroup", base_dir=BASE)
