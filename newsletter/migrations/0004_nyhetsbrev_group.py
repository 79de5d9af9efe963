"""The staff group "Nyhetsbrev" with exactly what sending a newsletter needs:
write and edit issues (a sent one is read-only in admin), delete a draft, and send
(a permission of its own, so that writing and sending can be told apart). No
access to subscribers: the send page shows how many will get the issue, not who."""

from django.db import migrations

from core.groups import group_migration

PERMISSIONS = [
    ("newsletterissue", "view_newsletterissue"),
    ("newsletterissue", "add_newsletterissue"),
    ("newsletterissue", "change_newsletterissue"),
    ("newsletterissue", "delete_newsletterissue"),
    ("newsletterissue", "send_newsletterissue"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("newsletter", "0003_issue_audience_and_send"),
    ]

    operations = [
        migrations.RunPython(
            *group_migration("Nyhetsbrev", "newsletter", PERMISSIONS)
        )
    ]
