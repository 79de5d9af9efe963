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


def short_day(value: datetime | date | None) -> str:
    """ "14.01.2027", for a list column (a moment in the site's time zone)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return date_format(value, "SHORT_DATE_FORMAT")


def spreadsheet_moment(value: datetime | None) -> str:
    """ "2027-01-14 12:00" for CSV columns, which spreadsheets read as a date."""
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def spreadsheet_amount(value: Decimal | int) -> str:
    """ "4500,00" for CSV columns: Norwegian Excel reads a decimal comma as a number,
    and a space between thousands as text."""
    return f"{Decimal(value):.2f}".replace(".", ",")


def kroner(amount: Decimal | int | None) -> str:
    """ "kr 4 500" for whole kroner, "kr 4 500,50" with øre."""
    if amount is None:
        return ""
    return f"kr {number(amount)}"


def number(value: Decimal | int) -> str:
    """ "4 500", "4 500,50", "25": a space between thousands, a decimal comma, two
    decimals only when there is a fraction."""
    value = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole, fraction = divmod(abs(value) * 100, 100)
    text = f"{int(whole):,}".replace(",", " ")
    if fraction:
        text += f",{int(fraction):02d}"
    return f"{'-' if value < 0 else ''}{text}"


def count(number: int, singular: str, plural: str) -> str:
    """ "1 deltaker", "3 deltakere"."""
    return f"{number} {singular if number == 1 else plural}"


def period(days: int) -> str:
    """ "3 år", "6 måneder", "1 dag": a number of days in the largest whole unit."""
    if days % 365 == 0:
        return f"{days // 365} år"
    if days % 30 == 0:
        months = days // 30
        return f"{months} {'måned' if months == 1 else 'måneder'}"
    return f"{days} {'dag' if days == 1 else 'dager'}"


def minutes(total: int) -> str:
    """ "26 timer", "1 time", "30 minutter": whole hours when there are."""
    if total and total % 60 == 0:
        return count(total // 60, "time", "timer")
    return count(total, "minutt", "minutter")


def orgnr(number: str) -> str:
    """ "123 456 785", from "123456785" or "123 456785"; "" for none."""
    return stdnum_orgnr.format(number) if number.strip() else ""
