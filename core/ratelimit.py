"""Per-client rate limits in the shared cache, without storing IP addresses.

Counted in the shared cache (the database cache or Redis in production) so that a
limit holds across every gunicorn process and host.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)


def client_key(request, *, scope: str) -> str:
    """The client, as a keyed hash of its IP address: the address itself is
    personal data and is never stored, not even in the cache."""
    address = client_ip(request)
    return salted_hmac(f"{scope}.client", address, algorithm="sha256").hexdigest()[:32]


def client_rate_limited(
    request, *, scope: str, limit: int, window_seconds: int = 3600
) -> bool:
    """Count one attempt by this client in `scope`; True when over `limit`."""
    return rate_limit_exceeded(
        scope=scope,
        key=client_key(request, scope=scope),
        limit=limit,
        window_seconds=window_seconds,
    )


def client_ip(request) -> str:
    """The visitor's address. Behind `TRUSTED_PROXY_COUNT` reverse proxies it is
    the entry that many places from the right of X-Forwarded-For (the proxies
    append; anything further left is the client's own, unverifiable claim);
    without proxies, or without the header, it is the connection's address."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if proxies and len(hops) >= proxies:
        return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def rate_limit_exceeded(
    *, scope: str, key: str, limit: int, window_seconds: int, now: float | None = None
) -> bool:
    """Count one attempt for `key`; True when it is over `limit` in this window.

    Each attempt claims a numbered slot with `cache.add`, which is atomic on every
    backend (Redis SET NX, the database cache's unique key), whereas `incr` is a
    read-then-write on the database cache and under-counts a burst. A hint of the
    last slot taken keeps it to one or two cache calls per attempt.

    If the cache cannot be reached the attempt is let through (and logged): a lost
    submission costs more than a rare spam message.
    """
    now = time.time() if now is None else now
    window = int(now // window_seconds)
    base = f"ratelimit:{scope}:{key}:{window}"
    ttl = (window + 1) * window_seconds - int(now) + 1
    try:
        slot = cache.get(base, 0) + 1
        while slot <= limit and not cache.add(f"{base}:{slot}", 1, timeout=ttl):
            slot += 1
        if slot <= limit:
            cache.set(base, slot, timeout=ttl)
    except Exception as error:  # noqa: BLE001 (fail open, see docstring)
        logger.warning(
            "event=rate_limit_unavailable scope=%s error=%s",
            scope,
            type(error).__name__,
        )
        return False
    return slot > limit
