"""Norwegian formats for course pages and e-mails: "kr 4 500", "inkl. mva",
"tirsdag 14. januar 2027 kl. 09.00–15.00" (in Europe/Oslo)."""

from decimal import Decimal

from django import template
from django.utils import dateformat, timezone

from core import norwegian

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
    """A deadline: "14.01.2027 kl. 12.00"."""
    return norwegian.moment(value)
