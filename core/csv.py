"""CSV downloads for staff, readable by Excel with Norwegian letters."""

import csv
import re
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from core.hooks import Hook

# Called with user, what and rows after every export (privacy's audit log).
data_exported = Hook("data_exported")

# Excel detects UTF-8 only with a byte order mark; without it æøå turn to mojibake.
BYTE_ORDER_MARK = "\ufeff"


def csv_response(
    *,
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    exported_by,
    what: str,
) -> HttpResponse:
    """A CSV download for staff, recorded in the audit log of personal-data exports
    (who, when, `what` and how many rows)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write(BYTE_ORDER_MARK)
    # Semicolons: Norwegian Excel uses the comma as decimal separator.
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([neutralise_formula(value) for value in row])
        count += 1
    data_exported(user=exported_by, what=what, rows=count)
    return response


# A signed number in groups, such as a phone number "+47 912 34 567": nothing to
# run, and Excel keeps it as text. Unspaced, Excel would read it as a number and
# drop the sign, so that keeps its quote.
PLAIN_NUMBER = re.compile(r"[+-]?\d+( \d+)+")


def neutralise_formula(value):
    """Keep a visitor's "=HYPERLINK(...)" from running as a formula in Excel (OWASP
    CSV injection). A number in groups needs no quote, which would show in the cell."""
    if value is None:
        return ""
    if (
        isinstance(value, str)
        and value[:1] in ("=", "+", "-", "@", "\t", "\r")
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value
