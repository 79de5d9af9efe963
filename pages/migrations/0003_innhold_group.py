"""The staff group "Innhold" with exactly what editing the site's texts and images
needs: the pages (change only: they are never added or deleted), the people who
teach, testimonials, questions and answers, and the image library. The courses'
texts are added by courses' own migration (0006), on a proxy that has nothing but
them. Nothing about visitors, bookings or prices."""

from django.db import migrations

from core.groups import group_migration

PERMISSIONS = [
    ("image", "view_image"),
    ("image", "add_image"),
    ("image", "change_image"),
    ("image", "delete_image"),
    ("page", "view_page"),
    ("page", "change_page"),
    ("person", "view_person"),
    ("person", "add_person"),
    ("person", "change_person"),
    ("person", "delete_person"),
    ("testimonial", "view_testimonial"),
    ("testimonial", "add_testimonial"),
    ("testimonial", "change_testimonial"),
    ("testimonial", "delete_testimonial"),
    ("question", "view_question"),
    ("question", "add_question"),
    ("question", "change_question"),
    ("question", "delete_question"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("pages", "0002_pages"),
    ]

    operations = [
        migrations.RunPython(*group_migration("Innhold", "pages", PERMISSIONS))
    ]
