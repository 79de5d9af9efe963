"""Database queries per page, counted in this process with Django's test client
against the benchmark's own database (prepare_site sets Django up on it)."""

from __future__ import annotations

import logging
from dataclasses import dataclass


@dataclass
class Probe:
    status: int | None
    queries: int | None
    error: str = ""


def probe(path: str) -> Probe:
    """Status and query count of one request by a new visitor, after a warm-up, with
    the page rendered (the page and fragment caches emptied before it).

    A page that raises is reported in the table rather than stopping the benchmark.
    """
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    logging.disable(logging.CRITICAL)  # Django would log the traceback of a 500
    try:
        Client(HTTP_HOST="127.0.0.1").get(path)
        caches["fragments"].clear()
        with CaptureQueriesContext(connection) as queries:
            response = Client(HTTP_HOST="127.0.0.1").get(path)
    except Exception as error:  # noqa: BLE001
        message = (str(error).splitlines() or [""])[0][:80].replace("|", "/")
        return Probe(None, None, f"{type(error).__name__}: {message}")
    finally:
        logging.disable(logging.NOTSET)
    return Probe(response.status_code, len(queries.captured_queries))


def skip_note(result: Probe) -> str:
    if result.status == 404:
        return "n/a (404: not built yet)"
    if result.error:
        return f"⚠ skipped: raises {result.error}"
    return f"⚠ skipped: answers HTTP {result.status}"
