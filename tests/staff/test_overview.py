"""The staff overview (issue 14, "what to build" 1, a first part): what needs doing
today, per group, one query per panel whatever the amount of data."""

import re
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from contact.models import Inquiry
from core.jobs import job_failed, job_succeeded
from core.norwegian import moment
from courses.customers import CUSTOMERS_JOB
from courses.models import Booking, Course, CourseDate
from glasoterapi.backup import BACKUP_JOB
from privacy.models import DataSubjectRequest
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


def add_overview_data(number: int) -> None:
    """`number` coming dates with a booking, as many held dates with an invoiced
    and an uninvoiced booking, open inquiries and requests due: each panel's data
    grows with `number`. Saved in bulk, so that 200 takes seconds."""
    now = timezone.now()
    start = Course.objects.count()
    courses = Course.objects.bulk_create(
        Course(
            title=f"Kurs {n}",
            slug=f"kurs-{n}",
            summary="Kort.",
            description="Lang.",
            price=Decimal(1000 + n),
            is_published=True,
        )
        for n in range(start, start + number)
    )
    dates = CourseDate.objects.bulk_create(
        CourseDate(
            course=course,
            starts_at=now + timedelta(days=days),
            ends_at=now + timedelta(days=days, hours=6),
            capacity=10,
        )
        for course in courses
        for days in (30, -2)
    )
    Booking.objects.bulk_create(
        Booking(
            course_date=course_date,
            status=Booking.Status.CONFIRMED,
            seats=2,
            first_name="A",
            last_name=str(index),
            email=f"{index}.{course_date.pk}@example.no",
            invoice_name="Firma AS",
            invoice_method=Booking.InvoiceMethod.EMAIL,
            unit_price=course_date.course.price,
            price_includes_vat=True,
            vat_rate=Decimal(25),
            newsletter_notice_version="1",
            created_at=now - timedelta(days=10),
            invoiced_at=now if index == 0 else None,
        )
        for course_date in dates
        for index in range(2)
    )
    Inquiry.objects.bulk_create(
        Inquiry(first_name="A", last_name=str(n), email=f"{n}@x.no", message="Hei")
        for n in range(start, start + number)
    )
    DataSubjectRequest.objects.bulk_create(
        DataSubjectRequest(
            kind=DataSubjectRequest.Kind.ACCESS,
            channel=DataSubjectRequest.Channel.SELF_SERVICE,
            subject_key=f"key-{n}",
            due_at=now + timedelta(days=n % 10 - 3),
        )
        for n in range(start, start + number)
    )


def test_the_overview_makes_the_same_queries_for_10_and_200_dates(admin_client):
    add_overview_data(10)
    admin_client.get(OVERVIEW)
    with CaptureQueriesContext(connection) as few:
        page = admin_client.get(OVERVIEW)
    add_overview_data(190)
    with CaptureQueriesContext(connection) as many:
        admin_client.get(OVERVIEW)

    # Every panel is on the page, so every panel's query is counted.
    for heading in ("Kommende kursdatoer", "Ikke fakturert", "Åpne henvendelser"):
        assert heading in text(page)
    assert "Omsetning" in text(page)
    assert "Personvern: frister som nærmer seg" in text(page)
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
    actions = (
        "promote",
        "cancel_bookings",
        "mark_invoiced",
        "export_csv",
        "export_tripletex",
    )
    for action in actions:
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
    job_failed(name=BACKUP_JOB, at=now - timedelta(hours=1))

    page = text(client.get(OVERVIEW))

    assert "Planlagte jobber" in page
    two_hours_ago = moment(now - timedelta(hours=2))
    assert f"Sletting etter lagringstid (hver natt) {two_hours_ago} I orden" in page
    assert "Kunder til nyhetsbrevet (hver natt)" in page
    assert "Ikke fullført innen 26 timer" in page
    assert "Utsending av e-post Aldri Ikke tatt i bruk" in page
    failed = moment(now - timedelta(hours=1))
    backup_row = page[page.index("Sikkerhetskopi av databasen") :]
    assert backup_row.startswith(
        "Sikkerhetskopi av databasen (hver natt) Aldri Ikke fullført innen 26 timer"
    )
    assert f"siste forsøk feilet {failed}" in backup_row[:120]


def test_kurs_does_not_see_the_jobs(staff_client):
    assert "Planlagte jobber" not in text(staff_client.get(OVERVIEW))


def invoice(booking, *, at=None) -> None:
    Booking.objects.filter(pk=booking.pk).update(invoiced_at=at or timezone.now())


def test_kurs_sees_revenue_per_month_and_per_date_with_vat_to_the_ore(
    staff_client, course_factory, course_date_factory, booking_factory
):
    course = course_factory(
        title="Glass og lys", price=Decimal("999.99"), price_includes_vat=True
    )
    held = course_date_factory(course=course, days=-3)
    earlier = timezone.now() - timedelta(days=10)
    # 3 × 999,99 = 2 999,97 kr with VAT: 2 399,98 without, 599,99 VAT.
    invoice(booking_factory(held, seats=3, email="a@example.no", now=earlier))
    invoice(booking_factory(held, seats=1, email="b@example.no", now=earlier))
    booking_factory(held, seats=1, email="c@example.no", now=earlier)  # not invoiced
    cancelled = booking_factory(held, seats=2, email="d@example.no", now=earlier)
    invoice(cancelled)
    Booking.objects.filter(pk=cancelled.pk).update(status=Booking.Status.CANCELLED)
    long_ago = course_date_factory(course=course, days=-400)
    invoice(
        booking_factory(
            long_ago, email="e@example.no", now=timezone.now() - timedelta(days=410)
        )
    )

    response = staff_client.get(OVERVIEW)
    page = text(response)
    html = response.content.decode()

    # 4 × 999,99 = 3 999,96 kr: 3 199,97 without VAT (2 399,98 + 799,99).
    month = date_format(timezone.localdate(held.starts_at), "F Y")
    assert f"{month} 2 kr 3 199,97 kr 799,99 kr 3 999,96" in page
    assert "Sum 2 kr 3 199,97 kr 799,99 kr 3 999,96" in page
    assert "Glass og lys" in page
    per_date = r"Glass og lys, [\d.]+ kl\. [\d.]+ 2 kr 3 199,97 kr 3 999,96"
    assert re.search(per_date, page)
    assert "merket som fakturert, regnet i måneden kurset holdes" in page
    assert "avbestilt etter at den ble fakturert, er ikke med" in page
    # The chart: an image with a title and a description, and the bar's numbers
    # where a pointer or a screen reader finds them.
    chart = html.index('<svg class="revenue-chart"')
    svg = html[chart : html.index("</svg>", chart)]
    assert 'role="img"' in svg
    assert '<title id="omsetning-diagram">' in svg
    assert "<desc" in svg
    assert f"{month}: kr 3 199,97 ekskl. mva, kr 3 999,96 inkl. mva" in svg
    assert "style=" not in svg  # the CSP allows no style attributes
    assert "<script" not in html[html.index("staff-overview") :]


def test_revenue_bars_are_to_scale_with_vat_on_top(
    staff_client, course_factory, course_date_factory, booking_factory
):
    held = course_date_factory(
        course=course_factory(price=Decimal(1250), price_includes_vat=True), days=-3
    )
    earlier = timezone.now() - timedelta(days=10)
    invoice(booking_factory(held, email="a@example.no", now=earlier))

    html = staff_client.get(OVERVIEW).content.decode()

    # The only month with revenue is the tallest bar: 1 000 kr of 1 250 kr
    # without VAT (128 of 160 px), 250 kr VAT on top (32 px).
    assert 'y="32.0" width="28" height="128.0"' in html
    assert 'y="0.0" width="28" height="32.0"' in html


def test_revenue_is_only_for_those_who_invoice(client, staff_factory):
    login_with_second_factor(client, staff_factory("selger", groups=["Salg"]))

    assert "Omsetning" not in text(client.get(OVERVIEW))


def test_personvern_sees_requests_near_or_past_their_deadline_with_links(
    client, staff_factory
):
    now = timezone.now()

    def request(days: float, **fields) -> DataSubjectRequest:
        return DataSubjectRequest.objects.create(
            kind=DataSubjectRequest.Kind.ERASURE,
            channel=DataSubjectRequest.Channel.SELF_SERVICE,
            subject_key=f"key-{days}",
            email="person@example.no",
            due_at=now + timedelta(days=days),
            **fields,
        )

    overdue = request(-2)
    soon = request(3)
    later = request(20)
    closed = request(-5, status=DataSubjectRequest.Status.DONE)
    login_with_second_factor(client, staff_factory("personvern", groups=["Personvern"]))

    response = client.get(OVERVIEW)
    page = text(response)
    html = response.content.decode()

    assert "Personvern: frister som nærmer seg" in page
    for shown in (overdue, soon):
        url = reverse("admin:privacy_datasubjectrequest_change", args=[shown.pk])
        assert f'href="{url}"' in html
    for hidden in (later, closed):
        url = reverse("admin:privacy_datasubjectrequest_change", args=[hidden.pk])
        assert url not in html
    assert page.index(f"#{overdue.pk}") < page.index(f"#{soon.pk}")
    assert "forfalt for 2 dager" in page
    assert "om 2 dager" in page or "om 3 dager" in page
    assert "person@example.no" not in page  # nothing of the person
    assert "Omsetning" not in page
    assert "Kommende kursdatoer" not in page


def test_kurs_does_not_see_privacy_deadlines(staff_client):
    assert "Personvern: frister" not in text(staff_client.get(OVERVIEW))


def test_without_invoiced_bookings_the_revenue_panel_says_so_and_draws_nothing(
    staff_client, course_date_factory, booking_factory
):
    booking_factory(course_date_factory(), email="a@example.no")  # not invoiced

    response = staff_client.get(OVERVIEW)

    assert "Ingen fakturert omsetning i perioden." in text(response)
    assert 'class="revenue-chart"' not in response.content.decode()


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
