from forum.models.boards import Board, Topic, TopicKind, TopicState
from forum.models.chat import ChatMessage, Room, RoomMute
from forum.models.following import BoardFollow, Bookmark, Draft, TopicWatch, TopicWatchLevel
from forum.models.meetings import Meeting, MeetingAttendee, MeetingFormat, MeetingShare
from forum.models.moderation import (
    Appeal,
    AuditLogEntry,
    CheckIn,
    CrisisPhrase,
    CrisisResource,
    MemberNote,
    Report,
    TargetKind,
    WatchedWord,
)
from forum.models.notifications import Notification, NotificationKind, NotificationPreference
from forum.models.posts import Post, PostRevision, PostState, Reaction, ReactionKind, TopicRead
from forum.models.steps import Step

__all__ = [
    "Appeal",
    "AuditLogEntry",
    "Board",
    "BoardFollow",
    "Bookmark",
    "ChatMessage",
    "CheckIn",
    "CrisisPhrase",
    "CrisisResource",
    "Draft",
    "Meeting",
    "MeetingAttendee",
    "MeetingFormat",
    "MeetingShare",
    "MemberNote",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "Post",
    "PostRevision",
    "PostState",
    "Reaction",
    "ReactionKind",
    "Report",
    "Room",
    "RoomMute",
    "Step",
    "TargetKind",
    "Topic",
    "TopicKind",
    "TopicRead",
    "TopicState",
    "TopicWatch",
    "TopicWatchLevel",
    "WatchedWord",
]
