"""Settings from the environment, read through django-environ (cookiecutter-django's choice).

The settings modules call these few names, so the variables README documents keep their names
and defaults; django-environ does the parsing (booleans, integers, lists, database URLs).
As in any django-environ project, a value starting with ``$`` names another variable.
"""

from __future__ import annotations

from pathlib import Path

import environ

env = environ.Env()


def env_str(name: str, default: str = "") -> str:
    return env.str(name, default=default)


def env_bool(name: str, default: bool = False) -> bool:
    return env.bool(name, default=default)


def env_int(name: str, default: int) -> int:
    """An empty value means the default, as an unset one does."""
    return env.int(name, default=default) if env.str(name, default="") else default


def env_list(name: str, default: list[str]) -> list[str]:
    """Comma-separated; spaces around items and empty items are dropped."""
    if name not in env.ENVIRON:
        return default
    return [item.strip() for item in env.list(name) if item.strip()]


def database_from_url(url: str, *, base_dir: Path) -> dict:
    """``DATABASES['default']`` from ``postgres://user:pass@host:port/name`` or
    ``sqlite:///path`` (a relative SQLite path is relative to the project)."""
    config = environ.Env.db_url_config(url)
    engine = config["ENGINE"]
    if engine == "django.db.backends.postgresql":
        config["NAME"] = config["NAME"] or "homegroup"
        config["PORT"] = str(config["PORT"] or "")
        config.setdefault("OPTIONS", {})
        config["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)
        config["CONN_HEALTH_CHECKS"] = True
        return config
    if engine == "django.db.backends.sqlite3":
        name = config["NAME"]
        if name != ":memory:" and not Path(name).is_absolute():
            name = str(base_dir / name)
        return {"ENGINE": engine, "NAME": name}
    raise ValueError(
        f"DATABASE_URL must start with postgres:// or sqlite:///, not {url.split(':')[0]}://"
    )
