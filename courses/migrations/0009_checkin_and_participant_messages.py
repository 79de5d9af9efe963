"""Running a course date from its page (issue 14): participants checked in on the
day, mail to a date's participants logged, and Kurs may add a booking taken by
phone (the service counts the seats, as the sign-up form's does)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from core.groups import group_permissions_added


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0008_booking_seat_offered_until"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="arrived_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="kom"),
        ),
        migrations.CreateModel(
            name="CourseDateMessage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("subject", models.CharField(max_length=150, verbose_name="emne")),
                ("body", models.TextField(verbose_name="tekst")),
                (
                    "sent_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="sendt"
                    ),
                ),
                ("recipients", models.PositiveIntegerField(verbose_name="mottakere")),
                (
                    "held_back",
                    models.PositiveIntegerField(
                        default=0, verbose_name="holdt tilbake"
                    ),
                ),
                (
                    "course_date",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="messages",
                        to="courses.coursedate",
                        verbose_name="kursdato",
                    ),
                ),
                (
                    "sent_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="sendt av",
                    ),
                ),
            ],
            options={
                "verbose_name": "e-post til deltakerne",
                "verbose_name_plural": "e-post til deltakerne",
                "ordering": ["-sent_at", "-pk"],
            },
        ),
        migrations.RunPython(
            *group_permissions_added(
                "Kurs",
                "courses",
                [
                    ("booking", "add_booking"),
                    ("coursedatemessage", "view_coursedatemessage"),
                    ("coursedatemessage", "add_coursedatemessage"),
                ],
            )
        ),
    ]
