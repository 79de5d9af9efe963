"""The production stack on loopback, shared by `make bench` and `make drills`.

- a throw-away PostgreSQL database, created next to the one DATABASE_URL names and
  dropped at the end (`scratch_database`), so that nobody's data is touched;
- `manage.py migrate`, `createcachetable` and `collectstatic` into a temporary
  STATIC_ROOT (`prepare_database`, `collect_static`);
- gunicorn with the repo's config (glasoterapi/gunicorn.conf.py) and DEBUG=False on
  a free port of 127.0.0.1, in its own process group so that stopping it stops its
  workers too (`Server`, `running`), ready once /helse/ answers 200.
"""

from __future__ import annotations

import http.client
import os
import platform
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
GUNICORN_CONFIG = "glasoterapi/gunicorn.conf.py"
READY_TIMEOUT = 60  # seconds for a gunicorn to answer /helse/ with 200
MANAGE_TIMEOUT = 300  # seconds for one manage.py command
POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql")
# Who the business is, which production must set (`check --deploy`): demo values.
DEMO_BUSINESS = {
    "BUSINESS_LEGAL_NAME": "Glasoterapi Demo AS",
    "BUSINESS_ORGNR": "123456785",
    "BUSINESS_ADDRESS": "Eksempelveien 1, 0150 Oslo",
    "BUSINESS_PHONE": "+47 12 34 56 78",
    "BUSINESS_EMAIL": "post@glasoterapi.no",
    "PRIVACY_EMAIL_PROVIDER": "Demo E-post AS, Norge",
    "PRIVACY_ACCOUNTING_SYSTEM": "Demo Regnskap AS, Norge",
}


class HarnessError(Exception):
    """The harness itself could not run (as opposed to a goal or a check failing)."""


# ------------------------------------------------------------------------------
# Environment and manage.py
# ------------------------------------------------------------------------------
def production_env(
    *, database_url: str, static_root: Path, workers: int, **overrides: str
) -> dict[str, str]:
    """The environment of a production-like gunicorn and of its manage.py commands.

    Plain HTTP on 127.0.0.1 (no TLS redirect, no HSTS), a random SECRET_KEY, a demo
    business identity, static files in `static_root`; `overrides` are further
    settings (see the README).
    """
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "glasoterapi.settings",
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(static_root),
        "WEB_CONCURRENCY": str(workers),
        # Outside the database, as in production; each drill run has its own.
        "PRIVACY_ERASURE_JOURNAL": str(static_root.parent / "erasure-journal.jsonl"),
        **DEMO_BUSINESS,
        **overrides,
    }


def manage(env: dict[str, str], *args: str, timeout: float = MANAGE_TIMEOUT) -> str:
    """Run `manage.py <args>` to the end: its stdout, or HarnessError with output."""
    name = f"manage.py {' '.join(args)}"
    return run_python(env, "manage.py", *args, name=name, timeout=timeout)


def run_python(
    env: dict[str, str], *args: str, name: str, timeout: float = MANAGE_TIMEOUT
) -> str:
    """This Python with `args`, in the repository, to the end: its stdout, or
    HarnessError (with the end of its output) when it fails or overruns."""
    try:
        completed = subprocess.run(  # noqa: S603 (this Python, our own modules)
            [sys.executable, *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise HarnessError(f"{name}: no end in {timeout} s") from error
    if completed.returncode != 0:
        output = tail(completed.stdout + completed.stderr)
        raise HarnessError(f"{name} exited with {completed.returncode}:\n{output}")
    return completed.stdout


def prepare_database(env: dict[str, str]) -> None:
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "createcachetable")


def collect_static(env: dict[str, str]) -> None:
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")


def tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.splitlines()[-lines:])


# ------------------------------------------------------------------------------
# PostgreSQL
# ------------------------------------------------------------------------------
def is_postgres(url: str | None) -> bool:
    return bool(url) and urlsplit(url).scheme in POSTGRES_SCHEMES


def database_name(url: str) -> str:
    return unquote(urlsplit(url).path.lstrip("/"))


def replace_url_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def libpq_url(url: str) -> str:
    """The URL as libpq reads it (it knows postgres:// and postgresql:// only)."""
    return urlunsplit(urlsplit(url)._replace(scheme="postgresql"))


def run_postgres_admin(url: str, statement) -> list[tuple]:
    """Run one statement outside a transaction, connected to the database the URL
    names (or to `postgres` when that one does not exist yet); its rows."""
    import psycopg

    candidates = [url, replace_url_database(url, "postgres")]
    for number, candidate in enumerate(candidates):
        try:
            with psycopg.connect(libpq_url(candidate), autocommit=True) as connection:
                cursor = connection.execute(statement)
                return cursor.fetchall() if cursor.description else []
        except psycopg.OperationalError as error:
            if number == len(candidates) - 1 or "does not exist" not in str(error):
                raise HarnessError(f"PostgreSQL: {error}") from error
        except psycopg.Error as error:
            raise HarnessError(f"PostgreSQL: {error}") from error
    return []


@contextmanager
def scratch_database(
    url: str, *, label: str, template: str | None = None
) -> Iterator[str]:
    """A new database `<name>_<label>_<pid>` on the server `url` points at (a copy
    of the database named `template`, if given), dropped at the end even if
    connections are left open; yields its URL."""
    from psycopg import sql

    name = f"{database_name(url)}_{label}_{os.getpid()}"[:63]
    identifier = sql.Identifier(name)
    create = sql.SQL("CREATE DATABASE {}").format(identifier)
    if template:
        create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    run_postgres_admin(url, sql.SQL("DROP DATABASE IF EXISTS {}").format(identifier))
    run_postgres_admin(url, create)
    try:
        yield replace_url_database(url, name)
    finally:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier)
        try:
            run_postgres_admin(url, drop)
        except HarnessError as error:
            print(f"Warning: drop database {name} by hand: {error}", file=sys.stderr)


# ------------------------------------------------------------------------------
# gunicorn
# ------------------------------------------------------------------------------
@dataclass
class Server:
    name: str
    settings_module: str = "glasoterapi.settings"
    env: dict[str, str] = field(default_factory=dict)  # on top of the shared env
    port: int = 0
    log_path: Path | None = None
    process: subprocess.Popen | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on: one the system picks, or one of
    DRILLS_PORTS (`8600-8699`) on a machine where others need the rest."""
    low, _, high = os.environ.get("DRILLS_PORTS", "").partition("-")
    candidates = list(range(int(low), int(high or low) + 1)) if low else [0]
    random.shuffle(candidates)  # two runs at once rarely want the same one
    for candidate in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise HarnessError(f"no free port in DRILLS_PORTS={low}-{high}")


def start_server(server: Server, env: dict[str, str], log_dir: Path) -> None:
    server.port = free_port()
    server.log_path = log_dir / f"gunicorn-{server.name}.log"
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with server.log_path.open("wb") as log:
        server.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [str(gunicorn), "-c", GUNICORN_CONFIG],
            cwd=REPO,
            env={
                **env,
                **server.env,
                "DJANGO_SETTINGS_MODULE": server.settings_module,
                "GUNICORN_BIND": f"127.0.0.1:{server.port}",
            },
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: we stop it, not Ctrl+C
        )


def wait_until_ready(server: Server, timeout: float = READY_TIMEOUT) -> float:
    """Seconds until /helse/ answered 200; HarnessError if it never does."""
    started = time.monotonic()
    deadline = started + timeout
    answer = "no answer"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise HarnessError(
                f"gunicorn ({server.name}) exited with {server.process.returncode}:\n"
                + log_tail(server)
            )
        with suppress(OSError):
            answer = f"HTTP {http_get(server.port, '/helse/', timeout=2).status}"
            if answer == "HTTP 200":
                return time.monotonic() - started
        time.sleep(0.2)
    raise HarnessError(
        f"gunicorn ({server.name}) did not answer /helse/ with 200 within "
        f"{timeout} s (last: {answer}):\n{log_tail(server)}"
    )


def stop_server(server: Server) -> None:
    """Stop gunicorn and its workers (its own process group), forcefully if slow."""
    if server.process is None or server.process.poll() is not None:
        return
    with suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGTERM)
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=5)


@contextmanager
def running(servers: list[Server], env: dict[str, str], log_dir: Path):
    """Start the servers, wait until each answers, stop them all at the end."""
    try:
        for server in servers:
            start_server(server, env, log_dir)
        for server in servers:
            wait_until_ready(server)
        yield servers
    finally:
        for server in servers:
            stop_server(server)


def log_tail(server: Server, lines: int = 30) -> str:
    if server.log_path is None or not server.log_path.exists():
        return ""
    return tail(server.log_path.read_text(errors="replace"), lines)


def child_pids(pid: int) -> list[int]:
    """The processes whose parent is `pid` (gunicorn's workers, for its master)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:  # fields[1] is the parent pid
                children.append(int(stat.parent.name))
    return sorted(children)


def worker_pids(server: Server) -> list[int]:
    return child_pids(server.process.pid)


# ------------------------------------------------------------------------------
# HTTP
# ------------------------------------------------------------------------------
@dataclass
class HttpResult:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def http_get(
    port: int, path: str, timeout: float = 10, headers: dict[str, str] | None = None
) -> HttpResult:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return HttpResult(response.status, response.headers, response.read())
    finally:
        connection.close()


# ------------------------------------------------------------------------------
# Describing a run
# ------------------------------------------------------------------------------
def machine_description() -> str:
    cpu = "unknown CPU"
    with suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} cores, {cpu}, {platform.system()} {platform.release()}"


def load_average() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def url_without_password(url: str) -> str:
    """For reports: scheme, host, port and database, never the credentials."""
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://…@{parts.hostname}{port}{parts.path}"
