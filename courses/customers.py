"""Who is a customer the newsletter may write to without consent (soft opt-in).

Markedsføringsloven § 15 second paragraph allows e-mail about similar courses to a
person we have an existing customer relationship with, from a sale, who was told
when they gave their address and did not say no. A sign-up is no sale yet: the
relationship starts when the course has been held or the booking invoiced, never
for a waitlisted or cancelled booking, and only the contact who saw the notice
counts. It ends NEWSLETTER_CUSTOMER_MONTHS after their last course (the newsletter's
retention), earlier when they unsubscribe or object.
"""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.jobs import job_succeeded
from courses.models import Booking
from newsletter.services import customer_last_course_set, subscription_add_customer

CUSTOMERS_JOB = "record_course_customers"


def purchases(now: datetime) -> QuerySet:
    """Bookings that make their contact an existing customer."""
    return (
        Booking.objects.filter(status=Booking.Status.CONFIRMED)
        .filter(newsletter_declined=False)
        .exclude(email="")
        .filter(Q(course_date__ends_at__lte=now) | Q(invoiced_at__isnull=False))
    )


def customers_record(*, now: datetime | None = None, bookings=None) -> int:
    """Add (or keep up to date) the contact of every purchase among `bookings` as a
    newsletter customer, with the end of their last course. Returns how many
    addresses were added or moved on. Idempotent: the nightly job runs it over
    every purchase."""
    now = now or timezone.now()
    nightly = bookings is None  # over every purchase: the job /helse/ watches
    bookings = purchases(now) if nightly else bookings & purchases(now)
    last_courses = {}
    for email, first_name, last_name, ends_at in bookings.order_by(
        "course_date__ends_at"
    ).values_list("email", "first_name", "last_name", "course_date__ends_at"):
        last_courses[email] = (f"{first_name} {last_name}".strip(), ends_at)
    changed = 0
    for email, (name, ends_at) in last_courses.items():
        if subscription_add_customer(name=name, email=email, last_course_at=ends_at):
            changed += 1
    if nightly:
        job_succeeded(name=CUSTOMERS_JOB, at=now)
    return changed


def customer_recheck(*, email: str, now: datetime | None = None) -> None:
    """After a booking was cancelled: the soft opt-in rests on the purchases left,
    and ends if none is."""
    now = now or timezone.now()
    left = purchases(now).filter(email=email).order_by("-course_date__ends_at")
    last = left.values_list("course_date__ends_at", flat=True).first()
    customer_last_course_set(email=email, last_course_at=last)
