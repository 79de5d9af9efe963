"""Demo content for `manage.py seed_demo`: a living catalogue with one date that has
free seats, one that is full with a waitlist, and one online.

Idempotent: a course is created once, and gets its demo dates only while it has no
upcoming date (so a demo database from months ago comes back to life, and a second
run the same day changes nothing). Demo bookings are written directly, without
e-mail; everyone in them is at example.no.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from courses.forms import NEWSLETTER_NOTICE_VERSION
from courses.models import Booking, Course, CourseDate, Participant
from pages.demo import demo_image
from pages.models import Person

COURSES = [
    {
        "slug": "grunnkurs-i-glasoterapi",
        "title": "Grunnkurs i glasoterapi",
        "summary": "To praktiske dager med grunnleggende teknikker, verktøy og "
        "sikkerhet. For deg som vil i gang.",
        "description": "Vi går gjennom materialer, verktøy og sikker bruk, og du "
        "prøver teknikkene selv under veiledning.\n\nKurset passer for nybegynnere "
        "og for fagfolk som vil friske opp det grunnleggende. Lunsj er inkludert.",
        "price": Decimal(4500),
        "price_includes_vat": True,
        "teacher": "Ingrid Solberg",
        "image": ("Glassbiter i blått og turkis lagt ut på et arbeidsbord", 11),
        "audience": "Nybegynnere, og fagfolk som vil friske opp det grunnleggende. "
        "Du trenger ingen forkunnskaper.",
        "programme": "**Dag 1**\n\n- 09.00 Velkommen, materialer og verktøy\n"
        "- 10.30 Sikker bruk av glass\n- 12.00 Lunsj\n- 13.00 Øvelser i små "
        "grupper\n\n**Dag 2**\n\n- 09.00 Teknikkene trinn for trinn\n- 12.00 "
        "Lunsj\n- 13.00 Egen oppgave med veiledning, og oppsummering",
        "what_to_bring": "Klær som tåler litt støv, og innesko. Verneutstyr og "
        "materialer får du av oss.",
        "dates": [
            # Free seats: 12 seats, 5 taken.
            {
                "days": 21,
                "start": time(9),
                "end": time(15),
                "days_long": 1,
                "place": "Storgata 1, 0155 Oslo",
                "capacity": 12,
                "taken": [3, 2],
            },
            {
                "days": 70,
                "start": time(9),
                "end": time(15),
                "days_long": 1,
                "place": "Bryggen 5, 5003 Bergen",
                "capacity": 12,
                "taken": [],
            },
        ],
    },
    {
        "slug": "seminar-glass-pa-arbeidsplassen",
        "title": "Seminar: glass på arbeidsplassen",
        "summary": "Et halvdagsseminar for ledere og verneombud om trygg og god bruk "
        "av glass i arbeidsmiljøet.",
        "description": "Foredrag og samtale om erfaringer fra norske arbeidsplasser, "
        "med god tid til spørsmål.",
        "price": Decimal(2900),
        "price_includes_vat": False,
        "teacher": "Martin Aas",
        "image": ("Lyse og mørke glassflater i lilla og sand", 12),
        "audience": "Ledere, verneombud og HMS-ansvarlige.",
        "programme": "- 12.00 Hva sier regelverket?\n- 13.00 Erfaringer fra norske "
        "arbeidsplasser\n- 14.30 Samtale og spørsmål\n- 16.00 Slutt",
        "what_to_bring": "Gjerne et eksempel fra din egen arbeidsplass.",
        "dates": [
            # Full, with two bookings waiting.
            {
                "days": 35,
                "start": time(12),
                "end": time(16),
                "days_long": 0,
                "place": "Kongens gate 10, 7011 Trondheim",
                "capacity": 8,
                "taken": [4, 4],
                "waiting": [2, 1],
            },
        ],
    },
    {
        "slug": "nettkurs-introduksjon",
        "title": "Nettkurs: introduksjon til glasoterapi",
        "summary": "Tre timer på nett: hva glasoterapi er, og hvordan du kommer i "
        "gang. Lenken kommer på e-post.",
        "description": "Et kort, nettbasert kurs med demonstrasjoner og spørsmål "
        "underveis. Du trenger bare en nettleser.",
        "price": Decimal(1200),
        "price_includes_vat": True,
        "teacher": "Ingrid Solberg",
        "audience": "Alle som er nysgjerrige på glasoterapi.",
        "what_to_bring": "En datamaskin eller et nettbrett med nettleser og lyd.",
        "dates": [
            {
                "days": 14,
                "start": time(18),
                "end": time(21),
                "days_long": 0,
                "place": "",
                "online": True,
                "capacity": 40,
                "taken": [1, 1, 3],
            },
        ],
    },
]

FIRST_NAMES = ["Kari", "Ola", "Åse", "Bjørn", "Ingrid", "Håkon", "Siri", "Øyvind"]
LAST_NAMES = ["Nordmann", "Hansen", "Ødegård", "Berg", "Dahl", "Løkken"]


def seed_demo() -> str:
    now = timezone.now()
    created = 0
    with transaction.atomic():
        for spec in COURSES:
            course, _ = Course.objects.get_or_create(
                slug=spec["slug"],
                defaults={
                    "is_published": True,
                    **{
                        key: spec[key]
                        for key in (
                            "title",
                            "summary",
                            "description",
                            "price",
                            "price_includes_vat",
                        )
                    },
                },
            )
            course_content_seed(course, spec)
            if course.dates.filter(starts_at__gt=now).exists():
                continue
            for date_spec in spec["dates"]:
                seed_date(course, date_spec, now=now)
                created += 1
    total = CourseDate.objects.filter(starts_at__gt=now).count()
    return f"{created} nye kursdatoer, {total} kommende i alt."


def course_content_seed(course: Course, spec: dict) -> None:
    """The course page's texts, teacher and image, once (staff may change them)."""
    if course.programme or course.audience or course.what_to_bring:
        return
    course.audience = spec.get("audience", "")
    course.programme = spec.get("programme", "")
    course.what_to_bring = spec.get("what_to_bring", "")
    course.teacher = Person.objects.filter(name=spec.get("teacher")).first()
    if "image" in spec:
        alt, seed = spec["image"]
        course.image = demo_image(
            alt, size=(1600, 900), colours=((40, 70, 120), (200, 230, 235)), seed=seed
        )
    course.save()


def seed_date(course: Course, spec: dict, *, now: datetime) -> None:
    day = timezone.localdate(now) + timedelta(days=spec["days"])
    zone = timezone.get_current_timezone()
    starts_at = datetime.combine(day, spec["start"], tzinfo=zone)
    ends_at = datetime.combine(
        day + timedelta(days=spec["days_long"]), spec["end"], tzinfo=zone
    )
    course_date = CourseDate.objects.create(
        course=course,
        starts_at=starts_at,
        ends_at=ends_at,
        is_online=spec.get("online", False),
        place=spec["place"],
        capacity=spec["capacity"],
        signup_deadline=starts_at - timedelta(days=2),
        cancellation_deadline=starts_at - timedelta(days=7),
    )
    for index, seats in enumerate(spec["taken"]):
        seed_booking(course_date, seats, Booking.Status.CONFIRMED, index, now=now)
    for index, seats in enumerate(spec.get("waiting", [])):
        seed_booking(course_date, seats, Booking.Status.WAITLISTED, 10 + index, now=now)


def seed_booking(
    course_date: CourseDate, seats: int, status: str, index: int, *, now: datetime
) -> None:
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    last = LAST_NAMES[index % len(LAST_NAMES)]
    email = f"demo.{course_date.pk}.{index}@example.no"
    course = course_date.course
    booking = Booking.objects.create(
        course_date=course_date,
        status=status,
        seats=seats,
        first_name=first,
        last_name=last,
        email=email,
        company="Demo AS",
        invoice_name="Demo AS",
        invoice_street="Eksempelveien 1",
        invoice_postcode="0150",
        invoice_place="Oslo",
        invoice_method=Booking.InvoiceMethod.EMAIL,
        invoice_email=email,
        unit_price=course.price,
        price_includes_vat=course.price_includes_vat,
        vat_rate=course.vat_rate,
        newsletter_notice_version=NEWSLETTER_NOTICE_VERSION,
        created_at=now - timedelta(hours=48 - index),
        confirmed_at=now if status == Booking.Status.CONFIRMED else None,
    )
    Participant.objects.bulk_create(
        Participant(
            booking=booking,
            first_name=FIRST_NAMES[(index + n) % len(FIRST_NAMES)],
            last_name=last,
            email=f"demo.{booking.pk}.{n}@example.no",
        )
        for n in range(seats)
    )
