"""Per-client rate limits in the shared cache, without storing IP addresses.

Counted in the shared cache (the database cache or Redis in production) so that a
limit holds across every gunicorn process and host.
"""

import logging
import time

from django.core.cache import cache
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)


def client_key(request, *, scope: str) -> str:
    """The client, as a keyed hash of its IP address: the address itself is
    personal data and is never stored, not even in the cache."""
    address = request.META.get("REMOTE_ADDR", "")
    return salted_hmac(f"{scope}.client", address, algorithm="sha256").hexdigest()[:32]


def rate_limit_exceeded(
    *, scope: str, key: str, limit: int, window_seconds: int, now: float | None = None
) -> bool:
    """Count one attempt for `key`; True when it is over `limit` in this window.

    Counted per fixed window. If the cache cannot be reached the attempt is let
    through (and logged): a lost submission costs more than a rare spam message.
    """
    now = time.time() if now is None else now
    window = int(now // window_seconds)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    # Until the end of this window; set explicitly on every count because some
    # backends' incr() (the database cache) resets the expiry to the default.
    ttl = (window + 1) * window_seconds - int(now) + 1
    try:
        cache.add(cache_key, 0, timeout=ttl)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.set(cache_key, 1, timeout=ttl)
            count = 1
        cache.touch(cache_key, timeout=ttl)
    except Exception as error:  # noqa: BLE001 (fail open, see docstring)
        logger.warning(
            "event=rate_limit_unavailable scope=%s error=%s",
            scope,
            type(error).__name__,
        )
        return False
    return count > limit
