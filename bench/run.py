"""`make bench`: a reproducible benchmark of the production stack, on loopback.

What it does, in order:

1. Prepares a throw-away site (bench/environment.py): a temporary SQLite file (or,
   with DATABASE_URL, a dedicated PostgreSQL database created next to the given one
   and dropped at the end), migrated, seeded with `seed_demo`, and static files
   collected into a temporary directory. The developer's db.sqlite3 and
   staticfiles/ are not touched.
2. Fills the course catalogue (bench/volume.py runs bench/seed/): first to 10
   upcoming dates, to count the queries of /kurs/, then to 200 dates with 10,000
   bookings, as every page is measured.
3. Starts gunicorn (drills/stack.py) with the repo's config
   (glasoterapi/gunicorn.conf.py), DEBUG=False and whitenoise, once per settings
   variant: the production settings, the "floor" (bench/floor_settings.py: no
   middleware, one fixed response) and, when the consent middleware is installed,
   production without it.
4. Runs wrk (bench/load.py) against every target in several short rounds,
   alternating the targets inside each round, because the machine is shared and
   absolute numbers drift: every comparison is a ratio of two sides measured side
   by side in the same round.
5. Counts database queries per page in-process (bench/queries.py: Django's test
   client and CaptureQueriesContext against the same database), and measures a
   first visit to the home page before consent (bench/first_visit.py): requests,
   compressed bytes, third-party URLs; then Lighthouse (bench/lighthouse.py),
   three runs on each of five pages, the median score per category.
6. With the servers stopped, data-subject rights at volume (bench/volume.py runs
   bench/seed/ and bench/rights.py): every personal-data table filled to 100,000
   rows; the time of one person's `subject_export`; `manage.py enforce_retention`
   deleting 100,000 expired mails against a plain SQL DELETE of the same rows on an
   identical copy of the database; and the job's peak memory with 20,000 and with
   100,000 expired mails.
7. Prints a Markdown table and writes it to bench/RESULTS.md: its rows, goals and
   verdicts are bench/results.py's, the text around it bench/document.py's, the
   table printer bench/report.py.

A goal that is missed is reported as FAIL and the exit status is still 0; the exit
status is non-zero only when the harness itself breaks.

Knobs (environment): BENCH_ROUNDS (default 5), BENCH_SECONDS per side and round
(default 3), BENCH_CONNECTIONS for wrk (default 8), BENCH_RETENTION_ROUNDS (job
against DELETE, default 2), BENCH_LIGHTHOUSE_RUNS per page (default 3),
DATABASE_URL (PostgreSQL).
"""

from __future__ import annotations

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
    CONSENT_PAGE,
    COURSE_LIST,
    HOME,
    LIGHTHOUSE_PAGES,
    PAGE_GOALS,
    PAGES,
    SIGNUP_GOAL,
    STATIC_FILE,
)
from bench.document import (  # noqa: E402
    command_description,
    database_description,
    report,
    software_description,
)
from bench.environment import (  # noqa: E402
    bench_database,
    consent_middleware_installed,
    hashed_static_path,
    prepare_site,
    production_env,
)
from bench.first_visit import FirstVisit, first_visit  # noqa: E402
from bench.lighthouse import PageScores, lighthouse_version  # noqa: E402
from bench.lighthouse import measure as lighthouse  # noqa: E402
from bench.load import (  # noqa: E402
    ROUNDS,
    SECONDS_PER_SIDE,
    WARMUP_SECONDS,
    WRK_SCRIPT,
    Target,
    ensure_wrk,
    run_rounds,
    wrk_version,
)
from bench.production_origin import production_origin, warm_up  # noqa: E402
from bench.queries import probe, skip_note  # noqa: E402
from bench.results import Results  # noqa: E402
from bench.volume import (  # noqa: E402
    COURSE_DATES,
    COURSE_DATES_FEW,
    PERSONAL_DATA_ROWS,
    RETENTION_ROUNDS,
    CourseFigures,
    measure_rights,
    seed_courses,
)
from drills import stack  # noqa: E402 (needs the repo on sys.path)
from drills.stack import HarnessError, Server, running  # noqa: E402

RESULTS_FILE = REPO / "bench" / "RESULTS.md"


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


def plan_load(ready: list[str], static_path: str, *, consent_ready: bool) -> LoadPlan:
    """Targets for the pages that answer 200, the static file, the floor and,
    when it can be measured, the consent page with and without its middleware."""
    site = Server("site", "glasoterapi.settings")
    floor_server = Server("floor", "bench.floor_settings")
    # Both sides of the consent comparison on servers of their own, that serve
    # nothing else: the site's server, which serves every page, differs in more
    # than the middleware (what its processes have cached, for one).
    consent_on = Server("consent-on", "glasoterapi.settings")
    no_consent = Server("no-consent", "bench.no_consent_settings")
    measure_consent = consent_middleware_installed() and consent_ready
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
    plan: LoadPlan, env: dict[str, str], tmp: Path, wrk: str, audited: list[str]
) -> tuple[FirstVisit, list[PageScores], str]:
    """The wrk rounds, the first visit and Lighthouse on the `audited` pages, with
    the servers running (Lighthouse last, with wrk done, through nginx), and what
    Lighthouse measured."""
    script = tmp / "report.lua"
    script.write_text(WRK_SCRIPT)
    targets = plan.targets
    with running(plan.servers, env, tmp):
        seconds = len(targets) * (WARMUP_SECONDS + ROUNDS * SECONDS_PER_SIDE)
        names = ", ".join(f"{t.server.name}:{t.path}" for t in targets)
        print(f"Measuring {names} (about {seconds} s) ...")
        run_rounds(wrk, script, targets)
        visit = first_visit(plan.site.port, HOME)
        with production_origin(env, tmp, plan.site) as origin:
            warm_up(origin, audited)
            scores = lighthouse(origin.url, audited, tmp, origin.chrome_flags)
        return visit, scores, origin.description


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
        signup = courses.seeded.get("signup_path")
        paths = [*PAGES, *([signup] if signup else [])]
        goals = {**PAGE_GOALS, **({signup: SIGNUP_GOAL} if signup else {})}
        probes = {path: probe(path) for path in [*paths, CONSENT_PAGE, static_path]}
        courses.queries_many = probes[COURSE_LIST].queries
        ready = [path for path in paths if probes[path].status == 200]
        consent_ready = probes[CONSENT_PAGE].status == 200
        load_plan = plan_load(ready, static_path, consent_ready=consent_ready)
        audited = lighthouse_pages(signup)
        visit, scores, measured = measure_load(load_plan, env, tmp, wrk, audited)
        context = {"database": database_description(), "lighthouse_origin": measured}
        print(
            f"Data-subject rights: {PERSONAL_DATA_ROWS:,} rows per personal-data "
            f"table, retention job against DELETE ({RETENTION_ROUNDS} rounds) ..."
        )
        rights = measure_rights(env, database_url, tmp)
    results = Results(
        floor=load_plan.floor,
        pages=load_plan.pages,
        paths=paths,
        goals=goals,
        skipped={path: skip_note(probes[path]) for path in paths if path not in ready},
        static=load_plan.static,
        consent=load_plan.consent,
        consent_note=consent_note(),
        queries={path: result.queries for path, result in probes.items()},
        visit=visit,
        lighthouse=scores,
        courses=courses,
        rights=rights,
    )
    return results, context


def lighthouse_pages(signup: str | None) -> list[str]:
    """LIGHTHOUSE_PAGES with the page of the sign-up's course after /kurs/
    (/kurs/<slug>/<date>/pamelding/ belongs to /kurs/<slug>/)."""
    pages = list(LIGHTHOUSE_PAGES)
    if signup:
        course_page = "/".join(signup.split("/")[:3]) + "/"
        pages.insert(pages.index(COURSE_LIST) + 1, course_page)
    return pages


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
        "lighthouse": lighthouse_version(),
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
