from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from courses import services
from courses.forms import NEWSLETTER_NOTICE_VERSION
from courses.models import Booking, Course, CourseDate
from outbox.models import OutgoingEmail
from tests.conftest import login_with_second_factor

VALID_ORGNR = "974760673"

CONTACT = {
    "first_name": "Åse",
    "last_name": "Ørjasæter",
    "email": "Ase.Orjasaeter@Example.NO",
    "company": "Glassverkstedet Bodø AS",
    "booker_attends": "on",
    "invoice_name": "Glassverkstedet Bodø AS",
    "orgnr": "974 760 673",
    "invoice_street": "Storgata 12",
    "invoice_postcode": "8006",
    "invoice_place": "Bodø",
    "invoice_method": "email",
    "invoice_email": "Faktura@Glassverkstedet.NO",
    "your_reference": "Prosjekt Ærfugl 42",
}


def management_form(rows: int) -> dict:
    return {
        "deltaker-TOTAL_FORMS": str(rows),
        "deltaker-INITIAL_FORMS": "0",
        "deltaker-MIN_NUM_FORMS": "0",
        "deltaker-MAX_NUM_FORMS": "100",
    }


def participant_rows(*people: tuple[str, str, str], blank: int = 1) -> dict:
    data = management_form(len(people) + blank)
    for index, (first, last, email) in enumerate(people):
        data[f"deltaker-{index}-first_name"] = first
        data[f"deltaker-{index}-last_name"] = last
        data[f"deltaker-{index}-email"] = email
    for index in range(len(people), len(people) + blank):
        for name in ("first_name", "last_name", "email"):
            data[f"deltaker-{index}-{name}"] = ""
    return data


@pytest.fixture
def signup_data():
    """Valid sign-up input as a browser sends it; `others` adds participant rows."""

    def make(*, others=(), **overrides) -> dict:
        data = {**CONTACT, **participant_rows(*others)}
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return make


@pytest.fixture
def course_factory(db):
    def make(**fields) -> Course:
        count = Course.objects.count()
        defaults = {
            "title": f"Grunnkurs i glasoterapi {count}",
            "slug": f"grunnkurs-{count}",
            "summary": "Praktisk innføring.",
            "description": "Første avsnitt.\n\nAndre avsnitt.",
            "price": Decimal(4500),
            "price_includes_vat": True,
            "vat_rate": Decimal(25),
            "is_published": True,
        }
        return Course.objects.create(**(defaults | fields))

    return make


@pytest.fixture
def course_date_factory(course_factory):
    def make(*, course=None, days: float = 30, hours: float = 6, **fields):
        starts_at = fields.pop("starts_at", None) or timezone.now() + timedelta(
            days=days
        )
        defaults = {
            "course": course or course_factory(),
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=hours),
            "place": "Storgata 1, 0155 Oslo",
            "capacity": 10,
        }
        return CourseDate.objects.create(**(defaults | fields))

    return make


@pytest.fixture
def course_date(course_date_factory):
    return course_date_factory()


def details(*, seats: int = 1, email: str = "kari@example.no", **fields):
    participants = tuple(
        services.ParticipantDetails(
            first_name=f"Deltaker{n}", last_name="Nordmann", email=f"d{n}.{email}"
        )
        for n in range(seats)
    )
    invoice = {
        "invoice_name": "Nordmann AS",
        "orgnr": VALID_ORGNR,
        "invoice_street": "Gata 1",
        "invoice_postcode": "0150",
        "invoice_place": "Oslo",
        "invoice_method": Booking.InvoiceMethod.EMAIL,
        "invoice_email": email,
        "your_reference": "",
    }
    defaults = {
        "first_name": "Kari",
        "last_name": "Nordmann",
        "email": email,
        "company": "Nordmann AS",
        "newsletter_declined": False,
        "newsletter_notice_version": NEWSLETTER_NOTICE_VERSION,
        "participants": participants,
    }
    # An invoice field given by name goes into the invoice.
    invoice |= {name: fields.pop(name) for name in list(fields) if name in invoice}
    return services.SignupDetails(
        **(defaults | fields), invoice=services.InvoiceDetails(**invoice)
    )


@pytest.fixture
def booking_factory(db):
    """A booking made through the service, as the form makes it (its mail is
    queued); confirmed when it fits, else waitlisted."""

    def make(course_date, *, seats: int = 1, now=None, **fields) -> Booking:
        return services.booking_create(
            course_date_id=course_date.pk,
            details=details(seats=seats, **fields),
            join_waitlist=True,
            now=now,
        )

    return make


@pytest.fixture
def staff_factory(db):
    def make(username: str, *, groups=(), **fields):
        user = get_user_model().objects.create_user(
            username=username, password="pw", is_staff=True, **fields
        )
        user.groups.set(Group.objects.filter(name__in=groups))
        return user

    return make


@pytest.fixture
def course_staff(staff_factory):
    return staff_factory("kursansvarlig", groups=["Kurs"], first_name="Kåre")


@pytest.fixture
def staff_client(client, course_staff):
    return login_with_second_factor(client, course_staff)


def mails(kind: str | None = None) -> list[OutgoingEmail]:
    queryset = OutgoingEmail.objects.order_by("pk")
    if kind:
        queryset = queryset.filter(kind=kind)
    return list(queryset)
