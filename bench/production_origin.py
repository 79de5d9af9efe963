"""Where Lighthouse measures the site (issue 17: "on the production stack"): Debian's
nginx with the site file operators deploy (deploy/nginx.conf, through
drills/proxy_stack.py), over HTTPS, in front of a gunicorn with the production
settings behind a proxy; nginx serves the static files and the uploaded images, as
in production. Chromium trusts the stack's self-signed certificate by its key alone.

Without nginx, Lighthouse measures the site's gunicorn on plain HTTP, and the report
says so.
"""

from __future__ import annotations

import ssl
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from drills import proxy_stack
from drills.stack import HarnessError, Server, running

# The README's settings behind nginx ("Deploying"); the images come from nginx.
BEHIND_PROXY = {
    "TRUSTED_PROXY_COUNT": "1",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    "SECURE_SSL_REDIRECT": "True",
    "SECURE_HSTS_SECONDS": "31536000",
    # 127.0.0.1 for the harness, which asks the instance for /helse/.
    "ALLOWED_HOSTS": f"{proxy_stack.HOST},127.0.0.1",
    "SITE_URL": f"https://{proxy_stack.HOST}",
    "SERVE_MEDIA": "False",
}


@dataclass
class Origin:
    url: str
    description: str
    chrome_flags: list[str] = field(default_factory=list)
    tls: ssl.SSLContext | None = None  # for the harness's own requests


@contextmanager
def production_origin(env: dict[str, str], tmp: Path, site: Server) -> Iterator[Origin]:
    """The origin to measure, while the block runs. `site` is the benchmark's own
    server, which must be running: it is the fallback without nginx."""
    if missing := proxy_stack.tools_missing():
        yield Origin(site.origin, f"gunicorn on plain HTTP at 127.0.0.1 ({missing})")
        return
    server = Server("lighthouse", env=BEHIND_PROXY)
    with (
        running([server], env, tmp),
        proxy_stack.running_proxy(
            tmp / "nginx",
            upstreams=[server.port, server.port],
            static_root=Path(env["STATIC_ROOT"]),
            media_root=Path(env["MEDIA_ROOT"]),
        ) as proxy,
    ):
        pin = proxy_stack.public_key_pin(proxy.certificate)
        yield Origin(
            f"https://{proxy_stack.HOST}:{proxy.https_port}",
            "nginx with deploy/nginx.conf over HTTPS (HTTP/2, a self-signed "
            "certificate that Chromium trusts by its key) in front of gunicorn with "
            "the production settings behind a proxy; nginx serves the static files "
            "and the images",
            [f"--ignore-certificate-errors-spki-list={pin}"],
            proxy.tls_context(),
        )


def warm_up(origin: Origin, paths: list[str]) -> None:
    """One request per page first, so that Lighthouse measures what visitors get
    from a running site (its page cache filled), not each page's first render."""
    for path in paths:
        url = origin.url + path
        try:
            with urllib.request.urlopen(url, context=origin.tls, timeout=30) as page:  # noqa: S310 (ours)
                page.read()
        except OSError as error:
            raise HarnessError(f"{url} did not answer: {error}") from error
