"""Soft opt-in rests on a sale (markedsføringsloven § 15 second paragraph).

Customers used to be added at sign-up. Each now gets the end of their last course
that was held or invoiced; one with no such course had no customer relationship
yet and is removed (the nightly `record_course_customers` adds them once the course
has been held). Subscriptions on consent are untouched.
"""

from django.db import migrations, models
from django.db.models import Max, Q
from django.utils import timezone


def last_courses_set(apps, schema_editor):
    Subscriber = apps.get_model("newsletter", "Subscriber")
    Booking = apps.get_model("courses", "Booking")
    purchases = Booking.objects.filter(
        status="confirmed", newsletter_declined=False
    ).filter(Q(course_date__ends_at__lte=timezone.now()) | Q(invoiced_at__isnull=False))
    for subscriber in Subscriber.objects.filter(basis="customer", status="active"):
        last = purchases.filter(email=subscriber.email).aggregate(
            last=Max("course_date__ends_at")
        )["last"]
        if last is None:
            subscriber.delete()
        else:
            subscriber.last_course_at = last
            subscriber.save(update_fields=["last_course_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0001_initial"),
        ("courses", "0004_course_slug_help"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscriber",
            name="last_course_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="siste kurs"
            ),
        ),
        migrations.RunPython(last_courses_set, migrations.RunPython.noop),
    ]
