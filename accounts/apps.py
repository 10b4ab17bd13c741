from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self) -> None:
        from allauth.usersessions.models import UserSession
        from django.contrib.auth.models import Group, Permission
        from django.db.models.signals import (
            m2m_changed,
            post_delete,
            post_save,
            pre_delete,
            pre_save,
        )

        from accounts.backends import forget_permissions_on_change, forget_permissions_on_delete
        from accounts.client_addresses import forget_session_address
        from accounts.models import User
        from accounts.models.members import members_updated
        from accounts.session_members import forget_member_on_change, forget_members_on_update

        pre_save.connect(
            forget_session_address, sender=UserSession, dispatch_uid="forget_session_address"
        )
        for through in (
            User.groups.through,
            User.user_permissions.through,
            Group.permissions.through,
        ):
            m2m_changed.connect(
                forget_permissions_on_change,
                sender=through,
                dispatch_uid=f"forget_permissions_{through.__name__}",
            )
        for model in (Group, Permission):
            pre_delete.connect(
                forget_permissions_on_delete,
                sender=model,
                dispatch_uid=f"forget_permissions_{model.__name__}",
            )
        # The signed-in member cache (accounts/session_members.py) hears of every change.
        post_save.connect(forget_member_on_change, sender=User, dispatch_uid="forget_saved_member")
        post_delete.connect(
            forget_member_on_change, sender=User, dispatch_uid="forget_deleted_member"
        )
        members_updated.connect(forget_members_on_update, dispatch_uid="forget_updated_members")
