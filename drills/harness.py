"""What every drill uses: a throw-away site (database + environment), gunicorn on
it, SQL to check the outcome, and the PASS/FAIL record of checks with numbers."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from drills import stack
from drills.stack import REPO, Server

WORKERS = 2  # gunicorn workers, unless a drill asks for more


# ------------------------------------------------------------------------------
# Results
# ------------------------------------------------------------------------------
@dataclass
class Check:
    what: str
    ok: bool
    detail: str


@dataclass
class DrillResult:
    name: str
    title: str
    checks: list[Check] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    error: str = ""  # the drill could not run to the end
    skipped: str = ""
    seconds: float = 0.0

    def check(self, what: str, ok: object, detail: str = "") -> bool:
        self.checks.append(Check(what, bool(ok), detail))
        return bool(ok)

    def note(self, text: str) -> None:
        self.numbers.append(text)

    @property
    def verdict(self) -> str:
        if self.skipped:
            return "SKIP"
        if self.error or not self.checks or not all(c.ok for c in self.checks):
            return "FAIL"
        return "PASS"


# ------------------------------------------------------------------------------
# The site under drill
# ------------------------------------------------------------------------------
@dataclass
class Context:
    """Shared by the drills of one run: where PostgreSQL is, and static files
    collected once into a temporary STATIC_ROOT."""

    database_url: str  # DATABASE_URL: the server the scratch databases go on
    tmp: Path

    @property
    def static_root(self) -> Path:
        return self.tmp / "static"

    def env(self, database_url: str, workers: int = WORKERS) -> dict[str, str]:
        return stack.production_env(
            database_url=database_url,
            static_root=self.static_root,
            workers=workers,
            # Recycling workers would replace pids behind the worker drill's back.
            GUNICORN_MAX_REQUESTS="0",
            # The production default, said out loud: the site only queues mail,
            # `send_queued_mail` sends it.
            MAIL_SEND_ON_COMMIT="False",
            # One client sends everything at once from 127.0.0.1: spam limits off.
            CONTACT_RATE_LIMIT="1000000",
            CONTACT_MIN_FILL_SECONDS="0",
            COURSES_SIGNUP_RATE_LIMIT="1000000",
            NEWSLETTER_SIGNUP_RATE_LIMIT="1000000",
            NEWSLETTER_RESEND_MINUTES="0",
            # Nothing leaves the machine, whatever .env says.
            EMAIL_URL="smtp://127.0.0.1:9",
            GA_MEASUREMENT_ID="",
            SITE_URL="http://127.0.0.1",
            LOG_LEVEL="WARNING",
        )

    @contextmanager
    def site(self, label: str, *, server_url: str | None = None) -> Iterator[Site]:
        """A new database `<name>_drill_<label>_<pid>` (on `server_url`, by default
        DATABASE_URL's server), migrated; dropped at the end."""
        server_url = server_url or self.database_url
        with stack.scratch_database(server_url, label=f"drill_{label}") as url:
            site = Site(label, url, self.env(url), self.tmp)
            stack.prepare_database(site.env)
            yield site

    @contextmanager
    def copy(self, site: Site, label: str) -> Iterator[Site]:
        """A copy of `site`'s database as it is now (nothing may be connected)."""
        template = stack.database_name(site.database_url)
        with stack.scratch_database(
            self.database_url, label=f"drill_{label}", template=template
        ) as url:
            yield Site(label, url, self.env(url), self.tmp)


@dataclass
class Site:
    label: str
    database_url: str
    env: dict[str, str]
    log_dir: Path

    def with_env(self, **overrides: str) -> dict[str, str]:
        return {**self.env, **overrides}

    def manage(self, *args: str, **overrides: str) -> str:
        return stack.manage(self.with_env(**overrides), *args)

    def start_manage(self, *args: str, **overrides: str) -> subprocess.Popen:
        """`manage.py <args>` in the background (for the drills that kill it)."""
        command = [sys.executable, "manage.py", *args]
        return self.background(command, self.with_env(**overrides), args[0])

    def task(self, name: str, **kwargs: object) -> dict:
        """Run a function of drills/site_tasks.py in a Django subprocess."""
        arguments = task_arguments(name, **kwargs)
        stdout = stack.run_python(self.env, *arguments, name=f"site task {name}")
        return json.loads(stdout.splitlines()[-1])

    def start_task(self, name: str, **kwargs: object) -> subprocess.Popen:
        """The same, in the background (for the drills that kill it)."""
        command = [sys.executable, *task_arguments(name, **kwargs)]
        return self.background(command, self.env, name)

    def background(
        self, command: list[str], env: dict[str, str], name: str
    ) -> subprocess.Popen:
        """Start a command with its output in a log file; `process.log_path`."""
        log_path = self.log_dir / f"{self.label}-{name}-{time.monotonic_ns()}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(  # noqa: S603 (this Python, fixed commands)
                command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        process.log_path = log_path
        return process

    @contextmanager
    def serving(self, *, workers: int = WORKERS, **overrides: str) -> Iterator[Server]:
        """gunicorn on this site's database until the block ends."""
        env = self.with_env(WEB_CONCURRENCY=str(workers), **overrides)
        server = Server(f"{self.label}-{time.monotonic_ns()}")
        with stack.running([server], env, self.log_dir):
            yield server

    # --- SQL, for the checks ------------------------------------------------
    def rows(self, query: str, params: object = None) -> list[tuple]:
        import psycopg

        with psycopg.connect(stack.libpq_url(self.database_url)) as connection:
            return connection.execute(query, params).fetchall()

    def value(self, query: str, params: object = None):
        return self.rows(query, params)[0][0]

    def execute(self, query: str, params: object = None) -> None:
        import psycopg

        with psycopg.connect(stack.libpq_url(self.database_url)) as connection:
            connection.execute(query, params)


def task_arguments(name: str, **kwargs: object) -> list[str]:
    """Python's arguments for a function of drills/site_tasks.py."""
    return [
        "-m",
        "drills.site_tasks",
        name,
        *(f"{key}={value}" for key, value in kwargs.items()),
    ]


# ------------------------------------------------------------------------------
# Concurrency and waiting
# ------------------------------------------------------------------------------
def in_parallel(count: int, work: Callable[[int], object]) -> list:
    """Run work(0) ... work(count - 1) in `count` threads; their results in order."""
    results: list = [None] * count

    def run(number: int) -> None:
        results[number] = work(number)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def wait_for(
    condition: Callable[[], bool], *, timeout: float, interval: float = 0.05
) -> bool:
    """Poll until `condition()` is true; False if `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]
