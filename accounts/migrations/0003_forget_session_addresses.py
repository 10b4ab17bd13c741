"""allauth's session list recorded each member's IP address; keep none (see
accounts/client_addresses.py)."""

from django.db import migrations

NO_ADDRESS = "0.0.0.0"


def forget_session_addresses(apps, schema_editor):
    UserSession = apps.get_model("usersessions", "UserSession")
    UserSession.objects.exclude(ip=NO_ADDRESS).update(ip=NO_ADDRESS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_mentorship_survives_account_deletion"),
        ("usersessions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forget_session_addresses, migrations.RunPython.noop, elidable=True),
    ]
