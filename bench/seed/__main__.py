"""The command line of `python -m bench.seed` (what it does: bench/seed/__init__.py)."""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from bench.seed.mails import (
    MAIL_KINDS,
    insert_mails,
    mail_row,
    mails,
    seed_expired_mail,
)
from bench.seed.people import SEED, FixedPerson, People, moment_between
from bench.seed.writer import (
    CHUNK,
    Inserter,
    analyze_written_tables,
    insert,
    tune_connection,
)

COMPANY_KINDS = ["AS", "Helse", "Klinikk"]
PLACES = [
    ("Storgata 1", "0155", "Oslo"),
    ("Bryggen 5", "5003", "Bergen"),
    ("Kongens gate 10", "7011", "Trondheim"),
    ("Torget 3", "4006", "Stavanger"),
    ("Storgata 40", "9008", "Tromsø"),
]
INQUIRY_MESSAGE = (
    "Hei! Vi er en gruppe på {n} fra arbeidsplassen vår som kunne tenke oss et kurs "
    "i glasoterapi i løpet av våren. Har dere ledige datoer, og kan dere komme til "
    "oss? Hilsen {name}"
)


# ------------------------------------------------------------------------------
# Courses: upcoming dates and their bookings (issue 5)
# ------------------------------------------------------------------------------
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
        "upcoming_dates": upcoming.count(),
        "upcoming_bookings": upcoming_bookings.count(),
        "bookings_made": made,
        "participants_made": participants,
    }


# ------------------------------------------------------------------------------
# Personal data: every table a data-subject request searches (issue 7)
# ------------------------------------------------------------------------------
def personal_data_models():
    from contact.models import Inquiry
    from courses.models import Booking, Participant
    from newsletter.models import Subscriber
    from outbox.models import OutgoingEmail
    from privacy.models import ConsentRecord

    return [Inquiry, Booking, Participant, Subscriber, ConsentRecord, OutgoingEmail]


def seed_personal_data(*, rows: int, target: str) -> dict:
    """Top up each personal-data table to `rows` rows, none of them expired, with a
    few records of `target` in each."""
    from contact.models import Inquiry
    from newsletter.models import Subscriber
    from outbox.models import OutgoingEmail
    from privacy.models import ConsentRecord
    from privacy.registry import normalise_email

    target = normalise_email(target)
    rng = random.Random(SEED + rows)
    people = People(rng, prefix="p")
    made = {"target": seed_target_person(rng, target)}
    made["inquiries"] = insert(
        Inquiry, inquiries(rng, people, rows - Inquiry.objects.count())
    )
    made["bookings"], made["participants"] = seed_past_bookings(rng, people, rows=rows)
    made["subscribers"] = insert(
        Subscriber, subscribers(rng, people, rows - Subscriber.objects.count())
    )
    made["consent_records"] = insert(
        ConsentRecord,
        consent_records(rng, people, rows - ConsentRecord.objects.count()),
    )
    made["mails"] = insert_mails(
        mails(rng, people, rows - OutgoingEmail.objects.count(), expired=False),
        expired=False,
    )
    made["totals"] = {
        model._meta.label: model.objects.count() for model in personal_data_models()
    }
    return made


def seed_past_bookings(rng: random.Random, people: People, *, rows: int):
    """Bookings of dates in the last months, most invoiced, up to `rows`: a site
    that has run courses for a year. One participant each, so that participants
    too number about `rows`."""
    from django.conf import settings

    from courses.models import Booking

    missing = rows - Booking.objects.count()
    if missing <= 0:
        return 0, 0
    days = int(settings.COURSES_PARTICIPANT_RETENTION_DAYS)
    past_dates = course_dates_create(
        rng, count=300, first_day=-(days * 4 // 5), last_day=-1
    )
    return bookings_create(
        rng,
        past_dates,
        count=missing,
        people=people,
        invoiced=True,
        seat_choices=(1,),
    )


def inquiries(rng: random.Random, people: People, count: int):
    from django.conf import settings
    from django.utils import timezone

    from contact.models import Inquiry

    now = timezone.now()
    keep_days = int(settings.CONTACT_RETENTION_DAYS)
    for _ in range(max(count, 0)):
        first, last, email = people.next()
        closed = rng.random() < 0.7
        closed_at = moment_between(rng, now, keep_days * 0.9) if closed else None
        created_at = (closed_at or now) - timedelta(days=rng.uniform(1, 30))
        yield {
            "first_name": first,
            "last_name": last,
            "email": email,
            "phone": f"+47{rng.randint(40_000_000, 99_999_999)}",
            "company": f"{last} AS" if rng.random() < 0.5 else "",
            "message": INQUIRY_MESSAGE.format(n=rng.randint(3, 15), name=first),
            "status": Inquiry.Status.CLOSED if closed else Inquiry.Status.ANSWERED,
            "created_at": created_at,
            "updated_at": closed_at or created_at,
            "closed_at": closed_at,
        }


def subscribers(rng: random.Random, people: People, count: int):
    from django.conf import settings
    from django.utils import timezone

    from newsletter.models import Subscriber

    now = timezone.now()
    pending_days = int(settings.NEWSLETTER_PENDING_RETENTION_DAYS)
    for _ in range(max(count, 0)):
        first, last, email = people.next()
        kind = rng.random()
        if kind < 0.1:  # waiting for the confirmation mail, not yet expired
            created_at = moment_between(rng, now, pending_days * 0.6)
            status, basis, confirmed_at = Subscriber.Status.PENDING, "consent", None
        else:
            created_at = moment_between(rng, now, 3 * 365)
            status = Subscriber.Status.ACTIVE
            basis = "consent" if kind < 0.7 else "customer"
            confirmed_at = created_at + timedelta(minutes=rng.uniform(1, 600))
        yield {
            "name": f"{first} {last}",
            "email": email,
            "status": status,
            "basis": basis,
            "source": Subscriber.Source.NEWSLETTER_PAGE
            if basis == "consent"
            else Subscriber.Source.COURSE_SIGNUP,
            "consent_text_version": "2026-11" if basis == "consent" else "",
            "created_at": created_at,
            "confirmation_sent_at": created_at,
            "confirmed_at": confirmed_at,
            "restricted_at": None,
        }


def consent_records(rng: random.Random, people: People, count: int):
    """Mostly cookie choices (a random id each), some newsletter consents (keyed by
    the address's keyed hash)."""
    from django.conf import settings
    from django.utils import timezone

    from privacy.models import ConsentRecord
    from privacy.registry import email_key

    now = timezone.now()
    keep_days = int(settings.PRIVACY_CONSENT_RECORD_RETENTION_DAYS)
    for _ in range(max(count, 0)):
        created_at = moment_between(rng, now, keep_days * 0.9)
        row = {
            "consent_id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "created_at": created_at,
            "requested_at": None,
            "subject_key": "",
        }
        if rng.random() < 0.15:
            _, _, email = people.next()
            row |= {
                "purpose": ConsentRecord.Purpose.NEWSLETTER,
                "action": ConsentRecord.Action.GIVEN,
                "categories": [],
                "revision": "2026-11",
                "source": "newsletter_page",
                "subject_key": email_key(email),
                "requested_at": created_at - timedelta(minutes=5),
            }
        else:
            given = rng.random() < 0.5
            row |= {
                "purpose": ConsentRecord.Purpose.COOKIES,
                "action": ConsentRecord.Action.GIVEN
                if given
                else ConsentRecord.Action.REFUSED,
                "categories": ["statistics"] if given else [],
                "revision": f"{rng.getrandbits(48):012x}",
                "source": "banner",
            }
        yield row


def seed_target_person(rng: random.Random, target: str) -> int:
    """A few records of the one person whose data is exported, in every table
    (idempotent: nothing is added once the person has a subscription)."""
    from django.utils import timezone

    from contact.models import Inquiry
    from courses.models import CourseDate
    from newsletter.models import Subscriber
    from privacy.models import ConsentRecord
    from privacy.registry import email_key

    if Subscriber.objects.filter(email=target).exists():
        return 0
    now = timezone.now()
    inquiry_rows, consent_rows, mail_rows = [], [], []
    for number in range(3):
        inquiry_rows.append(
            {
                "first_name": "Kari",
                "last_name": "Nordmann",
                "email": target,
                "phone": "+4791234567",
                "message": INQUIRY_MESSAGE.format(n=4 + number, name="Kari"),
                "status": Inquiry.Status.CLOSED if number else Inquiry.Status.NEW,
                "created_at": now - timedelta(days=40 * (number + 1)),
                "closed_at": now - timedelta(days=30 * number) if number else None,
            }
        )
        consent_rows.append(
            {
                "consent_id": uuid.UUID(int=rng.getrandbits(128), version=4),
                "purpose": ConsentRecord.Purpose.NEWSLETTER,
                "action": ConsentRecord.Action.GIVEN,
                "revision": "2026-11",
                "source": "newsletter_page",
                "subject_key": email_key(target),
                "created_at": now - timedelta(days=100 * (number + 1)),
            }
        )
        kind, subject = MAIL_KINDS[number]
        mail_rows.append(
            mail_row(kind, subject, target, "Kari", now - timedelta(days=number + 1))
        )
    made = insert(Inquiry, inquiry_rows)
    made += insert(ConsentRecord, consent_rows)
    made += insert_mails(mail_rows, expired=False)
    made += insert(
        Subscriber,
        [
            {
                "name": "Kari Nordmann",
                "email": target,
                "status": Subscriber.Status.ACTIVE,
                "basis": Subscriber.Basis.CONSENT,
                "source": Subscriber.Source.NEWSLETTER_PAGE,
                "consent_text_version": "2026-11",
                "created_at": now - timedelta(days=100),
                "confirmed_at": now - timedelta(days=100),
            }
        ],
    )
    dates = list(CourseDate.objects.select_related("course").order_by("pk")[:3])
    bookings, participants = bookings_create(
        rng, dates, count=3, people=FixedPerson(target)
    )
    return made + bookings + participants


# ------------------------------------------------------------------------------
# Command line
# ------------------------------------------------------------------------------
def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.seed")
    commands = parser.add_subparsers(dest="command", required=True)
    courses = commands.add_parser("courses")
    courses.add_argument("--dates", type=int, required=True)
    courses.add_argument("--bookings", type=int, required=True)
    personal = commands.add_parser("personal-data")
    personal.add_argument("--rows", type=int, required=True)
    personal.add_argument("--target", required=True)
    expired = commands.add_parser("expired-mail")
    expired.add_argument("--rows", type=int, required=True)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    arguments = parse(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glasoterapi.settings")
    import django

    django.setup()
    tune_connection()
    started = time.monotonic()
    if arguments.command == "courses":
        made = seed_courses(dates=arguments.dates, bookings=arguments.bookings)
    elif arguments.command == "personal-data":
        made = seed_personal_data(rows=arguments.rows, target=arguments.target)
    else:
        made = seed_expired_mail(rows=arguments.rows)
    analyze_written_tables()
    made["seconds"] = round(time.monotonic() - started, 2)
    print(json.dumps(made))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
