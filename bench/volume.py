"""Measurements at volume, each step a `bench.seed` or `bench.rights` process of its
own: /kurs/ with a small and a full course catalogue (issue 5), then data-subject
rights with every personal-data table full (issue 7)."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.config import COURSE_LIST
from bench.queries import probe
from drills import stack
from drills.stack import HarnessError

# Courses (issue 5): upcoming dates and bookings, a small then a full catalogue.
COURSE_DATES_FEW, COURSE_BOOKINGS_FEW = 10, 500
COURSE_DATES, COURSE_BOOKINGS = 200, 10_000

# Data-subject rights (issue 7), with every personal-data table this full.
PERSONAL_DATA_ROWS = 100_000
SUBJECT_EMAIL = "sigrid.nordmann@example.no"  # the person whose data is exported
EXPORT_RUNS = 9
EXPIRED_FEW, EXPIRED_MANY = 20_000, 100_000
RETENTION_ROUNDS = int(os.environ.get("BENCH_RETENTION_ROUNDS", "2"))
MODULE_TIMEOUT = 300  # seconds for one bench.seed or bench.rights process


def run_module(
    env: dict[str, str], module: str, *args: str, timeout: float = MODULE_TIMEOUT
) -> dict:
    """`python -m <module> <args>` to the end: the JSON line it prints last."""
    name = " ".join([module, *args])
    lines = stack.run_python(
        env, "-m", module, *args, name=name, timeout=timeout
    ).splitlines()
    if not lines:
        raise HarnessError(f"{name} printed nothing")
    return json.loads(lines[-1])


def first_line(error: Exception) -> str:
    lines = [line for line in str(error).splitlines() if line.strip()]
    text = f"{lines[0]} … {lines[-1]}" if len(lines) > 1 else "".join(lines)
    return text[:160].replace("|", "/")


@dataclass
class CourseFigures:
    """/kurs/ with a small and a full catalogue (issue 5)."""

    queries_few: int | None = None  # COURSE_DATES_FEW upcoming dates
    queries_many: int | None = None  # COURSE_DATES upcoming dates
    seeded: dict = field(default_factory=dict)
    error: str = ""


def seed_courses(env: dict[str, str], figures: CourseFigures) -> None:
    """Top the catalogue up to the small size, count the queries of /kurs/, then
    to the full size (the page rounds run on that)."""
    try:
        run_module(
            env,
            "bench.seed",
            "courses",
            f"--dates={COURSE_DATES_FEW}",
            f"--bookings={COURSE_BOOKINGS_FEW}",
        )
        figures.queries_few = probe(COURSE_LIST).queries
        figures.seeded = run_module(
            env,
            "bench.seed",
            "courses",
            f"--dates={COURSE_DATES}",
            f"--bookings={COURSE_BOOKINGS}",
        )
    except HarnessError as error:
        figures.error = first_line(error)


@dataclass
class RightsFigures:
    """Data-subject rights with every personal-data table full (issue 7)."""

    seeded: dict = field(default_factory=dict)
    export: dict = field(default_factory=dict)
    job_few: dict = field(default_factory=dict)  # EXPIRED_FEW expired mails
    # Per round: the job and the plain DELETE, each on its copy (EXPIRED_MANY).
    rounds: list[tuple[dict, dict]] = field(default_factory=list)
    error: str = ""


@contextmanager
def database_copy(database_url: str, tmp: Path, label: str):
    """A copy of the benchmark's database as it is now; its URL. Nothing may be
    connected to a PostgreSQL database while it is copied."""
    if not stack.is_postgres(database_url):
        source = Path(database_url.removeprefix("sqlite:///"))
        target = tmp / f"{label}.sqlite3"
        with (
            closing(sqlite3.connect(source)) as src,
            closing(sqlite3.connect(target)) as dst,
        ):
            src.backup(dst)
        try:
            yield f"sqlite:///{target}"
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
        return
    wait_until_unused(database_url)
    template = stack.database_name(database_url)
    with stack.scratch_database(database_url, label=label, template=template) as url:
        yield url


def wait_until_unused(database_url: str, timeout: float = 15) -> None:
    """Until no session is connected to the database (a process that has just
    exited may still be, for a moment); asked from the `postgres` database."""
    from psycopg import sql

    name = stack.database_name(database_url)
    count = sql.SQL("SELECT count(*) FROM pg_stat_activity WHERE datname = {}")
    admin_url = stack.replace_url_database(database_url, "postgres")
    deadline = time.monotonic() + timeout
    while stack.run_postgres_admin(admin_url, count.format(sql.Literal(name)))[0][0]:
        if time.monotonic() > deadline:
            raise HarnessError(f"{name} is still in use after {timeout} s")
        time.sleep(0.2)


def measure_rights(env: dict[str, str], database_url: str, tmp: Path) -> RightsFigures:
    """Fill the personal-data tables, time an export, then run the retention job
    against a plain DELETE on identical copies, alternating which goes first."""
    from django.db import connections

    connections.close_all()  # this process's own connection: copies need none
    figures = RightsFigures()
    try:
        figures.seeded = run_module(
            env,
            "bench.seed",
            "personal-data",
            f"--rows={PERSONAL_DATA_ROWS}",
            f"--target={SUBJECT_EMAIL}",
        )
        figures.export = run_module(
            env,
            "bench.rights",
            "export",
            f"--email={SUBJECT_EMAIL}",
            f"--runs={EXPORT_RUNS}",
        )
        run_module(env, "bench.seed", "expired-mail", f"--rows={EXPIRED_FEW}")
        figures.job_few = run_module(env, "bench.rights", "enforce")
        run_module(env, "bench.seed", "expired-mail", f"--rows={EXPIRED_MANY}")
        for number in range(RETENTION_ROUNDS):
            with (
                database_copy(database_url, tmp, f"job{number}") as job_url,
                database_copy(database_url, tmp, f"sql{number}") as sql_url,
            ):
                sides = [
                    ("enforce", {**env, "DATABASE_URL": job_url}),
                    ("sql-delete", {**env, "DATABASE_URL": sql_url}),
                ]
                if number % 2:
                    sides.reverse()
                measured = {
                    command: run_module(side_env, "bench.rights", command)
                    for command, side_env in sides
                }
            figures.rounds.append((measured["enforce"], measured["sql-delete"]))
            job, sql = figures.rounds[-1]
            print(
                f"  retention round {number + 1}/{RETENTION_ROUNDS}: job "
                f"{job['seconds']:.2f} s, DELETE {sql['seconds']:.2f} s",
                flush=True,
            )
    except HarnessError as error:
        figures.error = first_line(error)
    return figures
