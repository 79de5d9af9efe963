"""Finding 2 of issue 14: erasure and the courses agree. Before an erasure staff
(and the person, on Mine data) are told what happens to an upcoming booking and
when an invoice may need a credit note; afterwards no staff screen shows the
person's name, except the invoicing fields bookkeeping keeps."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.norwegian import moment
from courses.models import Booking
from privacy.models import DataSubjectRequest
from tests.conftest import login_with_second_factor
from tests.courses.conftest import mails
from tests.courses.test_admin import BOOKINGS, participant_list_url, run_action
from tests.courses.test_catalogue import text
from tests.privacy.test_rights import verified_client

PERSON = reverse("admin:privacy_act_for_person")
KARI = "kari@example.no"


@pytest.fixture
def karis_bookings(course_factory, course_date_factory, booking_factory):
    """Kari, a private person, with two upcoming bookings, each full with someone
    waiting behind: one not invoiced (with a colleague), one invoiced."""
    open_date = course_date_factory(
        course=course_factory(title="Grunnkurs"), capacity=2, days=20
    )
    invoiced_date = course_date_factory(
        course=course_factory(title="Videregående"), capacity=1, days=40
    )
    private = {"company": "", "invoice_name": "Kari Nordmann", "orgnr": ""}
    open_booking = booking_factory(open_date, seats=2, email=KARI, **private)
    invoiced = booking_factory(invoiced_date, seats=1, email=KARI, **private)
    Booking.objects.filter(pk=invoiced.pk).update(invoiced_at=timezone.now())
    waiting = [
        booking_factory(when, email=f"per{n}@example.no", first_name="Per")
        for n, when in enumerate([open_date, invoiced_date])
    ]
    return {
        "open": open_booking,
        "invoiced": invoiced,
        "waiting": waiting,
        "dates": (open_date, invoiced_date),
    }


@pytest.fixture
def privacy_client(client, staff_factory):
    user = staff_factory("personvern", groups=["Personvern", "Kurs"])
    return login_with_second_factor(client, user)


def test_the_staff_erasure_page_says_what_happens_to_upcoming_bookings(
    privacy_client, karis_bookings
):
    open_date, invoiced_date = karis_bookings["dates"]

    page = text(privacy_client.post(PERSON, {"email": KARI, "do": "erase"}))

    assert (
        f"Påmeldingen til Grunnkurs {moment(open_date.starts_at)} (2 plasser) blir "
        "slettet. Plassene går til ventelisten, og 2 andre deltakere får e-post om "
        "at de ikke lenger har plass." in page
    )
    assert (
        f"Påmeldingen til Videregående {moment(invoiced_date.starts_at)} (1 plass) "
        "er fakturert: den blir avbestilt. Plassen går til ventelisten, og 1 annen "
        "deltaker får e-post om at de ikke lenger har plass. Fakturagrunnlaget tar "
        "vi vare på (bokføringsloven § 13)." in page
    )
    assert (
        f"Påmelding {karis_bookings['invoiced'].pk} er fakturert: fakturaen kan "
        "trenge en kreditnota." in page
    )
    assert Booking.objects.filter(email=KARI).count() == 2  # asked only


def test_mine_data_says_what_happens_to_upcoming_bookings_before_erasing(
    client, karis_bookings
):
    verified_client(client, KARI)

    page = text(client.get(reverse("privacy:rights_erase")))

    assert "(2 plasser) blir slettet. Plassene går til ventelisten" in page
    assert "er fakturert: den blir avbestilt" in page
    assert "kreditnota" not in page  # staff's follow-up, not the person's


def test_an_invoiced_upcoming_booking_is_cancelled_and_its_seat_released(
    privacy_client, karis_bookings
):
    done = privacy_client.post(PERSON, {"email": KARI, "do": "erase", "confirm": "yes"})

    invoiced = Booking.objects.get(pk=karis_bookings["invoiced"].pk)
    assert invoiced.status == Booking.Status.CANCELLED
    assert invoiced.invoice_name == "Kari Nordmann"  # bookkeeping
    assert not Booking.objects.filter(pk=karis_bookings["open"].pk).exists()
    assert [b.status for b in Booking.objects.filter(first_name="Per")] == [
        "confirmed",
        "confirmed",
    ]
    told = [str(m) for m in get_messages(done.wsgi_request)]
    follow_up = (
        f"Påmelding {invoiced.pk} var fakturert og er avbestilt: fakturaen kan "
        "trenge en kreditnota."
    )
    assert follow_up in told
    assert follow_up in DataSubjectRequest.objects.get().outcome
    withdrawn = mails("courses_participant_withdrawn")
    assert sorted(m.to for m in withdrawn) == [
        "d0.kari@example.no",
        "d0.kari@example.no",
        "d1.kari@example.no",
    ]


def test_the_colleagues_of_a_cancelled_invoiced_booking_are_blanked_as_told(
    privacy_client, karis_bookings
):
    privacy_client.post(PERSON, {"email": KARI, "do": "erase", "confirm": "yes"})

    invoiced = Booking.objects.get(pk=karis_bookings["invoiced"].pk)
    assert list(invoiced.participants.values_list("first_name", "email")) == [("", "")]
    assert invoiced.seats == 1  # the invoice still adds up


def test_no_staff_screen_shows_the_erased_persons_name(
    privacy_client, karis_bookings, course_date_factory, booking_factory
):
    # A past invoiced booking stays as it was (nothing to release).
    past = course_date_factory(days=-30)
    held = booking_factory(
        past,
        email=KARI,
        company="",
        invoice_name="Kari Nordmann",
        orgnr="",
        now=timezone.now() - timedelta(days=40),
    )
    Booking.objects.filter(pk=held.pk).update(invoiced_at=timezone.now())
    privacy_client.post(PERSON, {"email": KARI, "do": "erase", "confirm": "yes"})
    mail.outbox.clear()
    kept = Booking.objects.filter(invoice_name="Kari Nordmann")
    assert kept.count() == 2

    listed = text(privacy_client.get(BOOKINGS))
    assert "Kari" not in listed
    assert "Anonymisert" in listed
    for booking in kept:
        url = reverse("admin:courses_booking_change", args=[booking.pk])
        html = privacy_client.get(url).content.decode()
        # The invoice recipient's field is the bookkeeping record; nowhere else.
        assert html.count("Kari") == 1
        assert 'name="invoice_name" value="Kari Nordmann"' in html
    for course_date in (*karis_bookings["dates"], past):
        assert "Kari" not in text(privacy_client.get(participant_list_url(course_date)))
    exported = run_action(privacy_client, BOOKINGS, "export_csv", list(kept))
    rows = list(
        csv.DictReader(
            io.StringIO(exported.content.decode().lstrip("\ufeff")), delimiter=";"
        )
    )
    assert {row["Fakturamottaker"] for row in rows} == {"Kari Nordmann"}
    assert {row["Kontaktperson"] for row in rows} == {""}


def test_the_colleagues_mail_is_true_whether_the_booking_went_or_was_kept(
    privacy_client, karis_bookings
):
    privacy_client.post(PERSON, {"email": KARI, "do": "erase", "confirm": "yes"})

    for withdrawn in mails("courses_participant_withdrawn"):
        assert "ikke lenger påmeldt" in withdrawn.body_text
        assert "navnet og e-postadressen din i påmeldingen er slettet" in (
            withdrawn.body_text
        )
        assert "Påmeldingen er slettet" not in withdrawn.body_text
