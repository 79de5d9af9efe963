"""The `courses` command: upcoming course dates and their bookings (issue 5)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from bench.seed.people import SEED, People
from bench.seed.writer import CHUNK, Inserter

COMPANY_KINDS = ["AS", "Helse", "Klinikk"]
PLACES = [
    ("Storgata 1", "0155", "Oslo"),
    ("Bryggen 5", "5003", "Bergen"),
    ("Kongens gate 10", "7011", "Trondheim"),
    ("Torget 3", "4006", "Stavanger"),
    ("Storgata 40", "9008", "Tromsø"),
]


def published_courses():
    from courses.models import Course

    courses = list(Course.objects.filter(is_published=True).order_by("pk"))
    if courses:
        return courses
    return [
        Course.objects.create(
            title="Grunnkurs i glasoterapi",
            slug="grunnkurs-i-glasoterapi",
            summary="To praktiske dager med grunnleggende teknikker.",
            description="Materialer, verktøy og sikker bruk.",
            price=Decimal(4500),
            is_published=True,
        )
    ]


def course_dates_create(
    rng: random.Random, *, count: int, first_day: int, last_day: int
) -> list:
    """`count` dates between `first_day` and `last_day` days from today, with their
    courses loaded."""
    from django.utils import timezone

    from courses.models import CourseDate

    if count <= 0:
        return []
    courses = published_courses()
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    inserter = Inserter(CourseDate)
    rows = []
    for number in range(count):
        day = today + timedelta(days=rng.randint(first_day, last_day))
        starts_at = datetime(
            day.year, day.month, day.day, rng.choice([9, 12, 18]), tzinfo=zone
        )
        online = number % 5 == 4
        street, postcode, city = rng.choice(PLACES)
        rows.append(
            {
                "id": inserter.next_id(),
                "course_id": courses[number % len(courses)].pk,
                "starts_at": starts_at,
                "ends_at": starts_at + timedelta(hours=rng.choice([3, 4, 6])),
                "is_online": online,
                "place": "" if online else f"{street}, {postcode} {city}",
                "capacity": rng.choice([8, 12, 16, 20, 30, 40]),
                "signup_deadline": starts_at - timedelta(days=2),
                "cancellation_deadline": starts_at - timedelta(days=7),
                "cancelled_at": None,
            }
        )
    inserter.insert(rows)
    inserter.finish()
    ids = [row["id"] for row in rows]
    return list(CourseDate.objects.filter(pk__in=ids).select_related("course"))


class SeatBook:
    """Statuses as the sign-up gives them: confirmed while seats last, then the
    waitlist; some cancelled."""

    def __init__(self):
        self.taken: dict[int, int] = {}

    def status(self, rng: random.Random, course_date, seats: int) -> str:
        from courses.models import Booking

        if rng.random() < 0.1:
            return Booking.Status.CANCELLED
        taken = self.taken.get(course_date.pk, 0)
        if taken + seats <= course_date.capacity:
            self.taken[course_date.pk] = taken + seats
            return Booking.Status.CONFIRMED
        return Booking.Status.WAITLISTED


def bookings_create(
    rng: random.Random,
    course_dates: list,
    *,
    count: int,
    people: People,
    invoiced: bool = False,
    seat_choices: tuple[int, ...] = (1, 1, 1, 2, 2, 3),
) -> tuple[int, int]:
    """`count` bookings spread over `course_dates`, each with its participants
    (as many as its seats, the first being the person who booked); (bookings,
    participants) written. With `invoiced`, confirmed bookings of dates that have
    been are invoiced."""
    from courses.models import Booking, Participant

    if not course_dates or count <= 0:
        return 0, 0
    bookings = Inserter(Booking)
    participants = Inserter(Participant)
    seat_book = SeatBook()
    booking_rows, participant_rows = [], []
    for number in range(count):
        course_date = course_dates[number % len(course_dates)]
        booking = booking_row(
            rng,
            course_date,
            people=people,
            seats=rng.choice(seat_choices),
            seat_book=seat_book,
            invoiced=invoiced,
        )
        booking["id"] = bookings.next_id()
        booking_rows.append(booking)
        for seat in range(booking["seats"]):
            if seat == 0:  # the person who booked takes part
                first, last = booking["first_name"], booking["last_name"]
                email = booking["email"]
            else:
                first, last, email = people.next()
            participant_rows.append(
                {
                    "booking_id": booking["id"],
                    "first_name": first,
                    "last_name": last,
                    "email": email,
                }
            )
        if len(booking_rows) >= CHUNK:  # parents first: the foreign keys are checked
            bookings.insert(booking_rows)
            participants.insert(participant_rows)
            booking_rows, participant_rows = [], []
    bookings.insert(booking_rows)
    participants.insert(participant_rows)
    bookings.finish()
    participants.finish()
    return bookings.written, participants.written


def booking_row(
    rng: random.Random,
    course_date,
    *,
    people: People,
    seats: int,
    seat_book: SeatBook,
    invoiced: bool,
) -> dict:
    from django.utils import timezone

    from courses.forms import NEWSLETTER_NOTICE_VERSION
    from courses.models import Booking

    now = timezone.now()
    course = course_date.course
    status = seat_book.status(rng, course_date, seats)
    first, last, email = people.next()
    company = rng.random() < 0.6
    street, postcode, city = rng.choice(PLACES)
    created_at = min(course_date.starts_at, now) - timedelta(days=rng.uniform(3, 60))
    confirmed = status == Booking.Status.CONFIRMED
    invoiced_at = course_date.starts_at + timedelta(days=2)
    is_invoiced = invoiced and confirmed and invoiced_at < now
    return {
        "course_date_id": course_date.pk,
        "status": status,
        "seats": seats,
        "first_name": first,
        "last_name": last,
        "email": email,
        "company": f"{last} {rng.choice(COMPANY_KINDS)}" if company else "",
        "invoice_name": f"{last} AS" if company else f"{first} {last}",
        "orgnr": str(rng.randint(810_000_000, 999_999_999)) if company else "",
        "invoice_street": street,
        "invoice_postcode": postcode,
        "invoice_place": city,
        "invoice_method": Booking.InvoiceMethod.EHF
        if company
        else Booking.InvoiceMethod.EMAIL,
        "invoice_email": "" if company else email,
        "your_reference": "",
        "unit_price": course.price,
        "price_includes_vat": course.price_includes_vat,
        "vat_rate": course.vat_rate,
        "newsletter_declined": rng.random() < 0.3,
        "newsletter_notice_version": NEWSLETTER_NOTICE_VERSION,
        "created_at": created_at,
        "confirmed_at": created_at if confirmed else None,
        "cancelled_at": created_at + timedelta(days=1)
        if status == Booking.Status.CANCELLED
        else None,
        "invoiced_at": invoiced_at if is_invoiced else None,
        "invoiced_by_id": None,
    }


def signup_path(upcoming) -> str | None:
    """The sign-up page of the first upcoming date open for sign-up."""
    from django.urls import reverse

    for course_date in upcoming.select_related("course").order_by("starts_at")[:50]:
        if course_date.course.is_published and course_date.signup_open():
            return reverse(
                "courses:signup", args=[course_date.course.slug, course_date.pk]
            )
    return None


def seed_courses(*, dates: int, bookings: int) -> dict:
    """Top up to `dates` upcoming dates and `bookings` bookings on upcoming dates."""
    from django.utils import timezone

    from courses.models import Booking, CourseDate

    rng = random.Random(SEED + dates)
    now = timezone.now()
    upcoming = CourseDate.objects.filter(starts_at__gt=now, cancelled_at=None)
    new_dates = course_dates_create(
        rng, count=dates - upcoming.count(), first_day=7, last_day=730
    )
    upcoming_bookings = Booking.objects.filter(course_date__starts_at__gt=now)
    # New bookings go to the new dates when there are any (the others keep the
    # bookings they had), else to every upcoming date.
    targets = new_dates or list(upcoming.select_related("course"))
    made, participants = bookings_create(
        rng,
        targets,
        count=bookings - upcoming_bookings.count(),
        people=People(rng, prefix=f"k{dates}-"),
    )
    return {
        "signup_path": signup_path(upcoming),
        "upcoming_dates": upcoming.count(),
        "upcoming_bookings": upcoming_bookings.count(),
        "bookings_made": made,
        "participants_made": participants,
    }
