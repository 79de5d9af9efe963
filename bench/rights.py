"""Data-subject rights at volume, for `make bench` (issue 7), one measurement per
process so that each has its own peak memory:

    python -m bench.rights export --email kari@example.no --runs 9
    python -m bench.rights enforce
    python -m bench.rights sql-delete

`export` times `subject_export(email=...)`; `enforce` runs `manage.py
enforce_retention` (call_command, in this process); `sql-delete` deletes the same
expired mails with one plain SQL DELETE. Each prints one JSON line. Run by
bench/volume.py against the benchmark's own database only.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path


def peak_rss_kb() -> int:
    """This process's peak resident set size (KiB) since start, or since
    `reset_peak_rss()`."""
    status = memory_status()
    if "VmHWM" in status:
        return status["VmHWM"]
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def rss_kb() -> int | None:
    return memory_status().get("VmRSS")


def memory_status() -> dict[str, int]:
    """VmRSS and VmHWM (peak) of this process, in KiB (Linux; else empty)."""
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
    except OSError:
        return {}
    fields = (line.split() for line in lines if line.startswith(("VmRSS", "VmHWM")))
    return {name.rstrip(":"): int(value) for name, value, *_ in fields}


def reset_peak_rss() -> bool:
    """Start the peak over from the current RSS (Linux: clear_refs 5), so that the
    peak is the job's and not Django's start-up's; False where that is impossible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def mail_cutoff():
    """What MAIL_RETENTION_DAYS makes expired, as the retention job counts it."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    return timezone.now() - timedelta(days=settings.MAIL_RETENTION_DAYS)


def expired_mails() -> int:
    from outbox.models import OutgoingEmail

    return OutgoingEmail.objects.filter(created_at__lt=mail_cutoff()).count()


def export(*, email: str, runs: int) -> dict:
    """Median time of `subject_export` (after one warm-up run), its number of
    queries, and which declaration's lookup takes longest (each timed on its own)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from privacy.registry import registry
    from privacy.services.rights import subject_export

    document = subject_export(email=email)  # warm-up: connection, caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subject_export(email=email)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        subject_export(email=email)
    lookups = {}
    for processing in registry.processings:
        started = time.perf_counter()
        list(processing.records_for(email).values("pk", *processing.export_fields))
        lookups[processing.key] = (time.perf_counter() - started) * 1000
    slowest = sorted(lookups.items(), key=lambda item: item[1], reverse=True)[:2]
    return {
        "ms": [round(t, 2) for t in times],
        "median_ms": round(statistics.median(times), 2),
        "queries": len(queries.captured_queries),
        "slowest": [{"key": key, "ms": round(ms, 1)} for key, ms in slowest],
        "records": sum(len(item["poster"]) for item in document["behandlinger"]),
        "purposes": len(document["behandlinger"]),
    }


class StatementTimes:
    """Time spent in each kind of SQL statement (SELECT, DELETE, ...), without
    keeping the statements (so memory does not grow with their number)."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.count: dict[str, int] = {}

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            kind = sql.lstrip().split(None, 1)[0].upper()
            self.seconds[kind] = self.seconds.get(kind, 0) + (
                time.perf_counter() - started
            )
            self.count[kind] = self.count.get(kind, 0) + 1

    def summary(self) -> dict:
        return {
            kind: {"count": self.count[kind], "seconds": round(seconds, 3)}
            for kind, seconds in self.seconds.items()
        }


def enforce() -> dict:
    """`manage.py enforce_retention` as cron runs it, timed; and the peak memory of
    the process that ran it."""
    from django.core.management import call_command
    from django.db import connection

    from outbox.models import OutgoingEmail

    connection.ensure_connection()
    expired = expired_mails()
    total = OutgoingEmail.objects.count()
    statements = StatementTimes()
    peak_is_the_jobs = reset_peak_rss()
    start_rss = rss_kb() or peak_rss_kb()
    started = time.perf_counter()
    with connection.execute_wrapper(statements):
        call_command("enforce_retention", stdout=io.StringIO())
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 3),
        "expired_before": expired,
        "deleted": total - OutgoingEmail.objects.count(),
        "left": expired_mails(),
        "peak_rss_kb": peak_rss_kb(),
        "start_rss_kb": start_rss,
        # False: the peak may be the start-up's, which hides a smaller job's.
        "peak_is_the_jobs": peak_is_the_jobs,
        "statements": statements.summary(),
    }


def sql_delete() -> dict:
    """The same expired mails deleted with one plain DELETE, in one transaction."""
    from django.db import connection, transaction

    from outbox.models import OutgoingEmail

    connection.ensure_connection()
    expired = expired_mails()
    table = connection.ops.quote_name(OutgoingEmail._meta.db_table)
    column = connection.ops.quote_name(
        OutgoingEmail._meta.get_field("created_at").column
    )
    cutoff = connection.ops.adapt_datetimefield_value(mail_cutoff())
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {column} < %s", [cutoff])  # noqa: S608
        deleted = cursor.rowcount
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 3),
        "expired_before": expired,
        "deleted": deleted,
        "left": expired_mails(),
        "peak_rss_kb": peak_rss_kb(),
    }


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.rights")
    commands = parser.add_subparsers(dest="command", required=True)
    export_parser = commands.add_parser("export")
    export_parser.add_argument("--email", required=True)
    export_parser.add_argument("--runs", type=int, default=9)
    commands.add_parser("enforce")
    commands.add_parser("sql-delete")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    arguments = parse(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glasoterapi.settings")
    import django

    django.setup()
    if arguments.command == "export":
        result = export(email=arguments.email, runs=arguments.runs)
    elif arguments.command == "enforce":
        result = enforce()
    else:
        result = sql_delete()
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
