"""The staff group "Salg" with exactly what following up leads needs: read and
work on inquiries (status, assignee, org.nr.), read and add notes. No adding or
deleting inquiries (they come from the form and go by retention or erasure), and
no editing notes (the follow-up history is append-only)."""

from django.db import migrations

from core.groups import group_migration

PERMISSIONS = [
    ("inquiry", "view_inquiry"),
    ("inquiry", "change_inquiry"),
    ("inquirynote", "view_inquirynote"),
    ("inquirynote", "add_inquirynote"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("contact", "0001_inquiry"),
    ]

    operations = [migrations.RunPython(*group_migration("Salg", "contact", PERMISSIONS))]
