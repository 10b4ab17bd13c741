"""Who a member is: a pseudonym, an optional recovery email, and a private step journey."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone

from accounts.pseudonyms import MAX_LENGTH

FIRST_STEP = 1
LAST_STEP = 12
STEP_VALIDATORS = [MinValueValidator(FIRST_STEP), MaxValueValidator(LAST_STEP)]


class Theme(models.TextChoices):
    SYSTEM = "system", "Same as my device"
    LIGHT = "light", "Light"
    DARK = "dark", "Dark"


# Sent after a bare ``update()`` of members with ``member_pks``: Django's ``update()`` sends no
# ``post_save``, and the signed-in member cache (accounts/session_members.py) must hear of it.
members_updated = Signal()
# What ``get_session_auth_hash`` answers with while the instance's password is unread.
SESSION_HASH_ATTRIBUTE = "_cached_session_auth_hash"


class MemberQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
        member_pks = list(self.values_list("pk", flat=True))
        changed = super().update(**kwargs)
        members_updated.send(sender=User, member_pks=member_pks)
        return changed


class UserManager(BaseUserManager.from_queryset(MemberQuerySet)):
    use_in_migrations = True

    def get_by_natural_key(self, username: str) -> User:
        return self.get(username__iexact=username)

    def _create_user(self, username: str, email: str | None, password: str | None, **extra):
        user = self.model(username=username, email=self.normalize_email(email or ""), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(
        self, username: str, email: str | None = None, password: str | None = None, **extra
    ):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(username, email, password, **extra)

    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra
    ):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(username, email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A member. There is deliberately no field for a real name."""

    username = models.CharField("pseudonym", max_length=MAX_LENGTH)
    email = models.EmailField(
        blank=True, help_text="Only for password recovery; never shown to anyone."
    )
    bio = models.TextField(blank=True, max_length=500)
    current_step = models.PositiveSmallIntegerField(default=FIRST_STEP, validators=STEP_VALIDATORS)
    show_step = models.BooleanField("show my current step on my profile", default=False)
    clean_date = models.DateField(null=True, blank=True)
    theme = models.CharField(max_length=6, choices=Theme.choices, default=Theme.SYSTEM)
    is_active = models.BooleanField(default=True, help_text="False once a member is banned.")
    suspended_until = models.DateTimeField(null=True, blank=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_pseudonym_ci_unique"),
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_ci_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", kwargs={"pseudonym": self.username})

    @property
    def pseudonym(self) -> str:
        return self.username

    def get_session_auth_hash(self) -> str:
        """A member read from the cache (accounts/session_members.py) carries the hash made
        from their password when it was read; once the password is read or set, it is made
        anew from it, as Django does."""
        cached = self.__dict__.get(SESSION_HASH_ATTRIBUTE)
        if cached is not None and "password" not in self.__dict__:
            return cached
        return super().get_session_auth_hash()

    def clean_days(self, today=None) -> int | None:
        if self.clean_date is None:
            return None
        today = today or timezone.localdate()
        return max((today - self.clean_date).days, 0)


class StepChange(models.Model):
    """One move along a member's step journey; shown only to that member."""

    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="step_changes")
    from_step = models.PositiveSmallIntegerField(validators=STEP_VALIDATORS)
    to_step = models.PositiveSmallIntegerField(validators=STEP_VALIDATORS)
    changed_at = models.DateTimeField(default=timezone.now)
    reflection = models.ForeignKey(
        "accounts.WorkbookEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="What the member wrote on moving forward (kept, encrypted, in their workbook).",
    )
    came_in = models.BooleanField(
        default=False,
        help_text="The member worked the earlier steps before joining and came in at to_step.",
    )

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.member}: step {self.from_step} -> {self.to_step}"
