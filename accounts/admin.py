from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import User
from forum.actions.moderation import (
    ModerationError,
    deactivate_member,
    set_moderator_role,
    unban_member,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Admins manage accounts by pseudonym.

    The recovery email, the step journey and the clean date are private to the member, so they
    are neither listed, searchable nor shown here. Being active and holding the moderator role
    change only through the actions below, so each change is audited, ends sessions and closes
    sockets where it should.
    """

    list_display = ("username", "date_joined", "is_active", "is_staff")
    search_fields = ("username",)
    ordering = ("username",)
    list_filter = ("is_active", "is_staff", "is_superuser")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Profile", {"fields": ("bio",)}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("date_joined", "last_login")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
    )
    readonly_fields = ("date_joined", "last_login", "is_active", "groups")
    actions = ("deactivate", "reactivate", "make_moderator", "remove_moderator")

    def _each(self, request, queryset, verb, done: str) -> None:
        changed = 0
        for member in queryset:
            try:
                verb(member)
            except ModerationError as refusal:
                self.message_user(request, f"{member.username}: {refusal}", messages.ERROR)
            else:
                changed += 1
        self.message_user(request, f"{done}: {changed}.")

    @admin.action(description="Deactivate (ends sessions, closes sockets, audited)")
    def deactivate(self, request, queryset):
        self._each(
            request,
            queryset.filter(is_active=True),
            lambda m: deactivate_member(by=request.user, member=m),
            "Deactivated",
        )

    @admin.action(description="Reactivate (audited)")
    def reactivate(self, request, queryset):
        self._each(
            request,
            queryset.filter(is_active=False),
            lambda m: unban_member(moderator=request.user, member=m, reason="Reactivated"),
            "Reactivated",
        )

    @admin.action(description="Make moderator (audited)")
    def make_moderator(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda m: set_moderator_role(by=request.user, member=m, granted=True),
            "Now moderators",
        )

    @admin.action(description="Remove the moderator role (closes their sockets, audited)")
    def remove_moderator(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda m: set_moderator_role(by=request.user, member=m, granted=False),
            "No longer moderators",
        )
