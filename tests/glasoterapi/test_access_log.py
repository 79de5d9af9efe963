"""The real gunicorn, with this project's configuration, writing its access log."""

import http.client
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def gunicorn(tmp_path):
    yield from serve(tmp_path)


@pytest.fixture
def gunicorn_logging_user_agents(tmp_path):
    """An operator's own access-log format, with a request header in it."""
    log_format = 'access path="%(U)s" agent="%({User-Agent}i)s"'
    yield from serve(tmp_path, GUNICORN_CMD_ARGS=f"--access-logformat '{log_format}'")


def serve(tmp_path, **extra_env):
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "True",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_URL": "locmemcache://",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        **extra_env,
    }
    log = (tmp_path / "gunicorn.log").open("w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "glasoterapi/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    wait_for(port)
    yield port, log
    server.terminate()
    server.wait(timeout=30)


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).connect()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not start")


def request(port: int, path: str, **headers: str) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": "localhost", **headers})
    connection.getresponse().read()
    connection.close()


def access_lines(log) -> list[str]:
    time.sleep(0.3)  # the worker flushes its line after the response
    log.seek(0)
    return [line for line in log.read().splitlines() if line.startswith("access ")]


def test_a_url_cannot_forge_an_access_log_line(gunicorn):
    """Finding: `%0d%0a` started a new, fake log line; `%00` wrote a NUL."""
    port, log = gunicorn
    forged = 'access method=GET path="/admin/" status=200'

    request(port, "/kurs/%0d%0a" + forged.replace(" ", "%20") + "%00")

    lines = access_lines(log)
    assert len(lines) == 1
    (line,) = lines
    assert "\x00" not in line
    assert "\\x0d\\x0aaccess method=GET path=\\x22/admin/\\x22" in line


def test_an_address_in_a_url_is_not_written_to_the_access_log(gunicorn):
    port, log = gunicorn

    request(port, "/kurs/kari.nordmann@example.no/")

    (line,) = access_lines(log)
    assert "kari.nordmann" not in line
    assert "[e-post]" in line


def test_a_link_token_is_not_written_to_the_access_log(gunicorn):
    port, log = gunicorn
    token = "eyJ2IjoxLCJrIjoiYWJjIn0:1tXyZa:q2n8Vb0xYk3Lz7Rt5Wm1Pq9Sd4Fg6Hj"

    request(port, f"/personvern/mine-data/bekreft/{token}/")

    (line,) = access_lines(log)
    assert token.split(":")[0] not in line
    assert "/personvern/mine-data/bekreft/[lenke]/" in line


def test_a_header_in_the_operators_log_format_is_escaped_and_redacted(
    gunicorn_logging_user_agents,
):
    port, log = gunicorn_logging_user_agents

    request(port, "/kurs/", **{"User-Agent": 'Kari "kari@example.no"'})

    (line,) = access_lines(log)
    assert "kari@example.no" not in line
    assert 'agent="Kari \\x22[e-post]\\x22"' in line
