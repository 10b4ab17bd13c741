"""Every moderation write, as small verbs grouped by what they act on.

- ``reports``: a member reports an item; a moderator dismisses the reports about it.
- ``content``: hide, unhide, delete, edit; lock, pin and move a topic.
- ``approval``: approve or reject what waits for a moderator.
- ``members``: warn, mute, suspend, ban.
- ``lists``: watched words and crisis phrases.

Each kind of content owns its own verbs (posts, topics, chat); these modules decide who may act,
call them, close the reports and write one audit entry. Callers import from here.
"""

from forum.actions.moderation.appeals import appeal_measure, decide_appeal
from forum.actions.moderation.approval import (
    approve_item,
    check_approval,
    do_approve,
    do_reject,
    is_pending,
    reject_item,
)
from forum.actions.moderation.care import answer_check_in, check_in_for, send_check_in
from forum.actions.moderation.common import (
    ItemNotFound,
    ModerationError,
    Target,
    clean_reason,
    close_reports,
    open_reports,
    resolve_target,
    write_audit,
)
from forum.actions.moderation.content import (
    delete_item,
    edit_item,
    hide_item,
    move_topic,
    set_topic_flag,
    unhide_item,
)
from forum.actions.moderation.lists import (
    add_crisis_phrase,
    add_watched_word,
    remove_crisis_phrase,
    remove_watched_word,
)
from forum.actions.moderation.members import (
    active_mute_rooms,
    add_note,
    ban_member,
    end_sessions,
    hide_everything_by,
    lift_suspension,
    mute_in_chat,
    suspend_member,
    unban_member,
    unmute_in_chat,
    warn_member,
)
from forum.actions.moderation.reports import dismiss_reports, hide_threshold, report_item
from forum.actions.moderation.roles import (
    deactivate_member,
    set_mentor_role,
    set_moderator_role,
)
from forum.actions.moderation.rooms import set_room_lock, set_room_slow_mode
from forum.actions.safety import needs_approval, queue_for_approval

__all__ = [
    "ItemNotFound",
    "ModerationError",
    "Target",
    "active_mute_rooms",
    "add_crisis_phrase",
    "add_note",
    "add_watched_word",
    "answer_check_in",
    "appeal_measure",
    "approve_item",
    "ban_member",
    "check_approval",
    "check_in_for",
    "clean_reason",
    "close_reports",
    "deactivate_member",
    "decide_appeal",
    "delete_item",
    "dismiss_reports",
    "do_approve",
    "do_reject",
    "edit_item",
    "end_sessions",
    "hide_everything_by",
    "hide_item",
    "hide_threshold",
    "is_pending",
    "lift_suspension",
    "move_topic",
    "mute_in_chat",
    "needs_approval",
    "open_reports",
    "queue_for_approval",
    "reject_item",
    "remove_crisis_phrase",
    "remove_watched_word",
    "report_item",
    "resolve_target",
    "send_check_in",
    "set_mentor_role",
    "set_moderator_role",
    "set_room_lock",
    "set_room_slow_mode",
    "set_topic_flag",
    "suspend_member",
    "unban_member",
    "unhide_item",
    "unmute_in_chat",
    "warn_member",
    "write_audit",
]
