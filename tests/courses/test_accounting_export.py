"""The invoicing basis for the accountant (issue 14, "what to build" 3): our own CSV
and Tripletex's order import, one row per invoice line, amounts right to the øre."""

import csv
import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.messages import get_messages
from django.utils import timezone

from courses.models import Booking
from privacy.models import AccessAudit
from tests.courses.test_admin import BOOKINGS, run_action

OSLO = ZoneInfo("Europe/Oslo")
BOOKED = datetime(2031, 4, 1, 12, tzinfo=OSLO)
COURSE_DAY = datetime(2031, 5, 6, 9, tzinfo=OSLO)

# Tripletex's documented headers, in this order ("Ordreimport – beskrivelse av
# kolonner", articleId=722, and the order line columns of articleId=1402).
TRIPLETEX_HEADER = [
    "ORDER NO",
    "ORDER DATE",
    "CUSTOMER NAME",
    "ORGANIZATION NO",
    "CUSTOMER EMAIL",
    "POSTAL ADDR - LINE 1",
    "POSTAL ADDR - POSTAL NO",
    "POSTAL ADDR - CITY",
    "POSTAL ADDR - COUNTRY",
    "REFERENCE NO",
    "COMMENTS",
    "CURRENCY",
    "ORDER LINE - DESCRIPTION",
    "ORDER LINE - UNIT PRICE",
    "ORDER LINE - COUNT",
    "ORDER LINE - VAT CODE",
]


def rows_of(response) -> list[list[str]]:
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")  # Excel and Tripletex read it as UTF-8
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


def dicts_of(response) -> list[dict]:
    header, *rows = rows_of(response)
    return [dict(zip(header, row, strict=True)) for row in rows]


def booking_at(booking_factory, course_date_factory, course_factory, **course):
    """A booking of three participants on a course with these price fields."""
    course_date = course_date_factory(
        course=course_factory(title="Glass og lys – grunnkurs", **course),
        starts_at=COURSE_DAY,
    )
    return booking_factory(course_date, seats=3, now=BOOKED)


def test_the_csv_has_one_row_per_invoice_line_with_customer_vat_code_and_ore(
    staff_client, course_factory, course_date_factory, booking_factory
):
    # 999,99 kr with VAT for three: 2 999,97 kr, of which 2 399,98 without VAT
    # (2 999,97 / 1,25 = 2 399,976) and 599,99 VAT.
    person = booking_at(
        booking_factory,
        course_date_factory,
        course_factory,
        price=Decimal("999.99"),
        price_includes_vat=True,
        vat_rate=Decimal(25),
    )
    Booking.objects.filter(pk=person.pk).update(orgnr="", invoice_name="Kari Nordmann")

    response = run_action(staff_client, BOOKINGS, "export_csv", [person])
    (row,) = dicts_of(response)

    assert row["Påmelding"] == str(person.pk)
    assert row["Kurs"] == "Glass og lys – grunnkurs"
    assert row["Kursdato"] == "06.05.2031 kl. 09.00"
    assert row["Kundetype"] == "Privatperson"
    assert row["Fakturamottaker"] == "Kari Nordmann"
    assert row["Organisasjonsnummer"] == ""
    assert (row["Fakturaadresse"], row["Postnummer"], row["Poststed"]) == (
        "Gata 1",
        "0150",
        "Oslo",
    )
    assert row["Antall deltakere"] == "3"
    assert row["Mva-kode"] == "3"
    assert row["Beløp ekskl. mva"] == "2399,98"
    assert row["Mva"] == "599,99"
    assert row["Beløp inkl. mva"] == "2999,97"
    audit = AccessAudit.objects.get()
    assert (audit.what, audit.rows) == ("Kurspåmeldinger til regnskap", 1)


def test_the_csv_says_a_business_and_an_exempt_course_by_their_codes(
    staff_client, course_factory, course_date_factory, booking_factory
):
    exempt = booking_at(
        booking_factory,
        course_date_factory,
        course_factory,
        price=Decimal(3000),
        vat_rate=Decimal(0),
    )

    (row,) = dicts_of(run_action(staff_client, BOOKINGS, "export_csv", [exempt]))

    assert row["Kundetype"] == "Bedrift"
    assert row["Organisasjonsnummer"] == "974760673"
    assert row["Mva-kode"] == "6"  # outside the VAT Act (§ 3-5), not zero-rated
    assert (row["Beløp ekskl. mva"], row["Mva"], row["Beløp inkl. mva"]) == (
        "9000,00",
        "0,00",
        "9000,00",
    )


def test_the_tripletex_file_has_the_documented_columns_and_exact_order_lines(
    staff_client, course_factory, course_date_factory, booking_factory
):
    with_vat = booking_at(
        booking_factory,
        course_date_factory,
        course_factory,
        price=Decimal(4499),
        price_includes_vat=True,
        vat_rate=Decimal(25),
    )
    without_vat = booking_at(
        booking_factory,
        course_date_factory,
        course_factory,
        price=Decimal("333.33"),
        price_includes_vat=False,
        vat_rate=Decimal(25),
    )
    exempt = booking_at(
        booking_factory,
        course_date_factory,
        course_factory,
        price=Decimal(3000),
        vat_rate=Decimal(0),
    )
    Booking.objects.filter(pk=with_vat.pk).update(your_reference="Prosjekt Ærfugl")

    response = run_action(
        staff_client, BOOKINGS, "export_tripletex", [with_vat, without_vat, exempt]
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "tripletex-ordre-" in response["Content-Disposition"]
    header, *rows = rows_of(response)
    assert header == TRIPLETEX_HEADER
    first, second, third = (dict(zip(header, row, strict=True)) for row in rows)
    assert first["ORDER NO"] == str(with_vat.pk)
    assert first["ORDER DATE"] == "2031-04-01"
    assert first["CUSTOMER NAME"] == "Nordmann AS"
    assert first["ORGANIZATION NO"] == "974760673"
    assert first["POSTAL ADDR - LINE 1"] == "Gata 1"
    assert first["POSTAL ADDR - POSTAL NO"] == "0150"
    assert first["POSTAL ADDR - CITY"] == "Oslo"
    assert first["POSTAL ADDR - COUNTRY"] == "Norge"
    assert first["REFERENCE NO"] == "Prosjekt Ærfugl"
    assert first["CURRENCY"] == "NOK"
    assert first["ORDER LINE - DESCRIPTION"] == (
        "Glass og lys – grunnkurs, 06.05.2031 kl. 09.00 (3 deltakere)"
    )
    # 3 × 4 499 kr with VAT = 13 497 kr: 3 × 3 599,20 without, 2 699,40 VAT.
    assert (first["ORDER LINE - UNIT PRICE"], first["ORDER LINE - COUNT"]) == (
        "3599,20",
        "3",
    )
    assert first["ORDER LINE - VAT CODE"] == "3"
    # 3 × 333,33 kr without VAT: 999,99 kr, VAT 250,00 (249,9975 rounded).
    assert (second["ORDER LINE - UNIT PRICE"], second["ORDER LINE - COUNT"]) == (
        "333,33",
        "3",
    )
    assert (third["ORDER LINE - UNIT PRICE"], third["ORDER LINE - VAT CODE"]) == (
        "3000,00",
        "6",
    )
    audit = AccessAudit.objects.get()
    assert (audit.what, audit.rows) == ("Kurspåmeldinger til Tripletex", 3)


def test_a_price_per_participant_that_is_not_whole_ore_goes_as_one_line(
    staff_client, course_factory, course_date_factory, booking_factory
):
    # 3 × 1 000,01 kr with VAT = 3 000,03 kr: 2 400,02 without VAT, which three
    # participants cannot share in whole øre (800,0066…).
    booking = booking_at(
        booking_factory,
        course_date_factory,
        course_factory,
        price=Decimal("1000.01"),
        price_includes_vat=True,
        vat_rate=Decimal(25),
    )

    (row,) = dicts_of(run_action(staff_client, BOOKINGS, "export_tripletex", [booking]))

    assert (row["ORDER LINE - UNIT PRICE"], row["ORDER LINE - COUNT"]) == (
        "2400,02",
        "1",
    )
    assert row["ORDER LINE - DESCRIPTION"].endswith("(3 deltakere)")


def test_no_tripletex_file_when_a_booking_cannot_be_imported_exactly(
    staff_client, course_factory, course_date_factory, booking_factory
):
    # 2 999,97 kr with VAT has no price without VAT that Tripletex would turn
    # back into 2 999,97 (2 399,98 gives 600,00 VAT): the accountant enters it.
    odd = booking_at(
        booking_factory,
        course_date_factory,
        course_factory,
        price=Decimal("999.99"),
        price_includes_vat=True,
        vat_rate=Decimal(25),
    )
    invoiced = booking_at(booking_factory, course_date_factory, course_factory)
    Booking.objects.filter(pk=invoiced.pk).update(invoiced_at=timezone.now())

    response = run_action(staff_client, BOOKINGS, "export_tripletex", [odd, invoiced])

    assert response.status_code == 302
    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert f"Påmelding {odd.pk} har et beløp som ikke kan gjengis" in told[0]
    assert told[1] == f"Påmelding {invoiced.pk} er allerede merket som fakturert."
    assert "Ingen fil er laget" in told[2]
    assert not AccessAudit.objects.exists()
