"""The "Innhold" group may see and change a course's texts and image, through the
CourseContent proxy, and nothing else of it (no price, no dates)."""

from django.db import migrations

from core.groups import group_migration

PERMISSIONS = [
    ("coursecontent", "view_coursecontent"),
    ("coursecontent", "change_coursecontent"),
]


def add_permissions(apps, schema_editor):
    create_group, _ = group_migration("Innhold", "courses", PERMISSIONS)
    create_group(apps, schema_editor)


def remove_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Innhold"):
        group.permissions.remove(
            *group.permissions.filter(
                content_type__app_label="courses",
                codename__in=[codename for _, codename in PERMISSIONS],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0003_innhold_group"),
        ("courses", "0005_course_content"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
