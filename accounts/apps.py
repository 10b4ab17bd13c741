from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self) -> None:
        from allauth.usersessions.models import UserSession
        from django.contrib.auth.models import Group, Permission
        from django.db.models.signals import m2m_changed, pre_delete, pre_save

        from accounts.backends import forget_permissions_on_change, forget_permissions_on_delete
        from accounts.client_addresses import forget_session_address
        from accounts.models import User

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
