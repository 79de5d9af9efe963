"""The files in deploy/ agree with the code: nginx adds the security headers Django
sends, and systemd runs every job the README lists. (`make drills DRILLS=proxy`
runs the nginx file itself in front of two instances.)"""

import configparser
import re
import shlex
from pathlib import Path

import pytest
from django.core.management import get_commands

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
README = DEPLOY.parent / "README.md"
NGINX = (DEPLOY / "nginx.conf").read_text()
# The headers Django's SecurityMiddleware and glasoterapi/middleware.py send.
SECURITY_HEADERS = {
    "Strict-Transport-Security",
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
}


def nginx_fallback_headers() -> dict[str, str]:
    """{header: value} from the `add_header <Name> $var always;` lines and the
    maps that give `$var` a value when the response has no such header."""
    maps = {
        variable: value
        for variable, value in re.findall(
            r'map \$upstream_http_\w+ \$(\w+) \{\s*"" "([^"]*)";\s*default "";\s*\}',
            NGINX,
        )
    }
    return {
        name: maps[variable]
        for name, variable in re.findall(r"add_header ([\w-]+) \$(\w+) always;", NGINX)
        if variable in maps
    }


def csp_directives(policy: str) -> set[str]:
    return {directive.strip() for directive in policy.split(";") if directive.strip()}


@pytest.mark.django_db
def test_nginx_adds_the_security_headers_django_sends_when_a_response_lacks_them(
    client, settings
):
    # The production defaults (DEBUG=False) of the HSTS settings.
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/personvern/", secure=True)
    fallback = nginx_fallback_headers()

    assert set(fallback) == SECURITY_HEADERS
    for name in SECURITY_HEADERS - {"Content-Security-Policy"}:
        assert fallback[name] == response[name], name
    assert csp_directives(fallback["Content-Security-Policy"]) == csp_directives(
        response["Content-Security-Policy"]
    )


def test_nginx_overwrites_the_forwarded_headers_a_client_sent():
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in NGINX
    assert "$proxy_add_x_forwarded_for" not in NGINX
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in NGINX


def units() -> dict[str, configparser.ConfigParser]:
    parsed = {}
    for path in sorted(DEPLOY.glob("*.service")) + sorted(DEPLOY.glob("*.timer")):
        unit = configparser.ConfigParser(strict=False, interpolation=None)
        unit.optionxform = str
        unit.read_string(path.read_text())
        parsed[path.name] = unit
    return parsed


def manage_commands_run_by_units() -> set[str]:
    commands = set()
    for unit in units().values():
        if unit.has_option("Service", "ExecStart"):
            words = shlex.split(unit["Service"]["ExecStart"])
            if "manage.py" in words:
                commands.add(words[words.index("manage.py") + 1])
    return commands


def test_every_job_in_the_readme_has_a_systemd_unit():
    cron = README.read_text().split("```cron", 1)[1].split("```", 1)[0]
    jobs = set(re.findall(r"manage\.py (\w+)", cron))

    assert jobs
    assert jobs <= manage_commands_run_by_units()


def test_the_units_run_commands_that_exist():
    assert manage_commands_run_by_units() <= set(get_commands())
    gunicorn = units()["glasoterapi@.service"]["Service"]["ExecStart"]
    config = shlex.split(gunicorn)[-1]
    assert (DEPLOY.parent / config).is_file()


def test_every_timer_starts_a_service_that_is_there():
    for name, unit in units().items():
        if name.endswith(".timer"):
            assert unit.has_option("Timer", "OnCalendar"), name
            assert unit.getboolean("Timer", "Persistent"), name
            assert (DEPLOY / name.replace(".timer", ".service")).is_file(), name
