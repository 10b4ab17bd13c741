"""Where the local SECRET_KEY comes from when the environment gives none."""

from __future__ import annotations

from pathlib import Path

from django.core.management.utils import get_random_secret_key


def local_secret_key(var_dir: Path) -> str:
    """Read, or create once, a secret key in a git-ignored file so no secret lives in the repo."""
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


def local_workbook_key(var_dir: Path) -> str:
    """Read, or create once, a Fernet key for the workbook in a git-ignored file."""
    from cryptography.fernet import Fernet

    path = var_dir / "workbook_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(Fernet.generate_key().decode("ascii"))
        path.chmod(0o600)
    return path.read_text().strip()
