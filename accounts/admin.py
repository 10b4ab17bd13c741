from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Admins manage accounts by pseudonym.

    The recovery email, the step journey and the clean date are private to the member, so they
    are neither listed, searchable nor shown here.
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
    readonly_fields = ("date_joined", "last_login")
