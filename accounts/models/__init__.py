from accounts.models.blocking import Block
from accounts.models.members import FIRST_STEP, LAST_STEP, StepChange, Theme, User, UserManager
from accounts.models.mentoring import MentorProfile, MentorRequest, MentorRole, Mentorship

__all__ = [
    "FIRST_STEP",
    "LAST_STEP",
    "Block",
    "MentorProfile",
    "MentorRequest",
    "MentorRole",
    "Mentorship",
    "StepChange",
    "Theme",
    "User",
    "UserManager",
]
