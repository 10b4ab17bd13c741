"""What a member has written in the forum, for their data export."""

from __future__ import annotations

from typing import Any


def member_contributions(member) -> dict[str, Any]:
    """Sections of the export owned by the forum app; each feature adds its own key here."""
    return {}
