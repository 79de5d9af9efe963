"""The throw-away site the benchmark runs on: the production environment, a database
of its own, migrated and seeded, and static files collected into a temporary
directory. Starting and stopping gunicorn is drills/stack.py's."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from bench.config import CONSENT_MIDDLEWARE
from drills import stack

WORKERS = 2  # gunicorn workers per server (WEB_CONCURRENCY)


def production_env(tmp: Path, database_url: str) -> dict[str, str]:
    """The environment every gunicorn (and the in-process Django) runs with."""
    return stack.production_env(
        database_url=database_url,
        static_root=tmp / "static",
        workers=WORKERS,
        # Workers are recycled every ~2000 requests in production, which at
        # benchmark rates would restart them every second or two and measure
        # Django's start-up rather than its requests.
        GUNICORN_MAX_REQUESTS="0",
        # A measurement id, as in production, so that the consent banner shows and
        # the first visit is measured as a real visitor sees it (GA loads only
        # after consent, which the benchmark never gives).
        GA_MEASUREMENT_ID=os.environ.get("GA_MEASUREMENT_ID") or "G-BENCHMARK",
        # The demo's uploaded images, in the temporary directory and served by
        # gunicorn (pages.views.media, with the same year-long cache lifetime):
        # in production nginx serves /media/ (deploy/nginx.conf), and without
        # them the first visit and Lighthouse would measure a page of 404s.
        MEDIA_ROOT=str(tmp / "media"),
        SERVE_MEDIA="True",
    )


@contextmanager
def bench_database(tmp: Path):
    """Yield the DATABASE_URL to use, and clean it up afterwards.

    SQLite (default, or a SQLite DATABASE_URL): a file in the temporary directory.
    PostgreSQL (DATABASE_URL, from the environment or .env): a new database
    `<name>_bench_<pid>` on the same server, dropped at the end, so that the
    developer's data and the test database are never touched.
    """
    url = os.environ.get("DATABASE_URL")
    if not stack.is_postgres(url):
        yield f"sqlite:///{tmp / 'bench.sqlite3'}"
        return
    with stack.scratch_database(url, label="bench") as bench_url:
        try:
            yield bench_url
        finally:
            from django.db import connections

            connections.close_all()


def prepare_site(env: dict[str, str]) -> None:
    """Migrate, create the cache table, collect static files and seed demo data,
    then set up Django in this process too (for the query counts)."""
    import django

    stack.prepare_database(env)
    stack.collect_static(env)
    stack.manage(env, "seed_demo")
    os.environ.update(env)
    django.setup()


def consent_middleware_installed() -> bool:
    from django.conf import settings

    return CONSENT_MIDDLEWARE in settings.MIDDLEWARE


def hashed_static_path(name: str) -> str:
    from django.contrib.staticfiles.storage import staticfiles_storage

    return staticfiles_storage.url(name)
