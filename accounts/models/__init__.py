from accounts.models.blocking import Block
from accounts.models.members import FIRST_STEP, LAST_STEP, StepChange, Theme, User, UserManager
from accounts.models.mentoring import MentorProfile, MentorRequest, MentorRole, Mentorship
from accounts.models.workbook import EntryKind, StepMoveRequest, WorkbookEntry, WorkbookShare

__all__ = [
    "FIRST_STEP",
    "LAST_STEP",
    "Block",
    "EntryKind",
    "MentorProfile",
    "MentorRequest",
    "MentorRole",
    "Mentorship",
    "StepChange",
    "StepMoveRequest",
    "Theme",
    "User",
    "UserManager",
    "WorkbookEntry",
    "WorkbookShare",
]
