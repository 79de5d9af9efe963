"""`make bench`: a reproducible benchmark of the production stack, on loopback.

What it does, in order:

1. Prepares a throw-away site: a temporary SQLite file (or, with DATABASE_URL, a
   dedicated PostgreSQL database created next to the given one and dropped at the
   end), migrated, seeded with `seed_demo`, and static files collected into a
   temporary directory. The developer's db.sqlite3 and staticfiles/ are not touched.
2. Fills the course catalogue (bench/seed.py): first to 10 upcoming dates, to count
   the queries of /kurs/, then to 200 dates with 10,000 bookings, as every page is
   measured.
3. Starts gunicorn with the repo's config (glasoterapi/gunicorn.conf.py),
   DEBUG=False and whitenoise, once per settings variant: the production settings,
   the "floor" (bench/floor_settings.py: no middleware, one fixed response) and,
   when the consent middleware is installed, production without it.
4. Runs wrk against every target in several short rounds, alternating the targets
   inside each round, because the machine is shared and absolute numbers drift:
   every comparison is a ratio of two sides measured side by side in the same round.
5. Counts database queries per page in-process (Django's test client and
   CaptureQueriesContext against the same database), and measures a first visit to
   the home page before consent: requests, compressed bytes, third-party URLs.
6. With the servers stopped, data-subject rights at volume (bench/rights.py): every
   personal-data table filled to 100,000 rows; the time of one person's
   `subject_export`; `manage.py enforce_retention` deleting 100,000 expired mails
   against a plain SQL DELETE of the same rows on an identical copy of the
   database; and the job's peak memory with 20,000 and with 100,000 expired mails.
7. Prints a Markdown table and writes it to bench/RESULTS.md.

A goal that is missed is reported as FAIL and the exit status is still 0; the exit
status is non-zero only when the harness itself breaks.

Knobs (environment): BENCH_ROUNDS (default 5), BENCH_SECONDS per side and round
(default 3), BENCH_CONNECTIONS for wrk (default 8), BENCH_RETENTION_ROUNDS (job
against DELETE, default 2), DATABASE_URL (PostgreSQL).
"""

from __future__ import annotations

import os
import platform
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.config import (  # noqa: E402
    ACCEPT_ENCODING,
    CONSENT_PAGE,
    COURSE_LIST,
    HOME,
    PAGES,
    STATIC_FILE,
)
from bench.environment import (  # noqa: E402
    WORKERS,
    bench_database,
    consent_middleware_installed,
    hashed_static_path,
    prepare_site,
    production_env,
)
from bench.first_visit import FirstVisit, first_visit  # noqa: E402
from bench.load import (  # noqa: E402
    CONNECTIONS,
    ROUNDS,
    SECONDS_PER_SIDE,
    WARMUP_SECONDS,
    WRK_SCRIPT,
    Target,
    ensure_wrk,
    run_rounds,
    wrk_version,
)
from bench.queries import probe, skip_note  # noqa: E402
from bench.report import markdown_table  # noqa: E402
from bench.results import (  # noqa: E402
    COLUMNS,
    GOAL_COURSE_LIST_SHARE_OF_HOME,
    Results,
    count_or_na,
    table_rows,
)
from bench.volume import (  # noqa: E402
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
    measure_rights,
    seed_courses,
)
from drills import stack  # noqa: E402 (needs the repo on sys.path)
from drills.stack import HarnessError, Server, running  # noqa: E402

RESULTS_FILE = REPO / "bench" / "RESULTS.md"


def command_description() -> str:
    """How this run was started, with DATABASE_URL shown without credentials."""
    knobs = ("BENCH_ROUNDS", "BENCH_SECONDS", "BENCH_CONNECTIONS")
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
        f"`seed_demo` plus {catalogue} (bench/seed.py) for the pages; then, for "
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

Courses (issue 5): before the servers start, bench/seed.py fills the catalogue
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


# ------------------------------------------------------------------------------
# Main
# ------------------------------------------------------------------------------
@dataclass
class LoadPlan:
    """The servers to start and the targets wrk measures on them."""

    site: Server
    servers: list[Server]
    floor: Target
    pages: list[Target]
    static: Target
    consent: tuple[Target, Target] | None  # (with, without) the middleware

    @property
    def targets(self) -> list[Target]:
        # Compared sides run close together: floor, home, the course list (compared
        # with home), then the rest, and last the consent page with and without.
        return [self.floor, *self.pages, self.static, *(self.consent or ())]


def plan_load(ready: list[str], static_path: str) -> LoadPlan:
    """Targets for the pages that answer 200, the static file, the floor and,
    when it can be measured, the consent page with and without its middleware."""
    site = Server("site", "glasoterapi.settings")
    floor_server = Server("floor", "bench.floor_settings")
    # Both sides of the consent comparison on servers of their own, that serve
    # nothing else: the site's server, which serves every page, differs in more
    # than the middleware (what its processes have cached, for one).
    consent_on = Server("consent-on", "glasoterapi.settings")
    no_consent = Server("no-consent", "bench.no_consent_settings")
    measure_consent = consent_middleware_installed() and CONSENT_PAGE in ready
    servers = [site, floor_server]
    if measure_consent:
        servers += [consent_on, no_consent]

    floor = Target("Floor: fixed `HttpResponse`, no middleware", floor_server, "/")
    pages = [Target(f"Page `{path}`", site, path) for path in ready]
    static = Target(f"Static `{static_path}` (whitenoise)", site, static_path)
    consent = None
    if measure_consent:
        path = CONSENT_PAGE
        consent = tuple(
            Target(f"`{path}` {side} ConsentMiddleware", server, path)
            for side, server in [("with", consent_on), ("without", no_consent)]
        )
    pages.sort(key=lambda page: (page.path != HOME, page.path != COURSE_LIST))
    return LoadPlan(site, servers, floor, pages, static, consent)


def measure_load(
    plan: LoadPlan, env: dict[str, str], tmp: Path, wrk: str
) -> FirstVisit:
    """The wrk rounds and the first visit, with the servers running."""
    script = tmp / "report.lua"
    script.write_text(WRK_SCRIPT)
    targets = plan.targets
    with running(plan.servers, env, tmp):
        seconds = len(targets) * (WARMUP_SECONDS + ROUNDS * SECONDS_PER_SIDE)
        names = ", ".join(f"{t.server.name}:{t.path}" for t in targets)
        print(f"Measuring {names} (about {seconds} s) ...")
        run_rounds(wrk, script, targets)
        return first_visit(plan.site.port, HOME)


def benchmark(tmp: Path, wrk: str) -> tuple[Results, dict[str, str]]:
    with bench_database(tmp) as database_url:
        env = production_env(tmp, database_url)
        print("Preparing a temporary site (migrate, collectstatic, seed) ...")
        prepare_site(env)
        print(
            f"Filling the course catalogue ({COURSE_DATES_FEW}, then {COURSE_DATES} "
            "upcoming dates) ..."
        )
        courses = CourseFigures()
        seed_courses(env, courses)
        static_path = hashed_static_path(STATIC_FILE)
        probes = {path: probe(path) for path in [*PAGES, static_path]}
        courses.queries_many = probes[COURSE_LIST].queries
        ready = [path for path in PAGES if probes[path].status == 200]
        load_plan = plan_load(ready, static_path)
        visit = measure_load(load_plan, env, tmp, wrk)
        context = {"database": database_description()}
        print(
            f"Data-subject rights: {PERSONAL_DATA_ROWS:,} rows per personal-data "
            f"table, retention job against DELETE ({RETENTION_ROUNDS} rounds) ..."
        )
        rights = measure_rights(env, database_url, tmp)
    results = Results(
        floor=load_plan.floor,
        pages=load_plan.pages,
        skipped={path: skip_note(probes[path]) for path in PAGES if path not in ready},
        static=load_plan.static,
        consent=load_plan.consent,
        consent_note=consent_note(),
        queries={path: result.queries for path, result in probes.items()},
        visit=visit,
        courses=courses,
        rights=rights,
    )
    return results, context


def consent_note() -> str:
    """Why the consent middleware's cost was not measured, if it was not."""
    if consent_middleware_installed():
        return f"n/a (`{CONSENT_PAGE}` not measured)"
    return "n/a (ConsentMiddleware not installed)"


def read_dotenv() -> None:
    """Read .env as the settings do (the environment wins), so that a DATABASE_URL
    there chooses PostgreSQL for the benchmark too."""
    if (REPO / ".env").exists():
        import environ

        environ.Env.read_env(REPO / ".env", overwrite=False)


def main() -> int:
    started = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks
    read_dotenv()
    wrk = ensure_wrk()
    context = {
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "machine": stack.machine_description(),
        "load": stack.load_average(),
        "software": software_description(),
        "wrk": wrk_version(wrk),
        "command": command_description(),
    }
    tmp = Path(tempfile.mkdtemp(prefix="glasoterapi-bench-"))
    try:
        results, measured = benchmark(tmp, wrk)
    except HarnessError as error:
        print(f"\nThe benchmark could not run: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nInterrupted; servers stopped.", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    minutes, seconds = divmod(round(time.monotonic() - started), 60)
    context |= measured | {
        "took": f"{minutes} min {seconds} s",
        "load_end": stack.load_average(),
    }
    text = report(results, context)
    RESULTS_FILE.write_text(text)
    print()
    print(text)
    print(f"Written to {RESULTS_FILE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
