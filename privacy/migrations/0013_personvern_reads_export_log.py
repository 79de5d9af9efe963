"""Personvern may read the log of staff exports (AccessAudit): who took personal
data out, to answer a person who asks and to spot misuse. Read-only for everyone."""

from django.db import migrations

from core.groups import group_permissions_added

PERMISSIONS = [("accessaudit", "view_accessaudit")]


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("privacy", "0012_request_address_record_answer"),
    ]

    operations = [
        migrations.RunPython(
            *group_permissions_added("Personvern", "privacy", PERMISSIONS)
        )
    ]
