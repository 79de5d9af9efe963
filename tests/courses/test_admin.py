import csv
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import Booking, CourseDate
from privacy.models import AccessAudit
from tests.conftest import login_with_second_factor
from tests.courses.conftest import mails
from tests.courses.test_catalogue import text

OSLO = ZoneInfo("Europe/Oslo")
BOOKINGS = reverse("admin:courses_booking_changelist")
DATES = reverse("admin:courses_coursedate_changelist")


def participant_list_url(course_date) -> str:
    return reverse("admin:courses_coursedate_participants", args=[course_date.pk])


def run_action(client, url, action, objects, **extra):
    return client.post(
        url,
        {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects], **extra},
    )


def test_the_kurs_group_has_exactly_the_permissions_for_running_courses(db):
    group = Group.objects.get(name="Kurs")

    assert sorted(group.permissions.values_list("codename", flat=True)) == [
        "add_booking",
        "add_course",
        "add_coursedate",
        "add_coursedatemessage",
        "change_booking",
        "change_course",
        "change_coursedate",
        "change_participant",
        "view_booking",
        "view_course",
        "view_coursedate",
        "view_coursedatemessage",
        "view_participant",
    ]


def test_staff_outside_the_kurs_group_cannot_see_bookings(
    client, staff_factory, course_date, booking_factory
):
    booking_factory(course_date)
    login_with_second_factor(client, staff_factory("annen"))

    assert client.get(BOOKINGS).status_code == 403
    assert client.get(participant_list_url(course_date)).status_code == 403


def test_date_list_shows_seats_taken_free_and_waitlisted(
    staff_client, course_date_factory, booking_factory
):
    course_date = course_date_factory(capacity=4)
    booking_factory(course_date, seats=3, email="a@example.no")
    booking_factory(course_date, seats=2, email="b@example.no")

    response = staff_client.get(DATES)
    html = response.content.decode()

    assert response.status_code == 200
    assert '<td class="field-seats_taken">3</td>' in html
    assert '<td class="field-seats_free">1</td>' in html
    assert '<td class="field-seats_waitlisted">2 (1 påmelding)</td>' in html


def test_date_list_queries_do_not_grow_with_the_number_of_dates(
    staff_client, course_date_factory, course_factory, booking_factory
):
    booking_factory(course_date_factory(), email="a@example.no")
    staff_client.get(DATES)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(DATES)
    for index in range(10):
        booking_factory(
            course_date_factory(course=course_factory()), email=f"{index}@x.no"
        )
    with CaptureQueriesContext(connection) as many:
        staff_client.get(DATES)

    assert len(many) == len(few)


def test_course_page_shows_its_dates_inline_with_seat_counts(
    staff_client, course_date_factory, booking_factory
):
    course_date = course_date_factory(capacity=5)
    booking_factory(course_date, seats=2)

    response = staff_client.get(
        reverse("admin:courses_course_change", args=[course_date.course.pk])
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert 'name="dates-0-capacity" value="5"' in html
    assert re.search(r'<td class="field-seats_free">\s*<p>3</p>', html)


def test_cancelling_a_date_asks_first_then_cancels_and_emails_everyone(
    staff_client, course_date_factory, booking_factory
):
    course_date = course_date_factory(capacity=1)
    booking_factory(course_date, email="a@example.no")
    booking_factory(course_date, email="b@example.no")

    asked = run_action(staff_client, DATES, "cancel_dates", [course_date])

    assert "Avlyse kursdatoene?" in text(asked)
    course_date.refresh_from_db()
    assert course_date.cancelled_at is None
    assert mails("courses_course_date_cancelled") == []

    response = run_action(
        staff_client, DATES, "cancel_dates", [course_date], confirm="yes"
    )

    assert response.status_code == 302
    course_date.refresh_from_db()
    assert course_date.cancelled_at is not None
    assert set(Booking.objects.values_list("status", flat=True)) == {"cancelled"}
    assert len(mails("courses_course_date_cancelled")) == 2
    told = text(staff_client.get(response["Location"]))
    assert (
        "1 kursdato er avlyst; 2 påmeldinger er avbestilt, og 2 e-poster er lagt "
        "i kø for sending." in told
    )


def test_participant_list_is_printable_and_lists_participants_and_the_waitlist(
    staff_client, course_factory, course_date_factory, booking_factory
):
    course = course_factory(title="Grunnkurs på Ørlandet")
    course_date = course_date_factory(
        course=course, capacity=2, starts_at=datetime(2031, 5, 6, 9, tzinfo=OSLO)
    )
    booking_factory(
        course_date, seats=2, email="aase@example.no", company="Glassblåseriet Æra"
    )
    booking_factory(course_date, seats=1, email="venter@example.no")

    response = staff_client.get(participant_list_url(course_date))
    page = text(response)

    assert response.status_code == 200
    assert "Deltakerliste" in page
    assert "Grunnkurs på Ørlandet" in page
    assert "tirsdag 6. mai 2031 kl. 09.00–15.00" in page
    assert "2 av 2 plasser tatt, 1 på venteliste" in page
    assert "Deltaker0 Nordmann Glassblåseriet Æra d0.aase@example.no" in page
    assert "Deltaker1 Nordmann" in page
    waitlist = page.split("Venteliste")[1]
    assert "d0.venter@example.no" in waitlist
    assert "participant-list.css" in response.content.decode()
    audit = AccessAudit.objects.get()
    assert audit.rows == 3
    assert audit.what.startswith("Deltakerliste for Grunnkurs på Ørlandet")


def test_participant_list_needs_a_staff_login(client, course_date):
    response = client.get(participant_list_url(course_date))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_moving_from_the_waitlist_confirms_a_booking_that_fits_and_emails_it(
    staff_client, course_date_factory, booking_factory
):
    course_date = course_date_factory(capacity=1)
    booking_factory(course_date, seats=1, email="a@example.no")
    too_big = booking_factory(course_date, seats=2, email="big@example.no")
    fits = booking_factory(course_date, seats=1, email="fits@example.no")
    # One more seat, added behind admin's back (admin itself fills it at once).
    CourseDate.objects.filter(pk=course_date.pk).update(capacity=2)

    response = run_action(staff_client, BOOKINGS, "promote", [too_big, fits])
    page = text(staff_client.get(response["Location"]))

    too_big.refresh_from_db()
    fits.refresh_from_db()
    assert too_big.status == "waitlisted"
    assert fits.status == "confirmed"
    assert (
        f"Påmelding {too_big.pk}: Det er bare 1 plass igjen, og påmeldingen har "
        "2 deltakere." in page
    )
    assert "1 påmelding er flyttet fra ventelisten" in page
    assert [mail.to for mail in mails("courses_booking_promoted")] == [
        "fits@example.no"
    ]


def test_cancelling_a_booking_in_admin_frees_the_seat_for_the_waitlist(
    staff_client, course_date_factory, booking_factory
):
    course_date = course_date_factory(capacity=1)
    confirmed = booking_factory(course_date, email="a@example.no")
    waiting = booking_factory(course_date, email="b@example.no")

    run_action(staff_client, BOOKINGS, "cancel_bookings", [confirmed])
    confirmed.refresh_from_db()
    assert confirmed.status == "confirmed"  # asked first
    run_action(staff_client, BOOKINGS, "cancel_bookings", [confirmed], confirm="yes")

    confirmed.refresh_from_db()
    waiting.refresh_from_db()
    assert confirmed.status == "cancelled"
    assert waiting.status == "confirmed"


def test_mark_invoiced_records_when_and_by_whom_once(
    staff_client, course_staff, course_date_factory, booking_factory
):
    course_date = course_date_factory(capacity=1)
    confirmed = booking_factory(course_date, email="a@example.no")
    waiting = booking_factory(course_date, email="b@example.no")

    run_action(staff_client, BOOKINGS, "mark_invoiced", [confirmed, waiting])
    confirmed.refresh_from_db()
    first_time = confirmed.invoiced_at
    run_action(staff_client, BOOKINGS, "mark_invoiced", [confirmed])
    confirmed.refresh_from_db()
    waiting.refresh_from_db()

    assert first_time is not None
    assert confirmed.invoiced_at == first_time
    assert confirmed.invoiced_by == course_staff
    assert waiting.invoiced_at is None


def test_csv_export_has_one_row_per_booking_with_invoicing_fields_and_amount(
    staff_client, course_factory, course_date_factory, booking_factory
):
    course = course_factory(title="Glass og lys – grunnkurs")
    course_date = course_date_factory(
        course=course, starts_at=datetime(2031, 5, 6, 9, tzinfo=OSLO)
    )
    booking = booking_factory(
        course_date,
        seats=3,
        email="kari@example.no",
        invoice_name="Ærlige Øyvind & Søn AS",
        invoice_place="Bø i Telemark",
        your_reference="=cmd|' /C calc'!A0",
    )
    other = booking_factory(course_date, seats=1, email="per@example.no")

    response = run_action(staff_client, BOOKINGS, "export_csv", [booking, other])
    content = response.content.decode("utf-8")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    header, first, second = rows
    row = dict(zip(header, first, strict=True))
    assert row["Påmelding"] == str(booking.pk)
    assert row["Kurs"] == "Glass og lys – grunnkurs"
    assert row["Kursdato"] == "06.05.2031 kl. 09.00"
    assert row["Fakturamottaker"] == "Ærlige Øyvind & Søn AS"
    assert row["Organisasjonsnummer"] == "974760673"
    assert row["Fakturaadresse"] == "Gata 1"
    assert row["Postnummer"] == "0150"
    assert row["Poststed"] == "Bø i Telemark"
    assert row["Fakturering"] == "E-post"
    assert row["E-post for faktura"] == "kari@example.no"
    assert row["Deres referanse"] == "'=cmd|' /C calc'!A0"
    assert row["Antall deltakere"] == "3"
    assert row["Beløp inkl. mva"] == "13500,00"
    assert row["Beløp ekskl. mva"] == "10800,00"
    assert row["Mva"] == "2700,00"
    assert second[0] == str(other.pk)
    audit = AccessAudit.objects.get()
    assert (audit.what, audit.rows) == ("Kurspåmeldinger til regnskap", 2)


def test_bookings_cannot_be_added_in_admin_and_their_status_is_read_only(
    staff_client, course_date, booking_factory
):
    booking = booking_factory(course_date)

    assert staff_client.get(reverse("admin:courses_booking_add")).status_code == 403
    html = staff_client.get(
        reverse("admin:courses_booking_change", args=[booking.pk])
    ).content.decode()
    assert 'name="status"' not in html
    assert 'name="invoice_postcode"' in html


def test_more_seats_on_a_date_move_the_waitlist_up(
    staff_client, course_date_factory, booking_factory
):
    course_date = course_date_factory(capacity=1)
    booking_factory(course_date, email="a@example.no")
    waiting = booking_factory(course_date, email="b@example.no")
    url = reverse("admin:courses_coursedate_change", args=[course_date.pk])

    response = staff_client.post(url, date_form(course_date, capacity=2))

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert [mail.to for mail in mails("courses_booking_promoted")] == ["b@example.no"]


def test_capacity_cannot_go_below_the_confirmed_seats(
    staff_client, course_date_factory, booking_factory
):
    course_date = course_date_factory(capacity=3)
    booking_factory(course_date, seats=2)
    url = reverse("admin:courses_coursedate_change", args=[course_date.pk])

    response = staff_client.post(url, date_form(course_date, capacity=1))

    assert response.status_code == 200
    assert "2 plasser er allerede bekreftet" in response.content.decode()
    assert CourseDate.objects.get().capacity == 3


def date_form(course_date, **changes) -> dict:
    def local(moment):
        from django.utils import timezone

        value = timezone.localtime(moment)
        return {"0": value.strftime("%Y-%m-%d"), "1": value.strftime("%H:%M:%S")}

    data = {"course": course_date.course.pk, "place": course_date.place}
    for name in ("starts_at", "ends_at"):
        for part, value in local(getattr(course_date, name)).items():
            data[f"{name}_{part}"] = value
    for name in ("signup_deadline", "cancellation_deadline"):
        data[f"{name}_0"] = data[f"{name}_1"] = ""
    data["capacity"] = course_date.capacity
    data.update(changes)
    return data


def test_an_anonymised_booking_can_still_have_its_invoice_address_corrected(
    staff_client, course_date, booking_factory
):
    from privacy.services.rights import subject_erase
    from tests.contact.conftest import form_fields

    booking = booking_factory(course_date, seats=2, email="kari@example.no")
    Booking.objects.filter(pk=booking.pk).update(invoiced_at=timezone.now())
    subject_erase(email="kari@example.no")  # the invoice stays (bokføringsloven)
    subject_erase(email="d1.kari@example.no")  # and one participant is erased
    url = reverse("admin:courses_booking_change", args=[booking.pk])
    page = staff_client.get(url)
    data = form_fields(page, "booking_form")

    response = staff_client.post(url, data | {"invoice_postcode": "8006"})

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.invoice_postcode == "8006"
    assert (booking.first_name, booking.email) == ("", "")
    assert "Anonymisert etter personvernreglene." in page.content.decode()


def test_anonymised_fields_cannot_be_filled_in_again(
    staff_client, course_date, booking_factory
):
    from privacy.services.rights import subject_erase
    from tests.contact.conftest import form_fields

    booking = booking_factory(course_date, email="kari@example.no")
    Booking.objects.filter(pk=booking.pk).update(invoiced_at=timezone.now())
    subject_erase(email="kari@example.no")
    subject_erase(email="d0.kari@example.no")  # the participant
    url = reverse("admin:courses_booking_change", args=[booking.pk])
    data = form_fields(staff_client.get(url), "booking_form")

    typed_in = {"first_name": "Kari", "last_name": "Nordmann", "email": "k@example.no"}
    for name in data:  # the booking's fields and its participant's
        for field, value in typed_in.items():
            if name.endswith(field) and not name.startswith("invoice"):
                data[name] = value

    staff_client.post(url, data)

    booking.refresh_from_db()
    assert (booking.first_name, booking.email) == ("", "")
    assert set(booking.participants.values_list("first_name", "email")) == {("", "")}


def test_the_course_form_explains_the_address_field_readably(staff_client):
    page = text(staff_client.get(reverse("admin:courses_course_add")))

    assert "Brukes i nettadressen, for eksempel /kurs/grunnkurs-i-glasoterapi/." in page


def test_date_list_speaks_to_staff_and_filters_cancelled_dates_by_ja_nei(
    staff_client, course_date_factory, booking_factory
):
    full = course_date_factory(capacity=1)
    booking_factory(full)
    course_date_factory(capacity=5)
    CourseDate.objects.filter(pk=course_date_factory().pk).update(
        cancelled_at=timezone.now()
    )

    page = text(staff_client.get(DATES))
    cancelled = text(staff_client.get(DATES + "?avlyst=ja"))

    assert "Fullt (venteliste)" in page
    assert "Åpen for påmelding" in page
    assert "sett deg på" not in page
    assert "Ikke tom" not in page
    assert cancelled.count("Avlyst ") == 1
    assert "Åpen for påmelding" not in cancelled


def test_booking_amounts_are_labelled_including_vat(
    staff_client, course_date, booking_factory
):
    booking_factory(course_date)

    assert "Beløp inkl. mva" in text(staff_client.get(BOOKINGS))


def test_staff_can_type_times_as_the_site_writes_them(staff_client, course_date):
    url = reverse("admin:courses_coursedate_change", args=[course_date.pk])
    data = date_form(course_date, starts_at_1="09.30", ends_at_1="15.00")

    response = staff_client.post(url, data)

    assert response.status_code == 302
    course_date.refresh_from_db()
    assert timezone.localtime(course_date.starts_at).strftime("%H:%M") == "09:30"


def test_the_add_page_says_legg_til_kurs(staff_client):
    page = text(staff_client.get(reverse("admin:courses_course_add")))

    assert "Legg til kurs" in page
    assert "Legg til ny kurs" not in page


def test_marking_a_filtered_list_as_invoiced_counts_what_was_selected(
    staff_client, course_date_factory, booking_factory
):
    """Finding: on the list filtered to confirmed and not invoiced, "12 påmeldinger
    er merket som fakturert" was followed by "-12 påmeldinger ble ikke endret"."""
    course_date = course_date_factory(capacity=10)
    selected = [booking_factory(course_date, email=f"{n}@example.no") for n in range(3)]

    response = staff_client.post(
        BOOKINGS + "?fakturert=nei",
        {"action": "mark_invoiced", ACTION_CHECKBOX_NAME: [b.pk for b in selected]},
        follow=True,
    )

    shown = [str(message) for message in response.context["messages"]]
    assert shown == ["3 påmeldinger er merket som fakturert."]


def test_a_cancelled_booking_is_not_marked_invoiced_and_every_count_adds_up(
    staff_client, course_date_factory, booking_factory
):
    """Finding: a cancelled booking was marked invoiced with a success message."""
    course_date = course_date_factory(capacity=1)
    confirmed = booking_factory(course_date, email="a@example.no")
    waiting = booking_factory(course_date, email="b@example.no")
    cancelled = booking_factory(course_date, email="c@example.no")
    Booking.objects.filter(pk=cancelled.pk).update(status="cancelled")
    invoiced = booking_factory(course_date, email="d@example.no")
    Booking.objects.filter(pk=invoiced.pk).update(invoiced_at=timezone.now())

    response = run_action(
        staff_client,
        BOOKINGS,
        "mark_invoiced",
        [confirmed, waiting, cancelled, invoiced],
    )

    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown == [
        "1 påmelding er merket som fakturert.",
        "3 påmeldinger ble ikke endret: 1 var fakturert fra før, 1 står på "
        "venteliste, 1 er avbestilt.",
    ]
    cancelled.refresh_from_db()
    assert cancelled.invoiced_at is None


def test_an_erased_persons_name_is_not_on_the_participant_list(
    staff_client, course_date, booking_factory
):
    """Finding: after an erasure the printed list showed a nameless row with the
    erased person's name in the company column (from the invoice name)."""
    from privacy.services.rights import subject_erase

    booking = booking_factory(
        course_date, email="kari@example.no", invoice_name="Kari Nordmann", orgnr=""
    )
    Booking.objects.filter(pk=booking.pk).update(invoiced_at=timezone.now())
    subject_erase(email="kari@example.no")
    subject_erase(email="d0.kari@example.no")

    page = text(staff_client.get(participant_list_url(course_date)))

    assert "Kari" not in page
    assert Booking.objects.get().invoice_name == "Kari Nordmann"  # bookkeeping


def test_cancelling_bookings_reports_what_happened_truthfully(
    staff_client, course_date_factory, booking_factory
):
    """Finding: "1 påmelding er avbestilt" while three waitlisted bookings got
    seats and four mails went out."""
    course_date = course_date_factory(capacity=3)
    seated = booking_factory(course_date, seats=3, email="a@example.no")
    for n in range(3):
        booking_factory(course_date, email=f"w{n}@example.no")
    gone = booking_factory(course_date, email="gone@example.no")
    Booking.objects.filter(pk=gone.pk).update(status="cancelled")
    queued_before = len(mails())

    response = run_action(
        staff_client, BOOKINGS, "cancel_bookings", [seated, gone], confirm="yes"
    )

    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown == [
        "1 påmelding er avbestilt. 3 påmeldinger på ventelisten fikk plass. "
        "4 e-poster er lagt i kø for sending.",
        "1 påmelding var avbestilt fra før og ble ikke endret.",
    ]
    assert len(mails()) - queued_before == 4


def test_the_cancel_confirmation_lists_name_course_date_and_seats(
    staff_client, course_factory, course_date_factory, booking_factory
):
    """Finding: the confirmation page listed "Påmelding 3" and nothing else."""
    course_date = course_date_factory(
        course=course_factory(title="Grunnkurs"),
        starts_at=datetime(2031, 5, 6, 9, tzinfo=OSLO),
    )
    booking = booking_factory(course_date, seats=2, email="a@example.no")

    page = text(run_action(staff_client, BOOKINGS, "cancel_bookings", [booking]))

    assert (
        f"Påmelding {booking.pk}: Kari Nordmann, Nordmann AS – Grunnkurs, "
        "06.05.2031 kl. 09.00 – 2 plasser, bekreftet" in page
    )


def test_the_date_cancel_confirmation_lists_each_booking(
    staff_client, course_date_factory, booking_factory
):
    course_date = course_date_factory(capacity=1)
    first = booking_factory(course_date, email="a@example.no")
    second = booking_factory(course_date, email="b@example.no", first_name="Per")

    page = text(run_action(staff_client, DATES, "cancel_dates", [course_date]))

    assert f"Påmelding {first.pk}: Kari Nordmann" in page
    assert f"Påmelding {second.pk}: Per Nordmann" in page
    assert "1 plass, på venteliste" in page


def test_kurs_sees_whether_a_bookings_mails_went_out(
    staff_client, course_date, booking_factory
):
    from django.core.management import call_command

    from courses.services import booking_context
    from outbox.services import email_queue

    booking = booking_factory(course_date, email="a@example.no")
    # Mail about something else to the same address is not the booking's.
    email_queue(
        kind="courses_booking_cancelled",
        to="a@example.no",
        template="courses/email/booking_cancelled",
        context={**booking_context(booking), "amounts": booking.amounts},
    )
    url = reverse("admin:courses_booking_change", args=[booking.pk])

    queued = text(staff_client.get(url))
    assert "Bekreftet påmelding a@example.no I kø" in queued
    assert "Avbestilt påmelding" not in queued
    assert "I kø" in text(staff_client.get(BOOKINGS))

    call_command("send_queued_mail", stdout=io.StringIO())

    assert "Bekreftet påmelding a@example.no Sendt" in text(staff_client.get(url))
    assert "Sendt" in text(staff_client.get(BOOKINGS))
    assert staff_client.get("/admin/outbox/outgoingemail/").status_code == 403


def test_booking_list_queries_do_not_grow_with_bookings_and_their_mails(
    staff_client, course_date_factory, booking_factory
):
    course_date = course_date_factory(capacity=50)
    booking_factory(course_date, email="a@example.no")
    staff_client.get(BOOKINGS)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(BOOKINGS)
    for n in range(10):
        booking_factory(course_date, seats=2, email=f"{n}@example.no")
    with CaptureQueriesContext(connection) as many:
        staff_client.get(BOOKINGS)

    assert len(many) == len(few)
