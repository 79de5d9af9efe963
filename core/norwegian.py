"""One way to write a moment, a day, an amount and a count in Norwegian, for
templates, mails, admin and exports. Moments are in the site's time zone.

The formats are Språkrådet's: "14.01.2027 kl. 12.00", "14. januar 2027 kl. 12.00",
"kr 4 500,50"; core/formats/nb/formats.py gives Django's own widgets the same. An
organisation number is grouped as Enhetsregisteret shows it: "123 456 785".
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.formats import date_format
from stdnum.no import orgnr as stdnum_orgnr


def moment(value: datetime | None, *, long: bool = False) -> str:
    """ "14.01.2027 kl. 12.00", or with `long` "14. januar 2027 kl. 12.00"."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return date_format(local, "DATETIME_FORMAT" if long else "SHORT_DATETIME_FORMAT")


def day(value: date | None) -> str:
    """ "14. januar 2027"."""
    return date_format(value, "DATE_FORMAT") if value is not None else ""


def spreadsheet_moment(value: datetime | None) -> str:
    """ "2027-01-14 12:00" for CSV columns, which spreadsheets read as a date."""
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def kroner(amount: Decimal | int | None) -> str:
    """ "kr 4 500" for whole kroner, "kr 4 500,50" with øre, a space between
    thousands."""
    if amount is None:
        return ""
    amount = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole, ore = divmod(abs(amount) * 100, 100)
    text = f"{int(whole):,}".replace(",", " ")
    if ore:
        text += f",{int(ore):02d}"
    return f"kr {'-' if amount < 0 else ''}{text}"


def count(number: int, singular: str, plural: str) -> str:
    """ "1 deltaker", "3 deltakere"."""
    return f"{number} {singular if number == 1 else plural}"


def orgnr(number: str) -> str:
    """ "123 456 785", from "123456785" or "123 456785"; "" for none."""
    return stdnum_orgnr.format(number) if number.strip() else ""
