"""Personvern sees on the staff overview whether the scheduled jobs ran: deletion
after the retention periods is theirs to answer for (GDPR art. 5(1)(e))."""

from django.db import migrations

from core.groups import group_permissions_added

PERMISSIONS = [("jobrun", "view_jobrun")]


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("privacy", "0013_personvern_reads_export_log"),
    ]

    operations = [
        migrations.RunPython(
            *group_permissions_added("Personvern", "privacy", PERMISSIONS)
        )
    ]
