"""What a member has written in the forum, for their data export."""

from __future__ import annotations

from typing import Any


def _board_contributions(member) -> dict[str, Any]:
    """Topics the member started and every post they wrote, anonymous and removed ones included."""
    from forum.models import Post, Topic

    topics = Topic.objects.filter(author=member).select_related("board").order_by("created_at")
    posts = Post.objects.filter(author=member).select_related("topic").order_by("created_at")
    return {
        "topics": [
            {
                "id": topic.pk,
                "board": topic.board.slug,
                "kind": topic.kind,
                "title": topic.title,
                "created_at": topic.created_at.isoformat(),
                "anonymous": topic.is_anonymous,
                "content_note": topic.content_note,
            }
            for topic in topics
        ],
        "posts": [
            {
                "id": post.pk,
                "topic_id": post.topic_id,
                "topic_title": post.topic.title,
                "body": post.body,
                "created_at": post.created_at.isoformat(),
                "edited_at": post.edited_at.isoformat() if post.edited_at else None,
                "anonymous": post.is_anonymous,
                "content_note": post.content_note,
                "removed_by_author": post.removed_by_author,
            }
            for post in posts
        ],
    }


def _reports_made(member) -> dict[str, Any]:
    """Reports the member made (moderation, issue 6). Reports about them are moderators' records
    and would point at who reported, so they are not part of the export."""
    from forum.models import Report

    reports = Report.objects.filter(reporter=member).order_by("created_at", "id")
    return {
        "reports_made": [
            {
                "about": report.target_kind,
                "item_id": report.target_id,
                "reason": report.reason,
                "note": report.note,
                "created_at": report.created_at.isoformat(),
                "status": report.status,
            }
            for report in reports
        ]
    }


def _moderation_conversations(member) -> dict[str, Any]:
    """The member's own appeals and check-ins (what they wrote and were told). Moderator notes
    about them are moderators' records and are not part of the export."""
    from forum.models import Appeal, CheckIn

    return {
        "appeals": [
            {
                "measure": appeal.entry.action,
                "text": appeal.text,
                "status": appeal.status,
                "reply": appeal.response,
                "created_at": appeal.created_at.isoformat(),
            }
            for appeal in Appeal.objects.filter(member=member).select_related("entry")
        ],
        "check_ins": [
            {
                "message": check_in.text,
                "answer": check_in.reply,
                "created_at": check_in.created_at.isoformat(),
            }
            for check_in in CheckIn.objects.filter(member=member)
        ],
    }


def member_contributions(member) -> dict[str, Any]:
    """Sections of the export owned by the forum app; each feature adds its own key here."""
    return {
        **_board_contributions(member),
        **_reports_made(member),
        **_moderation_conversations(member),
    }
