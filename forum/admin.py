"""The Django admin is for admins only (staff superusers). Each area registers its models below."""

from django.contrib import admin

from forum.models import AuditLogEntry, CrisisPhrase, CrisisResource, Report, WatchedWord


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists rows without any way to add, change or delete them."""

    actions = None

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# Moderation and safety (issue 6) -------------------------------------------------------------


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(ReadOnlyAdmin):
    """Read-only: the audit log is append-only, so the admin can neither add, change nor delete."""

    list_display = ("created_at", "moderator_name", "action", "target_description", "member_name")
    list_filter = ("action",)
    search_fields = ("moderator_name", "member_name", "target_description")
    readonly_fields = [f.name for f in AuditLogEntry._meta.fields]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """Reports are handled in /moderation/; the admin only lists them."""

    list_display = ("created_at", "target_kind", "target_id", "reason", "status", "is_system")
    list_filter = ("status", "reason", "target_kind", "is_system")
    readonly_fields = [f.name for f in Report._meta.fields]


@admin.register(CrisisResource)
class CrisisResourceAdmin(admin.ModelAdmin):
    list_display = ("name", "contact", "position")
    list_editable = ("position",)
    ordering = ("position", "id")


@admin.register(WatchedWord)
class WatchedWordAdmin(ReadOnlyAdmin):
    """Moderators manage these at /moderation/words/, which also writes the audit log."""

    list_display = ("word", "mode", "created_at")


@admin.register(CrisisPhrase)
class CrisisPhraseAdmin(ReadOnlyAdmin):
    """Moderators manage these at /moderation/crisis-phrases/, which also writes the audit log."""

    list_display = ("phrase", "created_at")
