"""The staff group "Personvern": answers data-subject requests and may read what
they concern. Nobody can change the consent ledger."""

from django.db import migrations

from core.groups import group_migration

PERMISSIONS = [
    ("datasubjectrequest", "view_datasubjectrequest"),
    ("datasubjectrequest", "change_datasubjectrequest"),
    ("consentrecord", "view_consentrecord"),
    ("subscriber", "view_subscriber"),
    ("subscriber", "change_subscriber"),
    ("newslettersuppression", "view_newslettersuppression"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("privacy", "0003_rights"),
    ]

    operations = [
        migrations.RunPython(*group_migration("Personvern", "privacy", PERMISSIONS))
    ]
