"""Reports: a member reports an item; a moderator dismisses the reports about it.

Anyone who can see an item may report it (REPORTS_PER_HOUR at most). Only reporters with
standing (``has_report_standing``) count toward hiding it before a moderator looks, so a handful
of new accounts cannot silence anyone; a burst of reports from accounts without standing is
itself flagged to moderators.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from forum import ratelimits
from forum.actions.moderation.common import (
    NOTE_MAX_LENGTH,
    Action,
    Target,
    clean_reason,
    close_reports,
    open_reports,
    resolve_target,
    tell_author,
    write_audit,
)
from forum.actions.moderation.content import hold, release
from forum.errors import ItemNotFound, ModerationError
from forum.models import AuditLogEntry, Report
from forum.permissions.moderation import can_report, check_can_review, has_report_standing

ALREADY_REPORTED = "You have already reported this, and a moderator will look at it. Thank you."
BURST_WINDOW = timedelta(hours=1)


def report_limit() -> ratelimits.Limit:
    return ratelimits.Limit(settings.HOMEGROUP["REPORTS_PER_HOUR"], 3600)


def check_report(
    *, reporter: User, kind: str, target_id: int, reason: str, note: str = ""
) -> Target:
    target = resolve_target(kind, target_id)
    if not can_report(reporter, target):
        raise ItemNotFound("No such item.")
    if reason not in Report.Reason.values or reason == Report.Reason.NEEDS_APPROVAL:
        raise ModerationError("Please choose a reason from the list.")
    if len(note or "") > NOTE_MAX_LENGTH:
        raise ModerationError(f"Please keep the note to {NOTE_MAX_LENGTH} characters.")
    if open_reports(kind, target_id).filter(reporter=reporter).exists():
        raise ModerationError(ALREADY_REPORTED)
    if ratelimits.is_limited("report", reporter.pk, report_limit()):
        raise ModerationError(
            "You have sent many reports in the last hour. Moderators will look at every one; "
            "please wait a while before sending more. If someone is in danger, see the crisis "
            "page."
        )
    return target


def hide_threshold() -> int:
    return settings.HOMEGROUP["REPORT_HIDE_THRESHOLD"]


@transaction.atomic
def do_report(*, reporter: User, target: Target, reason: str, note: str = "") -> Report:
    try:
        with transaction.atomic():
            report = Report.objects.create(
                target_kind=target.kind,
                target_id=target.id,
                subject=target.subject,
                reporter=reporter,
                reason=reason,
                note=(note or "").replace("\x00", "").strip(),
            )
    except IntegrityError as duplicate:
        raise ModerationError(ALREADY_REPORTED) from duplicate
    ratelimits.record("report", reporter.pk, report_limit())
    with_standing, without = _reporters(target)
    if with_standing >= hide_threshold() and hold(target):
        tell_author(
            target,
            f"Several members reported {target.label} you wrote, so it is out of sight until a "
            "moderator reviews it. This is not a judgment: a moderator will look soon, and it "
            "comes back if nothing needs to change.",
        )
        write_audit(
            moderator=None,
            action=Action.HIDE,
            target=target,
            reason=f"Reported by {with_standing} members: hidden until a moderator reviews it.",
        )
    if without >= hide_threshold():
        _flag_burst(target, without)
    return report


def _reporters(target: Target) -> tuple[int, int]:
    """Distinct members with open reports on the item: with standing, and without standing
    who reported within the last BURST_WINDOW."""
    since = timezone.now() - BURST_WINDOW
    reports = (
        open_reports(target.kind, target.id)
        .filter(is_system=False, reporter__isnull=False)
        .select_related("reporter")
    )
    with_standing: set[int] = set()
    recent_without: set[int] = set()
    for report in reports:
        if has_report_standing(report.reporter):
            with_standing.add(report.reporter_id)
        elif report.created_at >= since:
            recent_without.add(report.reporter_id)
    return len(with_standing), len(recent_without)


def _flag_burst(target: Target, count: int) -> Report | None:
    """One open system report per item: a moderator should look at the item and the reporters."""
    try:
        with transaction.atomic():
            return Report.objects.create(
                target_kind=target.kind,
                target_id=target.id,
                subject=target.subject,
                is_system=True,
                reason=Report.Reason.REPORT_BURST,
                note=f"{count} accounts without standing reported this within an hour.",
            )
    except IntegrityError:
        return None


def report_item(
    *, reporter: User, kind: str, target_id: int, reason: str, note: str = ""
) -> Report:
    """Any member may report a topic, post, chat message or member, once while it is open."""
    target = check_report(
        reporter=reporter, kind=kind, target_id=target_id, reason=reason, note=note
    )
    return do_report(reporter=reporter, target=target, reason=reason, note=note)


# Dismiss -------------------------------------------------------------------------------------


def check_dismiss(*, moderator: User, kind: str, target_id: int, reason: str) -> str:
    check_can_review(moderator)
    if not open_reports(kind, target_id).exists():
        raise ModerationError("There are no open reports about this item.")
    return clean_reason(reason)


@transaction.atomic
def do_dismiss(*, moderator: User, kind: str, target_id: int, reason: str) -> AuditLogEntry:
    """Nothing needs to change: close the reports and lift an automatic hold."""
    try:
        target = resolve_target(kind, target_id)
    except ItemNotFound:
        target = None
    if target is not None:
        release(target)
    close_reports(
        kind=kind,
        target_id=target_id,
        moderator=moderator,
        status=Report.Status.DISMISSED,
        outcome="No action needed",
    )
    return write_audit(
        moderator=moderator,
        action=Action.DISMISS,
        reason=reason,
        target=target,
        description="" if target else f"{kind} #{target_id} (no longer exists)",
    )


def dismiss_reports(*, moderator: User, kind: str, target_id: int, reason: str) -> AuditLogEntry:
    reason = check_dismiss(moderator=moderator, kind=kind, target_id=target_id, reason=reason)
    return do_dismiss(moderator=moderator, kind=kind, target_id=target_id, reason=reason)
