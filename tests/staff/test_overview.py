"""The staff overview (issue 14, "what to build" 1, a first part): what needs doing
today, per group, one query per panel whatever the amount of data."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contact.models import Inquiry
from core.jobs import job_succeeded
from core.norwegian import moment
from courses.customers import CUSTOMERS_JOB
from courses.models import Booking
from privacy.services.retention import RETENTION_JOB
from tests.conftest import login_with_second_factor
from tests.courses.test_catalogue import text

OVERVIEW = reverse("admin:staff_overview")


def test_the_admin_index_links_to_the_overview(staff_client):
    assert OVERVIEW in staff_client.get(reverse("admin:index")).content.decode()


def test_kurs_sees_upcoming_dates_and_bookings_to_invoice(
    staff_client, course_factory, course_date_factory, booking_factory
):
    upcoming = course_date_factory(
        course=course_factory(title="Grunnkurs", is_published=False), capacity=2
    )
    booking_factory(upcoming, seats=2, email="a@example.no")
    booking_factory(upcoming, seats=1, email="b@example.no")
    held = course_date_factory(course=course_factory(title="Holdt kurs"), days=-3)
    to_invoice = booking_factory(
        held, email="c@example.no", now=timezone.now() - timedelta(days=10)
    )

    page = text(staff_client.get(OVERVIEW))

    assert "Kommende kursdatoer" in page
    assert "Grunnkurs" in page
    assert "2 av 2 plasser tatt, 0 ledige, 1 på venteliste" in page
    assert "Ikke publisert" in page  # a draft's date is still staff's to run
    assert "Ikke fakturert etter kurset" in page
    assert f"Påmelding {to_invoice.pk}" in page
    assert "Henvendelser" not in page  # Salg's panel


def test_salg_sees_open_inquiries_with_their_age(client, staff_factory):
    user = staff_factory("selger", groups=["Salg"], first_name="Siri")
    Inquiry.objects.create(
        first_name="Åse",
        last_name="Ørjasæter",
        email="ase@example.no",
        message="Hei",
        created_at=timezone.now() - timedelta(days=3),
    )
    Inquiry.objects.create(
        first_name="Lukket",
        last_name="Sak",
        email="l@example.no",
        message="Hei",
        status=Inquiry.Status.CLOSED,
    )
    login_with_second_factor(client, user)

    page = text(client.get(OVERVIEW))

    assert "Åpne henvendelser" in page
    assert "Åse Ørjasæter" in page
    assert "3 dager" in page
    assert "Lukket Sak" not in page
    assert "Kommende kursdatoer" not in page


def test_the_overview_makes_the_same_queries_for_few_and_many_dates(
    admin_client, course_factory, course_date_factory, booking_factory
):
    def add(number: int) -> None:
        for n in range(number):
            course_date = course_date_factory(course=course_factory())
            booking_factory(course_date, email=f"{n}.{course_date.pk}@example.no")
            held = course_date_factory(course=course_date.course, days=-2)
            booking_factory(
                held,
                email=f"h{n}.{held.pk}@example.no",
                now=timezone.now() - timedelta(days=5),
            )
            Inquiry.objects.create(
                first_name="A", last_name=str(n), email=f"{n}@x.no", message="Hei"
            )

    add(2)
    admin_client.get(OVERVIEW)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(OVERVIEW)
    add(12)
    with CaptureQueriesContext(connection) as many:
        admin_client.get(OVERVIEW)

    assert len(many) == len(few)


def test_a_course_date_has_one_page_with_its_bookings_waitlist_and_mails(
    staff_client, course_factory, course_date_factory, booking_factory
):
    course_date = course_date_factory(
        course=course_factory(title="Grunnkurs"), capacity=2
    )
    seated = booking_factory(course_date, seats=2, email="a@example.no")
    waiting = booking_factory(
        course_date, email="b@example.no", first_name="Per", company=""
    )
    Booking.objects.filter(pk=seated.pk).update(invoiced_at=timezone.now())
    url = reverse("admin:courses_coursedate_overview", args=[course_date.pk])

    response = staff_client.get(url)
    page = text(response)

    assert response.status_code == 200
    assert "2 av 2 plasser tatt, 0 ledige, 1 på venteliste" in page
    confirmed, waitlist = page.split("Venteliste (1 påmelding)")
    assert f"Påmelding {seated.pk}" in confirmed
    assert "Deltaker0 Nordmann, Deltaker1 Nordmann" in confirmed
    assert f"Påmelding {waiting.pk}" in waitlist
    assert "Per Nordmann" in waitlist
    assert "E-post om kursdatoen" in page
    assert "Bekreftet påmelding: 1 i kø" in page
    # The actions run on the booking list, filtered to this date.
    html = response.content.decode()
    assert f'action="{reverse("admin:courses_booking_changelist")}' in html
    for action in ("promote", "cancel_bookings", "mark_invoiced", "export_csv"):
        assert f'value="{action}"' in html
    assert (
        url
        in staff_client.get(
            reverse("admin:courses_coursedate_changelist")
        ).content.decode()
    )


def test_personvern_sees_when_each_scheduled_job_last_succeeded(client, staff_factory):
    """Issue 15: each job's last success is shown on the staff overview."""
    login_with_second_factor(client, staff_factory("pia", groups=["Personvern"]))
    now = timezone.now()
    job_succeeded(name=RETENTION_JOB, at=now - timedelta(hours=2))
    job_succeeded(name=CUSTOMERS_JOB, at=now - timedelta(hours=30))

    page = text(client.get(OVERVIEW))

    assert "Planlagte jobber" in page
    two_hours_ago = moment(now - timedelta(hours=2))
    assert f"Sletting etter lagringstid (hver natt) {two_hours_ago} I orden" in page
    assert "Kunder til nyhetsbrevet (hver natt)" in page
    assert "Ikke fullført innen 26 timer" in page
    assert "Utsending av e-post Aldri Ikke tatt i bruk" in page


def test_kurs_does_not_see_the_jobs(staff_client):
    assert "Planlagte jobber" not in text(staff_client.get(OVERVIEW))


def test_mail_that_does_not_get_through_is_not_called_unused(client, staff_factory):
    """Found with the mail server refusing: 8 mails waited 40 minutes and the
    worker exited non-zero, /helse/ said "degraded", and the overview said
    "Utsending av e-post Aldri Ikke tatt i bruk"."""
    from outbox.models import OutgoingEmail

    login_with_second_factor(client, staff_factory("pia", groups=["Personvern"]))
    waiting = OutgoingEmail.objects.create(
        kind="test",
        to="kari@example.no",
        subject="Hei",
        body_text="Hei",
        next_attempt_at=timezone.now(),
    )
    OutgoingEmail.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - timedelta(minutes=40)
    )

    page = text(client.get(OVERVIEW))

    assert "Utsending av e-post Aldri Ikke tatt i bruk" not in page
    assert "Utsending av e-post Aldri E-post har ventet i 40 minutter" in page
