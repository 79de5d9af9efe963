import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
GOOD_SECRET_KEY = "k3x!9vQ#2mZ@7pL$4wR^8tY&1uI*6oP(0aS)5dF_3gH+2jK=9lZ-4xC"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_secret_key():
    result = manage("check", DEBUG="False", ALLOWED_HOSTS="glasoterapi.no")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_secret_key():
    result = manage(
        "check",
        DEBUG="False",
        ALLOWED_HOSTS="glasoterapi.no",
        SECRET_KEY="django-insecure-local-development-only",
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = manage(
        "check", DEBUG="False", ALLOWED_HOSTS="glasoterapi.no", SECRET_KEY="hemmelig"
    )

    assert result.returncode != 0
    assert "SECRET_KEY is too short" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", DEBUG="False", SECRET_KEY=GOOD_SECRET_KEY)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list" in result.stderr


def test_production_settings_pass_check_deploy_without_warnings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="False",
        SECRET_KEY=GOOD_SECRET_KEY,
        ALLOWED_HOSTS="glasoterapi.no,www.glasoterapi.no",
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("setting", "expected"),
    [("LANGUAGE_CODE", "nb"), ("TIME_ZONE", "Europe/Oslo")],
)
def test_site_speaks_norwegian_in_oslo_time(settings, setting, expected):
    assert getattr(settings, setting) == expected


def test_sqlite_serialises_writes_with_immediate_transactions(settings):
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite-specific setting")

    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
