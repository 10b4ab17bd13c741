"""Re-encrypt the private workbook with the newest key: ``manage.py rotate_workbook_keys``."""

from django.core.management.base import BaseCommand

from accounts.actions.workbook import rotate_workbook_keys


class Command(BaseCommand):
    help = "Re-encrypt every workbook text with the first key in WORKBOOK_KEYS."

    def handle(self, *args, **options) -> None:
        count = rotate_workbook_keys()
        self.stdout.write(f"Re-encrypted {count} rows with the newest key.")
