"""The `personal-data` command: every table a data-subject request searches
(issue 7), topped up to the same number of rows."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from bench.seed.catalogue import bookings_create, course_dates_create
from bench.seed.mails import MAIL_KINDS, insert_mails, mail_row, mails
from bench.seed.people import SEED, FixedPerson, People, moment_between
from bench.seed.writer import insert

INQUIRY_MESSAGE = (
    "Hei! Vi er en gruppe på {n} fra arbeidsplassen vår som kunne tenke oss et kurs "
    "i glasoterapi i løpet av våren. Har dere ledige datoer, og kan dere komme til "
    "oss? Hilsen {name}"
)


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
