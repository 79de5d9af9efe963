"""CSV downloads for staff, readable by Excel with Norwegian letters."""

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

# Excel detects UTF-8 only with a byte order mark; without it æøå turn to mojibake.
BYTE_ORDER_MARK = "\ufeff"


def csv_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write(BYTE_ORDER_MARK)
    # Semicolons: Norwegian Excel uses the comma as decimal separator.
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise_formula(value) for value in row])
    return response


def neutralise_formula(value):
    """Keep a visitor's "=HYPERLINK(...)" from running as a formula in Excel (OWASP
    CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value
