from accounts.models.members import FIRST_STEP, LAST_STEP, StepChange, User, UserManager
from accounts.models.mentoring import Mentorship

__all__ = ["FIRST_STEP", "LAST_STEP", "Mentorship", "StepChange", "User", "UserManager"]
