import os

import pytest
from django.db import connection

IN_CI = bool(os.environ.get("CI"))


@pytest.fixture(autouse=True)
def fast_test_settings(settings):
    """Fast, isolated settings: MD5 hashing, a per-process cache, plain static."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture
def postgres(db):
    """For guarantees that only PostgreSQL gives (row locks between connections)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")


def pytest_collection_modifyitems(items):
    for item in items:
        if "postgres" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres_only)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skipped browser test, or a skipped PostgreSQL test while running on
    PostgreSQL, is a failure: a missing Chromium must not pass as green."""
    report = yield
    if IN_CI and report.skipped and must_not_skip_in_ci(item):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which counts as a failure: {report.longrepr}"
    return report


def must_not_skip_in_ci(item) -> bool:
    if item.get_closest_marker("browser"):
        return True
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    return bool(item.get_closest_marker("postgres_only")) and on_postgres
