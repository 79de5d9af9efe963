import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BUSINESS_IDENTITY, RECIPIENTS

PROJECT_DIR = Path(__file__).resolve().parents[2]
GOOD_SECRET_KEY = "k3x!9vQ#2mZ@7pL$4wR^8tY&1uI*6oP(0aS)5dF_3gH+2jK=9lZ-4xC"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        and not key.startswith("BUSINESS_")
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
        PRIVACY_EMAIL_KEY_SECRET=GOOD_SECRET_KEY[::-1],
        PRIVACY_ERASURE_JOURNAL="/var/lib/glasoterapi/erasure-journal.jsonl",
        ALLOWED_HOSTS="glasoterapi.no,www.glasoterapi.no",
        **BUSINESS_IDENTITY,
        **RECIPIENTS,
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_the_business_identity_fails_check_deploy():
    """With DEBUG=False the identity has no default, and a deployment that forgot
    it is stopped rather than run without saying who the business is."""
    result = manage(
        "check",
        "--deploy",
        DEBUG="False",
        SECRET_KEY=GOOD_SECRET_KEY,
        PRIVACY_EMAIL_KEY_SECRET=GOOD_SECRET_KEY[::-1],
        ALLOWED_HOSTS="glasoterapi.no",
    )

    assert result.returncode != 0
    for number, setting in enumerate(BUSINESS_IDENTITY, start=1):
        assert f"(glasoterapi.E00{number}) {setting} is empty" in result.stderr


def test_development_has_a_placeholder_identity_that_passes_the_checks():
    script = (
        "from django.conf import settings; "
        "print(settings.BUSINESS_LEGAL_NAME, settings.BUSINESS_ORGNR, sep='|')"
    )
    result = manage("shell", "-c", script, DEBUG="True")

    assert last_line(result) == "Glasoterapi Demo AS|123456785"
    assert manage("check", DEBUG="True").returncode == 0


def test_check_deploy_warns_when_the_address_hashes_share_the_secret_key():
    result = manage(
        "check",
        "--deploy",
        DEBUG="False",
        SECRET_KEY=GOOD_SECRET_KEY,
        ALLOWED_HOSTS="glasoterapi.no",
    )

    assert "privacy.W001" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("setting", "expected"),
    [("LANGUAGE_CODE", "nb"), ("TIME_ZONE", "Europe/Oslo")],
)
def test_site_speaks_norwegian_in_oslo_time(settings, setting, expected):
    assert getattr(settings, setting) == expected


DATABASE_OPTIONS_SCRIPT = """
import json
from django.conf import settings
database = settings.DATABASES["default"]
keys = ("OPTIONS", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS")
print(json.dumps({key: database.get(key) for key in keys}))
"""


def database_settings_for(url: str) -> dict:
    result = manage("shell", "-c", DATABASE_OPTIONS_SCRIPT, DATABASE_URL=url)
    return json.loads(last_line(result))


def test_sqlite_serialises_writes_with_immediate_transactions():
    database = database_settings_for("sqlite:///:memory:")

    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.parametrize(
    "url", ["sqlite:///:memory:", "postgres://postgres@127.0.0.1:5432/test"]
)
def test_connections_are_kept_and_checked_before_reuse(url):
    database = database_settings_for(url)

    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True


PRODUCTION_HEADERS_SCRIPT = """
import json
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)  # the in-memory database starts empty
response = Client().get("/personvern/", secure=True, headers={"host": "glasoterapi.no"})
cookies = {name: dict(morsel) for name, morsel in response.cookies.items()}
print(json.dumps({"status": response.status_code, "headers": dict(response.headers),
                  "cookies": cookies}))
"""


@pytest.fixture(scope="module")
def production_env(tmp_path_factory):
    """Production settings, with static files collected as a deployment does."""
    env = {
        "DEBUG": "False",
        "SECRET_KEY": GOOD_SECRET_KEY,
        "ALLOWED_HOSTS": "glasoterapi.no",
        "DATABASE_URL": "sqlite:///:memory:",
        "STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
    }
    collected = manage("collectstatic", "--noinput", "-v0", **env)
    assert collected.returncode == 0, collected.stderr
    return env


def last_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_response_headers_are_the_expected_set(production_env):
    result = manage(
        "shell",
        "-c",
        PRODUCTION_HEADERS_SCRIPT,
        GA_MEASUREMENT_ID="G-TEST12345",
        **production_env,
    )
    answer = json.loads(last_line(result))
    headers = answer["headers"]

    assert answer["status"] == 200
    assert headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    policy = headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert "google" not in policy
    csrf = answer["cookies"]["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"


def test_production_redirects_plain_http_to_https(production_env):
    script = (
        "from django.test import Client; "
        "r = Client().get('/', headers={'host': 'glasoterapi.no'}); "
        "print(r.status_code, r['Location'])"
    )
    result = manage("shell", "-c", script, **production_env)

    assert last_line(result).split() == ["301", "https://glasoterapi.no/"]


def test_production_without_named_recipients_fails_check_deploy():
    """GDPR art. 13(1)(e): the privacy page names the e-mail provider and the
    accounting system; production has no placeholder for them."""
    result = manage(
        "check",
        "--deploy",
        DEBUG="False",
        SECRET_KEY=GOOD_SECRET_KEY,
        PRIVACY_EMAIL_KEY_SECRET=GOOD_SECRET_KEY[::-1],
        ALLOWED_HOSTS="glasoterapi.no",
        **BUSINESS_IDENTITY,
    )

    assert result.returncode != 0
    assert "privacy.E002" in result.stderr
    assert "privacy.E003" in result.stderr


@pytest.mark.django_db
def test_pages_are_sent_compressed_to_browsers_that_accept_it(client):
    """Found: HTML went uncompressed (Lighthouse: uses-text-compression)."""
    page = client.get("/kurs/", headers={"accept-encoding": "gzip, br"})

    assert page["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in page["Vary"]
    assert client.get("/kurs/").get("Content-Encoding") is None
