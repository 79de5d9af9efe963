"""bench/RESULTS.md as a whole: how the run was made, the table of results, and how
to read it (what each figure is and how it was measured)."""

from __future__ import annotations

import os
import platform

from bench.config import ACCEPT_ENCODING, CONSENT_PAGE, COURSE_LIST
from bench.environment import WORKERS
from bench.lighthouse import RUNS as LIGHTHOUSE_RUNS
from bench.lighthouse import environment_note
from bench.load import CONNECTIONS, ROUNDS, SECONDS_PER_SIDE, WARMUP_SECONDS
from bench.report import markdown_table
from bench.results import (
    COLUMNS,
    GOAL_COURSE_LIST_SHARE_OF_HOME,
    Results,
    count_or_na,
    table_rows,
)
from bench.volume import (
    COURSE_BOOKINGS,
    COURSE_BOOKINGS_FEW,
    COURSE_DATES,
    COURSE_DATES_FEW,
    EXPIRED_FEW,
    EXPIRED_MANY,
    EXPORT_RUNS,
    PERSONAL_DATA_ROWS,
    RETENTION_ROUNDS,
    CourseFigures,
    RightsFigures,
)
from drills import stack


def command_description() -> str:
    """How this run was started, with DATABASE_URL shown without credentials."""
    knobs = (
        "BENCH_ROUNDS",
        "BENCH_SECONDS",
        "BENCH_CONNECTIONS",
        "BENCH_LIGHTHOUSE_RUNS",
    )
    words = [f"{name}={os.environ[name]}" for name in knobs if name in os.environ]
    if os.environ.get("DATABASE_URL"):
        words.insert(
            0, f"DATABASE_URL={stack.url_without_password(os.environ['DATABASE_URL'])}"
        )
    return " ".join([*words, "make bench"])


def database_description() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        return (
            f"PostgreSQL {major}.{minor} (temporary database on DATABASE_URL's server)"
        )
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version} (temporary file)"


def software_description() -> str:
    from importlib.metadata import version

    packages = ", ".join(
        f"{name} {version(name)}" for name in ("Django", "gunicorn", "whitenoise")
    )
    return f"Python {platform.python_version()}, {packages}"


def data_description(courses: CourseFigures, rights: RightsFigures) -> str:
    catalogue = (
        f"{count_or_na(courses.seeded.get('upcoming_dates'))} upcoming course dates "
        f"with {count_or_na(courses.seeded.get('upcoming_bookings'))} bookings"
    )
    totals = rights.seeded.get("totals", {})
    tables = ", ".join(
        f"{label.split('.')[-1]} {count:,}" for label, count in totals.items()
    )
    return (
        f"`seed_demo` plus {catalogue} (bench/seed/) for the pages; then, for "
        f"the rights rows, rows per table: {tables or 'n/a'}"
    )


# What the table's columns, ratios and verdicts mean, and how each figure is made.
EXPLANATION = f"""\
How to read it: each target ran {ROUNDS} rounds × {SECONDS_PER_SIDE} s with wrk
(1 thread, {CONNECTIONS} connections, `Accept-Encoding: {ACCEPT_ENCODING}`, 127.0.0.1),
one target after the other in every round (compared sides next to each other or one
apart, the order reversed every other round), after a {WARMUP_SECONDS} s warm-up each.
req/s, p50, p99 and CPU µs/req are medians over the rounds; latency is at
saturation, so it includes queueing. CPU µs/req is the user + system time of the
server's workers per request. "of floor" is the median of the per-round ratios to
the floor (range in brackets); "by CPU" is the same share estimated from CPU time
per request, which other load on a shared machine disturbs much less than req/s.
Goals are judged on req/s, as stated; the CPU verdict is added when it disagrees.
Each gunicorn runs glasoterapi/gunicorn.conf.py with {WORKERS} sync workers,
DEBUG=False, and worker recycling (GUNICORN_MAX_REQUESTS) off. wrk sends no
cookies, so every request is a new visitor's, and the home page and the course
list are answered from the visitor page cache (glasoterapi/pagecache.py) with a
fresh CSP nonce and CSRF secret each. DB queries: one request by a new visitor
after a warm-up, in-process with Django's test client, with the page rendered
(page and fragment caches emptied first); the course list's first query reads the
catalogue version from the shared cache. The consent middleware is compared on
`{CONSENT_PAGE}`, which is rendered for every request, with a server of its own on
each side.
First visit: the HTML plus every stylesheet, script, image and icon it references
(and what the CSS references), as transferred (compressed), with GA_MEASUREMENT_ID
set as in production so that the consent banner shows.

Lighthouse (issue 17), after the wrk rounds on the site's server: {LIGHTHOUSE_RUNS} runs
per page of node_modules/.bin/lighthouse with its defaults (mobile emulation,
simulated throttling), categories performance, accessibility, best practices and
SEO, in headless Chromium with a fresh profile each run; a score is the median of
the runs (range in brackets when they differ), and for a category under its goal
the audits that did not pass (score under 0.9) in its median run are listed.
Lighthouse measures the production stack (bench/production_origin.py): what
it measured in this run is named under the table. Performance depends on the
machine's CPU (see the note under the table); the other three do not.

Courses (issue 5): before the servers start, bench/seed/ fills the catalogue
to {COURSE_DATES_FEW} upcoming dates ({COURSE_BOOKINGS_FEW} bookings), where the queries
of `{COURSE_LIST}` (its first page) are counted, then to {COURSE_DATES} upcoming dates
with {COURSE_BOOKINGS:,} confirmed, waitlisted and cancelled bookings and their
participants, where they are counted again and every page is measured. The same
number of queries with {COURSE_DATES_FEW} and {COURSE_DATES} dates is a PASS.
"of `/`'s req/s" is the median of the per-round ratios of `{COURSE_LIST}` to the
home page; at least
{GOAL_COURSE_LIST_SHARE_OF_HOME:.0%} means `{COURSE_LIST}` takes at most twice as long.

Rights (issue 7), after the page rounds with the servers stopped: every
personal-data table (contact.Inquiry, courses.Booking and Participant,
newsletter.Subscriber, privacy.ConsentRecord, outbox.OutgoingEmail) is filled to at
least {PERSONAL_DATA_ROWS:,} rows with distinct normalised addresses and
timestamps inside each declared retention period, plus a few records of one person
in each (on PostgreSQL the filled tables are then ANALYZEd, as autovacuum keeps
them on a live site). `subject_export` for that person: the median of
{EXPORT_RUNS} runs after a warm-up, in its own process; DB queries of one run;
"slowest lookups" times each declaration's lookup on its own (where the time goes).

Retention: {EXPIRED_MANY:,} sent mails older than MAIL_RETENTION_DAYS are added
(numbered below the live ones, as mails made earlier are in production), the
database is copied twice (SQLite backup API, or CREATE DATABASE … TEMPLATE), and
`manage.py enforce_retention` (call_command with its default batch size, timed
inside its process after start-up) runs on one copy while one plain
`DELETE … WHERE created_at < cutoff` runs on the other, back to back, the order
alternating over {RETENTION_ROUNDS} rounds; the ratio is the median of the
per-round ratios. The job's time is split by SQL statement (count in brackets);
the rest is commits and Python. Memory: the peak RSS (VmHWM, reset just before the
job through /proc/self/clear_refs, so it is the job's peak on top of what Django
and the counts before it hold) of the process that ran the job with
{EXPIRED_FEW:,} expired mails, against the median with {EXPIRED_MANY:,}."""


def report(results: Results, context: dict[str, str]) -> str:
    """bench/RESULTS.md: how the run was made, the table, how to read it."""
    context = context | {"data": data_description(results.courses, results.rights)}
    rows = [row.cells() for row in table_rows(results)]
    parts = [
        "# Benchmark results",
        run_description(context),
        markdown_table(COLUMNS, rows),
        f"First visit to `/` fetched: {results.visit.describe()}.",
        environment_note(results.lighthouse, context["lighthouse"])
        + f" Measured on: {context['lighthouse_origin']}.",
        EXPLANATION,
    ]
    return "\n\n".join(parts) + "\n"


def run_description(context: dict[str, str]) -> str:
    return f"""\
- Date: {context["date"]}
- Machine: {context["machine"]}; load average (1/5/15 min) {context["load"]} at \
start, {context["load_end"]} at end (the machine is shared: compare ratios, not \
absolute numbers)
- Software: {context["software"]}; {context["wrk"]}
- Database: {context["database"]}
- Data: {context["data"]}
- Command: `{context["command"]}` (runs `.venv/bin/python bench/run.py`); took \
{context["took"]}"""
