"""Give the Moderators group the moderation permissions, so a member put in the group any way
(make_moderator, or the admin's group field) can moderate. Self-contained: names are repeated here."""

from django.db import migrations

GROUP = "Moderators"
CODENAMES = [
    "review_reports",
    "moderate_content",
    "moderate_members",
    "view_audit_log",
    "manage_safety_lists",
]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    forum_config = apps.get_app_config("forum")
    forum_config.models_module = True
    create_permissions(forum_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="forum", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="forum", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("forum", "0006_seed_crisis"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
