"""The staff group "Kurs" with exactly what running courses needs: create and edit
courses and dates (cancelling a date is an action on it), see and work on bookings
(move from the waitlist, cancel, mark invoiced, export) and correct participants'
names on request. No adding bookings (the sign-up form counts the seats) and no
deleting anything (bookings are bookkeeping; dates are cancelled, not deleted)."""

from django.db import migrations

from core.groups import group_migration

PERMISSIONS = [
    ("course", "view_course"),
    ("course", "add_course"),
    ("course", "change_course"),
    ("coursedate", "view_coursedate"),
    ("coursedate", "add_coursedate"),
    ("coursedate", "change_coursedate"),
    ("booking", "view_booking"),
    ("booking", "change_booking"),
    ("participant", "view_participant"),
    ("participant", "change_participant"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("courses", "0001_courses_bookings"),
    ]

    operations = [migrations.RunPython(*group_migration("Kurs", "courses", PERMISSIONS))]
