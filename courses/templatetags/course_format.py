"""Norwegian formats for course pages and e-mails: "kr 4 500", "inkl. mva",
"tirsdag 14. januar 2027 kl. 09.00–15.00" (in Europe/Oslo)."""

from decimal import Decimal

from django import template
from django.utils import dateformat, timezone

from core import norwegian
from courses.models import Amounts, Booking

register = template.Library()


@register.filter
def nok(amount: Decimal | int | None) -> str:
    return norwegian.kroner(amount)


@register.filter
def vat_label(obj) -> str:
    """For a course or a booking: whether the price includes VAT."""
    if not obj.vat_rate:
        return "fritatt for mva"
    return "inkl. mva" if obj.price_includes_vat else "ekskl. mva"


@register.filter
def price_per_participant(obj) -> str:
    """A course's or a booking's price as a consumer must see it, VAT included
    (prisopplysningsforskriften § 4): "kr 4 500 inkl. mva", or for a price set
    without VAT "kr 4 000 ekskl. mva (kr 5 000 inkl. mva)"."""
    # A booking keeps the price it was made at, even when that was kr 0.
    unit_price = obj.unit_price if isinstance(obj, Booking) else obj.price
    if not obj.vat_rate:
        return unbroken(f"{norwegian.kroner(unit_price)} (fritatt for mva)")
    if obj.price_includes_vat:
        return unbroken(f"{norwegian.kroner(unit_price)} inkl. mva")
    amounts = Amounts.of(
        unit_price=unit_price, seats=1, vat_rate=obj.vat_rate, includes_vat=False
    )
    # On a phone the two may wrap onto two lines, never inside one.
    return (
        f"{unbroken(norwegian.kroner(amounts.net) + ' ekskl. mva')} "
        f"{unbroken('(' + norwegian.kroner(amounts.total) + ' inkl. mva)')}"
    )


@register.filter
def price_with_vat(obj) -> str:
    """A course's price per participant as a card leads with it, VAT included
    (prisopplysningsforskriften § 4): "kr 5 000 inkl. mva", or "kr 1 200 (fritatt
    for mva)"; `price_without_vat` says what a price set without VAT was."""
    if not obj.vat_rate:
        return unbroken(f"{norwegian.kroner(obj.price)} (fritatt for mva)")
    amounts = Amounts.of(
        unit_price=obj.price,
        seats=1,
        vat_rate=obj.vat_rate,
        includes_vat=obj.price_includes_vat,
    )
    return unbroken(f"{norwegian.kroner(amounts.total)} inkl. mva")


@register.filter
def price_without_vat(obj) -> str:
    """ "kr 4 000 ekskl. mva" for a price set without VAT (a company's price), else
    nothing."""
    if not obj.vat_rate or obj.price_includes_vat:
        return ""
    return unbroken(f"{norwegian.kroner(obj.price)} ekskl. mva")


def unbroken(text: str) -> str:
    """A price that never wraps inside itself: "kr 4 500 inkl. mva" on one line."""
    return text.replace(" ", "\u00a0")


@register.filter
def course_when(course_date) -> str:
    """When a course date runs, in Norwegian, in the site's time zone."""
    start = timezone.localtime(course_date.starts_at)
    end = timezone.localtime(course_date.ends_at)
    if start.date() == end.date():
        return f"{dateformat.format(start, 'l j. F Y')} kl. {start:%H.%M}–{end:%H.%M}"
    return (
        f"{dateformat.format(start, 'l j. F Y')} kl. {start:%H.%M} – "
        f"{dateformat.format(end, 'l j. F Y')} kl. {end:%H.%M}"
    )


@register.filter
def moment(value) -> str:
    """A moment in a list or a mail: "14.01.2027 kl. 12.00"."""
    return norwegian.moment(value)


@register.filter
def deadline(value) -> str:
    """A deadline on a page beside the course's date, written the same way:
    "14. januar 2027 kl. 12.00"."""
    return norwegian.moment(value, long=True)
