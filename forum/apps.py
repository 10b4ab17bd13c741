from django.apps import AppConfig


class ForumConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "forum"

    def ready(self) -> None:
        from accounts.session_members import read_with_members
        from forum.selectors.notifications import header_keys

        # The header's unread count and block list come with the member's row.
        read_with_members(header_keys)
