"""What the proxy drill runs besides gunicorn: Debian's nginx with the site file
operators deploy (deploy/nginx.conf, with its host name, ports and paths
replaced), a self-signed certificate, and a Redis database of its own.

nginx runs in the foreground with a prefix and a main configuration in the
drill's temporary directory, never as the system's service.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from drills.stack import REPO, HarnessError, free_port, tail

DEPLOY_CONFIG = REPO / "deploy" / "nginx.conf"
HOST = "localhost"  # the site's name in the drill: SNI, Host, the certificate
UPSTREAM_HEADER = "X-Drill-Upstream"  # which instance answered (the drill's only)
READY_TIMEOUT = 30
REDIS_URL = "redis://127.0.0.1:6379"
REDIS_DATABASES = range(10, 16)  # the drill claims one that is empty
REDIS_CLAIM_KEY = "glasoterapi-drills:proxy"


# ------------------------------------------------------------------------------
# nginx
# ------------------------------------------------------------------------------
@dataclass
class Proxy:
    http_port: int
    https_port: int
    directory: Path
    certificate: Path
    process: subprocess.Popen | None = None

    @property
    def log_path(self) -> Path:
        return self.directory / "error.log"

    def tls_context(self) -> ssl.SSLContext:
        """A client context that trusts this proxy's certificate only."""
        return ssl.create_default_context(cafile=str(self.certificate))


def tools_missing() -> str:
    missing = [tool for tool in ("nginx", "openssl") if shutil.which(tool) is None]
    if missing:
        return f"{' and '.join(missing)} not installed (apt-get install -y nginx)"
    return ""


def program(name: str) -> str:
    """The program's full path (Debian's nginx is in /usr/sbin)."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if found is None:
        raise HarnessError(f"{name} is not installed")
    return found


def run(command: list[str], what: str) -> None:
    completed = subprocess.run(  # noqa: S603 (fixed programs and arguments)
        command, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise HarnessError(f"{what}:\n{completed.stdout}{completed.stderr}")


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for HOST, valid for a day."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    command = [
        program("openssl"), "req", "-x509", "-newkey", "ec",
        "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
        "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}",
        "-keyout", str(key), "-out", str(cert),
    ]  # fmt: skip
    run(command, "openssl req failed")
    return cert, key


def public_key_pin(certificate: Path) -> str:
    """The base64 SHA-256 of the certificate's public key (SPKI), as Chromium's
    --ignore-certificate-errors-spki-list takes it: that one key is trusted."""
    key = subprocess.run(  # noqa: S603 (fixed program and arguments)
        [program("openssl"), "x509", "-in", str(certificate), "-pubkey", "-noout"],
        capture_output=True,
        check=True,
    ).stdout
    der = subprocess.run(  # noqa: S603
        [program("openssl"), "pkey", "-pubin", "-outform", "der"],
        input=key,
        capture_output=True,
        check=True,
    ).stdout
    return base64.b64encode(hashlib.sha256(der).digest()).decode("ascii")


def site_config(
    text: str,
    *,
    upstreams: list[int],
    http_port: int,
    https_port: int,
    certificate: Path,
    key: Path,
    static_root: Path,
    directory: Path,
    media_root: Path | None = None,
) -> str:
    """deploy/nginx.conf with the drill's ports, names and paths, and one header
    more (which instance answered). Every replacement must match exactly where it
    is expected: when the deployed file changes shape, the drill says so rather
    than test something else."""
    first, second = upstreams
    literal = {
        r"server 127\.0\.0\.1:8001 ": (f"server 127.0.0.1:{first} ", 1),
        r"server 127\.0\.0\.1:8002 ": (f"server 127.0.0.1:{second} ", 1),
        # Loopback IPv4 only: the drill's clients are 127.0.0.x.
        r"\n *listen \[::\]:[^\n]*": ("", 4),
        r"listen 80\b": (f"listen 127.0.0.1:{http_port}", 2),
        r"listen 443\b": (f"listen 127.0.0.1:{https_port}", 2),
        r"server_name glasoterapi\.no www\.glasoterapi\.no;": (
            f"server_name {HOST};",
            2,
        ),
        r"return 301 https://\$host\$request_uri;": (
            f"return 301 https://$host:{https_port}$request_uri;",
            1,
        ),
        r"/etc/letsencrypt/live/glasoterapi\.no/fullchain\.pem": (str(certificate), 1),
        r"/etc/letsencrypt/live/glasoterapi\.no/privkey\.pem": (str(key), 1),
        r"alias /srv/glasoterapi/staticfiles/;": (f"alias {static_root}/;", 1),
        r"alias /srv/glasoterapi/staticfiles/errors/": (
            f"alias {static_root}/errors/",
            1,
        ),
        r"root /var/www/html;": (f"root {directory}/acme;", 1),
        **(
            {r"alias /var/lib/glasoterapi/media/;": (f"alias {media_root}/;", 1)}
            if media_root
            else {}
        ),
        # Next to the security headers, so that the location blocks inherit it.
        r"add_header Cross-Origin-Opener-Policy [^\n]*\n": (
            None,  # kept, with the drill's header after it
            1,
        ),
    }
    for pattern, (replacement, expected) in literal.items():
        if replacement is None:

            def change(match, header=UPSTREAM_HEADER):
                return f"{match[0]}    add_header {header} $upstream_addr always;\n"

        else:

            def change(match, replacement=replacement):
                return replacement

        text, found = re.subn(pattern, change, text)
        if found != expected:
            raise HarnessError(
                f"{DEPLOY_CONFIG.relative_to(REPO)} has {found} × /{pattern}/, the "
                f"proxy drill expects {expected}: update drills/proxy_stack.py"
            )
    return text


def main_config(directory: Path, site: Path) -> str:
    """What Debian's /etc/nginx/nginx.conf sets that matters here, with every path
    in the drill's directory; the site file is included as Debian includes it."""
    # As root, nginx's workers would run as nobody, who cannot read the drill's
    # static files; as anyone else they run as that user anyway.
    user = "user root;" if os.geteuid() == 0 else ""
    return f"""
{user}
daemon off;
worker_processes 2;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    gzip on;
    access_log {directory}/access.log;
    client_body_temp_path {directory}/client_body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    include {site};
}}
"""


@contextmanager
def running_proxy(
    directory: Path,
    *,
    upstreams: list[int],
    static_root: Path,
    media_root: Path | None = None,
) -> Iterator[Proxy]:
    """nginx in front of the gunicorns on `upstreams` (and serving uploaded images
    from `media_root`, if given), until the block ends."""
    directory.mkdir(parents=True, exist_ok=True)
    certificate, key = make_certificate(directory)
    http_port = free_port()
    https_port = free_port()
    while https_port == http_port:
        https_port = free_port()
    proxy = Proxy(http_port, https_port, directory, certificate)
    site = directory / "glasoterapi.conf"
    site.write_text(
        site_config(
            DEPLOY_CONFIG.read_text(),
            upstreams=upstreams,
            http_port=proxy.http_port,
            https_port=proxy.https_port,
            certificate=certificate,
            key=key,
            static_root=static_root,
            directory=directory,
            media_root=media_root,
        )
    )
    config = directory / "nginx.conf"
    config.write_text(main_config(directory, site))
    command = [program("nginx"), "-p", str(directory), "-c", str(config)]
    command += ["-e", str(proxy.log_path)]
    run([*command, "-t"], "nginx -t refused the configuration")
    with (directory / "nginx.out").open("wb") as out:
        proxy.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_until_listening(proxy)
        yield proxy
    finally:
        stop(proxy)


def wait_until_listening(proxy: Proxy) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if proxy.process.poll() is not None:
            raise HarnessError(
                f"nginx exited with {proxy.process.returncode}:\n"
                + tail(proxy.log_path.read_text(errors="replace"))
            )
        with (
            suppress(OSError),
            socket.create_connection(("127.0.0.1", proxy.https_port), timeout=1),
        ):
            return
        time.sleep(0.1)
    raise HarnessError(f"nginx did not listen on {proxy.https_port} in time")


def stop(proxy: Proxy) -> None:
    if proxy.process is None or proxy.process.poll() is not None:
        return
    proxy.process.send_signal(signal.SIGTERM)  # nginx's fast shutdown
    try:
        proxy.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(proxy.process.pid, signal.SIGKILL)
        proxy.process.wait(timeout=5)


# ------------------------------------------------------------------------------
# Redis
# ------------------------------------------------------------------------------
@contextmanager
def redis_database(directory: Path) -> Iterator[str]:
    """A Redis database for the drill's cache: an empty one of REDIS_DATABASES on
    the Redis at 127.0.0.1:6379, claimed so that two runs at once never share one
    and emptied afterwards; or, when that Redis does not answer, a throw-away
    redis-server of the drill's own."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError:
        with own_redis_server(directory) as url:
            yield url
        return
    for number in REDIS_DATABASES:
        client = redis.Redis.from_url(f"{REDIS_URL}/{number}", socket_timeout=5)
        if client.dbsize() == 0 and client.set(REDIS_CLAIM_KEY, "1", nx=True, ex=3600):
            try:
                yield f"{REDIS_URL}/{number}"
            finally:
                client.flushdb()
            return
    raise HarnessError(
        f"no empty Redis database among {REDIS_DATABASES.start}-"
        f"{REDIS_DATABASES.stop - 1} at {REDIS_URL}"
    )


@contextmanager
def own_redis_server(directory: Path) -> Iterator[str]:
    if shutil.which("redis-server") is None:
        raise HarnessError(
            f"no Redis answers at {REDIS_URL} and redis-server is not installed "
            "(apt-get install -y redis-server)"
        )
    port = free_port()
    directory.mkdir(parents=True, exist_ok=True)
    log = (directory / "redis.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 (fixed arguments)
        [
            program("redis-server"),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(directory),
        ],  # fmt: skip
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        import redis

        url = f"redis://127.0.0.1:{port}/0"
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            try:
                redis.Redis.from_url(url, socket_timeout=1).ping()
                break
            except redis.RedisError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise HarnessError("redis-server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
