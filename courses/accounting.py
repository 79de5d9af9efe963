"""The invoicing basis for the accountant: our own CSV and Tripletex's order import.

A booking is one invoice with one line: the course on its date, times its
participants. Both files have one row per invoice line, and both use the booking's
number as the stable reference (our "Påmelding", Tripletex's ORDER NO), so that the
same booking exported twice is recognisably the same sale.
"""

import dataclasses
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from core.norwegian import moment, spreadsheet_amount
from courses.models import ORE, Amounts, Booking

# The standard VAT codes (Skatteetaten's SAF-T codes, which Tripletex uses as its
# "system defined VAT codes": https://tripletex.no/execute/docViewer?articleId=1407
# lists 3 = høy sats, 31 = middels, 33 = lav, 6 = omsetning utenfor mva-loven).
# A course at 0 % is exempt as education (merverdiavgiftsloven § 3-5): outside the
# Act, code 6, not the zero-rated code 5.
VAT_CODES = {
    Decimal(25): "3",
    Decimal(15): "31",
    Decimal(12): "33",
    Decimal(0): "6",
}


def vat_code(rate: Decimal) -> str:
    """The standard code for a VAT rate, or "" for a rate that has none."""
    return VAT_CODES.get(Decimal(rate).normalize(), "")


def customer_kind(booking: Booking) -> str:
    """An organisation number names a business; without one the buyer is a person."""
    return "Bedrift" if booking.orgnr else "Privatperson"


def line_description(booking: Booking) -> str:
    """What was sold and when it was delivered (bokføringsforskriften § 5-1-1 nr. 5
    and 6: the invoice names the service and its date)."""
    course_date = booking.course_date
    participants = "deltaker" if booking.seats == 1 else "deltakere"
    return (
        f"{course_date.course.title}, {moment(course_date.starts_at)} "
        f"({booking.seats} {participants})"
    )


# Our own CSV ------------------------------------------------------------------

ACCOUNTING_HEADER = [
    "Påmelding",
    "Kurs",
    "Kursdato",
    "Status",
    "Kundetype",
    "Fakturamottaker",
    "Organisasjonsnummer",
    "Fakturaadresse",
    "Postnummer",
    "Poststed",
    "Fakturering",
    "E-post for faktura",
    "Deres referanse",
    "Kontaktperson",
    "Kontaktens e-post",
    "Antall deltakere",
    "Pris per deltaker",
    "Prisen inkluderer mva",
    "Mva-sats (%)",
    "Mva-kode",
    "Beløp ekskl. mva",
    "Mva",
    "Beløp inkl. mva",
    "Bestilt",
    "Fakturert",
    "Fakturert av",
]


def accounting_row(booking: Booking) -> list:
    amounts = booking.amounts
    invoiced_by = booking.invoiced_by
    return [
        booking.pk,
        booking.course_date.course.title,
        moment(booking.course_date.starts_at),
        booking.get_status_display(),
        customer_kind(booking),
        booking.invoice_name,
        booking.orgnr,
        booking.invoice_street,
        booking.invoice_postcode,
        booking.invoice_place,
        "EHF" if booking.invoice_method == Booking.InvoiceMethod.EHF else "E-post",
        booking.invoice_email,
        booking.your_reference,
        booking.full_name,
        booking.email,
        booking.seats,
        spreadsheet_amount(booking.unit_price),
        "ja" if booking.price_includes_vat else "nei",
        spreadsheet_amount(booking.vat_rate),
        vat_code(booking.vat_rate),
        spreadsheet_amount(amounts.net),
        spreadsheet_amount(amounts.vat),
        spreadsheet_amount(amounts.total),
        moment(booking.created_at),
        moment(booking.invoiced_at),
        (invoiced_by.get_full_name() or invoiced_by.get_username())
        if invoiced_by
        else "",
    ]


# Tripletex's order import -----------------------------------------------------
#
# Ordre > Import, "Ordreimport – beskrivelse av kolonner":
# https://tripletex.no/execute/docViewer?articleId=722&language=0 (the order and
# customer columns). The order line columns are named as in Tripletex's invoice
# import, https://tripletex.no/execute/docViewer?articleId=1402&language=0. Tripletex
# finds a column by its header, so the headers must be exactly these; dates are
# YYYY-MM-DD. Each imported order is then invoiced from Tripletex, which gives the
# invoice its number and KID.

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


@dataclasses.dataclass(frozen=True)
class OrderLine:
    """A unit price without VAT and a count, as Tripletex takes an order line."""

    unit_price: Decimal
    count: int

    def amounts(self, vat_rate: Decimal) -> Amounts:
        """What the accounting system makes of the line: price times count, and
        the VAT on that, rounded to øre."""
        net = (self.unit_price * self.count).quantize(ORE, ROUND_HALF_UP)
        vat = (net * vat_rate / 100).quantize(ORE, ROUND_HALF_UP)
        return Amounts(net=net, vat=vat, total=net + vat)


def order_line(booking: Booking) -> OrderLine | None:
    """The order line that gives exactly the booking's amounts, øre for øre, or
    None when none does.

    The price per participant without VAT, times the participants, when that is
    exact (4 499 kr with VAT is 3 599,20 kr without). When it is not (a price
    with VAT that does not divide into øre), the booking's whole amount as one
    line, the participants named in the description. Never a line whose sum
    differs by an øre from what the customer was promised.
    """
    amounts = booking.amounts
    for line in (
        OrderLine(unit_price=amounts.net / booking.seats, count=booking.seats),
        OrderLine(unit_price=amounts.net, count=1),
    ):
        if line.unit_price != line.unit_price.quantize(ORE):
            continue
        made = line.amounts(booking.vat_rate)
        if made.net == amounts.net and made.vat == amounts.vat:
            return OrderLine(unit_price=line.unit_price.quantize(ORE), count=line.count)
    return None


def tripletex_refusal(booking: Booking) -> str | None:
    """Why a booking cannot go into Tripletex as an order, or None if it can."""
    if booking.status != Booking.Status.CONFIRMED:
        return f"er {booking.get_status_display().lower()}, ikke bekreftet"
    if booking.invoiced_at is not None:
        return "er allerede merket som fakturert"
    if not vat_code(booking.vat_rate):
        return f"har mva-sats {booking.vat_rate} %, som ikke har en standard mva-kode"
    if order_line(booking) is None:
        return (
            "har et beløp som ikke kan gjengis øre for øre som pris ganger antall; "
            "før den inn for hånd"
        )
    return None


def tripletex_refusals(bookings: Iterable[Booking]) -> list[str]:
    return [
        f"Påmelding {booking.pk} {refusal}."
        for booking in bookings
        if (refusal := tripletex_refusal(booking))
    ]


def tripletex_row(booking: Booking) -> list:
    """One order with one line; call only for a booking with no refusal."""
    line = order_line(booking)
    has_address = any(
        (booking.invoice_street, booking.invoice_postcode, booking.invoice_place)
    )
    return [
        booking.pk,
        timezone.localdate(booking.created_at).isoformat(),
        booking.invoice_name,
        booking.orgnr,
        booking.invoice_email,
        booking.invoice_street,
        booking.invoice_postcode,
        booking.invoice_place,
        # Postcodes here are Norwegian (four digits); Tripletex wants the
        # country's name in Norwegian.
        "Norge" if has_address else "",
        booking.your_reference,
        f"Påmelding {booking.pk} på nettstedet",
        "NOK",
        line_description(booking),
        spreadsheet_amount(line.unit_price),
        line.count,
        vat_code(booking.vat_rate),
    ]
