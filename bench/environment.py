"""The production-like environment every benchmark server runs in."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from accounts.crypto import generate_key
from tests.processes import LOOPBACK_PRODUCTION, ROOT


def bench_env(
    *, database_url: str, redis_url: str, static_root: Path, **extra: str
) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "WORKBOOK_KEYS": generate_key(),
        "DB_CONN_MAX_AGE": "600",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "ERROR",
        **LOOPBACK_PRODUCTION,
    }
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: int = 7200) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def recreate_database(database_url: str) -> None:
    """Drop and create the benchmark database (PostgreSQL only)."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
