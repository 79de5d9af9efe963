import os
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from courses import services
from courses.models import Booking, Course, CourseDate
from outbox.models import OutgoingEmail
from tests.browser.conftest import PageRecorder, serious_accessibility_violations


@pytest.fixture
def course_date(db):
    course = Course.objects.create(
        title="Grunnkurs i glasoterapi",
        slug="grunnkurs",
        summary="To praktiske dager.",
        description="Vi går gjennom det grunnleggende.",
        price=Decimal(4500),
        is_published=True,
    )
    starts_at = timezone.now() + timedelta(days=30)
    return CourseDate.objects.create(
        course=course,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=6),
        place="Storgata 1, 0155 Oslo",
        capacity=3,
    )


@pytest.fixture
def no_js_page(context_factory):
    page = context_factory(java_script_enabled=False).new_page()
    page.recorder = PageRecorder(page)
    return page


def section(page, name: str):
    return page.get_by_role("group", name=name, exact=True)


def fill_contact_and_invoice(page, *, postcode="8006"):
    contact = section(page, "Om deg som melder på")
    contact.get_by_label("Fornavn").fill("Åse")
    contact.get_by_label("Etternavn").fill("Ørjasæter")
    contact.get_by_label("E-postadresse").fill("ase@example.no")
    invoice = section(page, "Faktura")
    invoice.get_by_label("Fakturamottaker").fill("Glassverkstedet Bodø AS")
    invoice.get_by_label("Organisasjonsnummer (valgfritt for privatpersoner)").fill(
        "974760673"
    )
    invoice.get_by_label("Fakturaadresse").fill("Storgata 12")
    invoice.get_by_label("Postnummer").fill(postcode)
    invoice.get_by_label("Poststed").fill("Bodø")


def book_one_seat(course_date):
    """A confirmed one-seat booking by Kari, made directly through the service."""
    return services.booking_create(
        course_date_id=course_date.pk,
        details=services.SignupDetails(
            first_name="Kari",
            last_name="Nordmann",
            email="kari@example.no",
            company="",
            invoice=services.InvoiceDetails(
                invoice_name="Kari Nordmann",
                orgnr="",
                invoice_street="Gata 1",
                invoice_postcode="0150",
                invoice_place="Oslo",
                invoice_method="email",
                invoice_email="kari@example.no",
                your_reference="",
            ),
            newsletter_declined=False,
            newsletter_notice_version="2026-11",
            participants=(services.ParticipantDetails("Kari", "Nordmann", "k@x.no"),),
        ),
        join_waitlist=False,
    )


def test_sign_up_for_several_participants_with_javascript_off(
    live_server, no_js_page, course_date
):
    page = no_js_page
    page.goto(live_server.url + "/kurs/")
    page.get_by_role(
        "link", name=re.compile("^Meld på – Grunnkurs i glasoterapi")
    ).click()

    fill_contact_and_invoice(page)
    first = section(page, "Deltaker 1")
    first.get_by_label("Fornavn").fill("Per")
    first.get_by_label("Etternavn").fill("Ås")
    first.get_by_label("E-postadresse").fill("per@example.no")
    # Two blank rows are shown; a third comes with a plain submit button.
    page.get_by_role("button", name="Legg til en deltaker til").click()
    assert section(page, "Deltaker 1").get_by_label("Fornavn").input_value() == "Per"
    assert page.get_by_label("Fakturaadresse").input_value() == "Storgata 12"
    third = section(page, "Deltaker 3")
    third.get_by_label("Fornavn").fill("Tor")
    third.get_by_label("Etternavn").fill("Li")
    third.get_by_label("E-postadresse").fill("tor@example.no")
    page.get_by_role("button", name="Send påmeldingen").click()

    assert page.get_by_role("heading", level=1).inner_text() == (
        "Påmeldingen er bekreftet"
    )
    booking = Booking.objects.get()
    assert booking.status == Booking.Status.CONFIRMED
    assert [p.first_name for p in booking.participants.all()] == ["Åse", "Per", "Tor"]
    assert OutgoingEmail.objects.filter(kind="courses_booking_confirmed").count() == 1
    assert page.recorder.third_party_requests() == []


def test_sign_up_errors_are_shown_next_to_the_field_with_javascript_off(
    live_server, no_js_page, course_date
):
    page = no_js_page
    page.goto(f"{live_server.url}/kurs/grunnkurs/{course_date.pk}/pamelding/")
    fill_contact_and_invoice(page, postcode="800")
    page.get_by_role("button", name="Send påmeldingen").click()

    postcode = page.get_by_label("Postnummer")
    assert postcode.get_attribute("aria-invalid") == "true"
    description = page.locator("#" + postcode.get_attribute("aria-describedby"))
    assert description.inner_text() == "Postnummeret må ha fire sifre."
    assert page.get_by_label("Poststed").input_value() == "Bodø"
    assert Booking.objects.count() == 0


def test_after_a_failed_sign_up_the_error_summary_has_the_focus_on_a_phone(
    live_server, context_factory, course_date
):
    page = context_factory(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}/kurs/grunnkurs/{course_date.pk}/pamelding/")
    page.get_by_role("button", name="Send påmeldingen").click()

    page.wait_for_function(
        "document.activeElement.className === 'error-summary'", timeout=5000
    )
    assert page.locator(".error-summary").is_visible()
    assert page.locator(".error-summary").bounding_box()["y"] < 844


def test_a_new_participant_row_opens_in_view_with_the_cursor_in_it(
    live_server, context_factory, course_date
):
    page = context_factory(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}/kurs/grunnkurs/{course_date.pk}/pamelding/")
    page.get_by_role("button", name="Legg til en deltaker til").click()

    new_row = section(page, "Deltaker 3").get_by_label("Fornavn")
    page.wait_for_function(
        "id => document.activeElement.id === id",
        arg=new_row.get_attribute("id"),
        timeout=5000,
    )
    box = new_row.bounding_box()
    assert 0 <= box["y"] < 844  # on screen, not 2,000 px below
    page.keyboard.type("Tor")
    assert new_row.input_value() == "Tor"


def test_a_form_with_errors_has_no_serious_accessibility_violations(
    live_server, page, course_date
):
    page.goto(f"{live_server.url}/kurs/grunnkurs/{course_date.pk}/pamelding/")
    fill_contact_and_invoice(page, postcode="800")
    page.get_by_role("button", name="Send påmeldingen").click()
    page.get_by_role("heading", name="Påmeldingen ble ikke sendt").wait_for()

    assert serious_accessibility_violations(page) == []


def test_too_few_seats_offer_the_waitlist_for_the_whole_booking(
    live_server, page, course_date
):
    page.goto(f"{live_server.url}/kurs/grunnkurs/{course_date.pk}/pamelding/")
    fill_contact_and_invoice(page)
    for number, name in ((1, "Per"), (2, "Tor")):
        row = section(page, f"Deltaker {number}")
        row.get_by_label("Fornavn").fill(name)
        row.get_by_label("Etternavn").fill("Li")
        row.get_by_label("E-postadresse").fill(f"{name.lower()}@example.no")
    book_one_seat(course_date)  # someone else is quicker
    page.get_by_role("button", name="Send påmeldingen").click()

    assert page.get_by_text(
        "Det er bare 2 plasser igjen, og påmeldingen har 3 deltakere."
    ).is_visible()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Sett hele påmeldingen på ventelisten").click()

    assert page.get_by_role("heading", level=1).inner_text() == (
        "Du står på ventelisten"
    )
    assert Booking.objects.get(email="ase@example.no").status == "waitlisted"


@pytest.mark.parametrize("path", ["/kurs/", "/kurs/grunnkurs/", "signup"])
def test_course_pages_have_no_serious_accessibility_violations(
    live_server, page, recorder, course_date, path
):
    if path == "signup":
        path = f"/kurs/grunnkurs/{course_date.pk}/pamelding/"
    page.goto(live_server.url + path)
    page.wait_for_load_state("networkidle")

    assert serious_accessibility_violations(page) == []
    assert recorder.console_errors == []  # e.g. a CSP-blocked JSON-LD script
    assert recorder.third_party_requests() == []


def test_cancel_page_has_no_serious_accessibility_violations(
    live_server, page, course_date
):
    booking = book_one_seat(course_date)
    token = services.booking_cancel_token(booking=booking)

    page.goto(f"{live_server.url}/kurs/avbestill/{token}/")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Ja, avbestill påmeldingen").click()

    assert page.get_by_role("heading", level=1).inner_text() == (
        "Påmeldingen er avbestilt"
    )
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_the_total_follows_the_participants_as_they_are_filled_in(
    live_server, page, course_date
):
    """Found: no total price before sending; it first appeared in the mail."""
    page.goto(live_server.url + f"/kurs/grunnkurs/{course_date.pk}/pamelding/")
    total = page.locator("#til-sammen")
    assert re.sub(r"\s", " ", total.inner_text()) == (
        "Til sammen: kr 4 500 inkl. mva for 1 deltaker (kr 3 600 + mva kr 900)."
    )

    section(page, "Deltaker 1").get_by_label("Fornavn").fill("Per")
    assert re.sub(r"\s", " ", total.inner_text()) == (
        "Til sammen: kr 9 000 inkl. mva for 2 deltakere (kr 7 200 + mva kr 1 800)."
    )

    page.get_by_label("Jeg skal delta selv").uncheck()
    assert re.sub(r"\s", " ", total.inner_text()) == (
        "Til sammen: kr 4 500 inkl. mva for 1 deltaker (kr 3 600 + mva kr 900)."
    )
    assert page.get_by_role("button", name="Beregn prisen på nytt").is_hidden()


def test_a_price_without_vat_fits_a_phone_and_wraps_only_between_its_parts(
    live_server, context_factory, course_date
):
    Course.objects.filter(pk=course_date.course_id).update(
        price=Decimal(2900), price_includes_vat=False
    )
    page = context_factory(viewport={"width": 390, "height": 844}).new_page()
    page.goto(live_server.url + "/kurs/")

    assert page.evaluate("document.documentElement.scrollWidth <= 390")
    # The card leads with the price a consumer pays, and says the price without
    # VAT after it (prisopplysningsforskriften § 4).
    price = page.locator(".course-date__price").first.inner_text()
    lines = [line.replace("\xa0", " ") for line in price.split("\n")]
    assert lines[0] == "kr 3 625 inkl. mva"
    assert "kr 2 900 ekskl. mva" in lines[-1]


OFFER_LINK = re.compile(r"http://[^/\s]+(/kurs/bekreft-plass/[^/\s]+/)")
# A folder to keep the pages' screenshots in, for a person to look at.
SCREENSHOTS = os.environ.get("COURSE_SCREENSHOTS")


def test_a_waitlisted_person_joins_with_contact_details_and_confirms_with_the_invoice(
    live_server, context_factory, course_date
):
    """On a phone: the waitlist form has no invoice fields; the seat offered is
    confirmed on its own page by a private person, without company fields."""
    CourseDate.objects.filter(pk=course_date.pk).update(capacity=1)
    kari = book_one_seat(course_date)
    page = context_factory(viewport={"width": 390, "height": 844}).new_page()
    page.goto(live_server.url + f"/kurs/grunnkurs/{course_date.pk}/pamelding/")

    assert section(page, "Faktura").count() == 0
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/venteliste.png", full_page=True)
    contact = section(page, "Om deg som melder på")
    contact.get_by_label("Fornavn").fill("Åse")
    contact.get_by_label("Etternavn").fill("Ørjasæter")
    contact.get_by_label("E-postadresse").fill("ase@example.no")
    page.get_by_role("button", name="Sett meg på ventelisten").click()
    page.get_by_role("heading", name="Du står på ventelisten").wait_for()

    services.booking_cancel(booking_id=kari.pk)
    offer = OutgoingEmail.objects.get(kind="courses_booking_offered")
    page.goto(live_server.url + OFFER_LINK.search(offer.body_text).group(1))
    invoice = section(page, "Faktura")
    invoice.get_by_label("Fakturamottaker").fill("Åse Ørjasæter")
    invoice.get_by_label("Fakturaadresse").fill("Fjordgata 3")
    invoice.get_by_label("Postnummer").fill("70")
    invoice.get_by_label("Poststed").fill("Trondheim")
    page.get_by_role("button", name="Bekreft plassene").click()

    error = page.locator("#id_invoice_postcode_error")
    assert "Postnummeret må ha fire sifre." in error.inner_text()
    assert invoice.get_by_label("Fakturaadresse").input_value() == "Fjordgata 3"
    assert page.evaluate("document.documentElement.scrollWidth <= 390")
    assert serious_accessibility_violations(page) == []
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/bekreft-plass-feil.png", full_page=True)

    invoice.get_by_label("Postnummer").fill("7010")
    page.get_by_role("button", name="Bekreft plassene").click()
    page.get_by_role("heading", name="Påmeldingen er bekreftet").wait_for()
    booking = Booking.objects.get(email="ase@example.no")
    assert (booking.status, booking.invoice_postcode) == ("confirmed", "7010")
    assert not booking.awaiting_answer
