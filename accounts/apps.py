from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self) -> None:
        from allauth.usersessions.models import UserSession
        from django.db.models.signals import pre_save

        from accounts.client_addresses import forget_session_address

        pre_save.connect(
            forget_session_address, sender=UserSession, dispatch_uid="forget_session_address"
        )
