"""What /helse/ reports beyond "the database answers": the cache, the mail queue
and the nightly jobs, each with what an operator alerts on.

A stale part makes the status "degraded" but the answer stays 200: the instance
can still serve visitors, and a load balancer must not take every instance out
because the mail server or a timer is down. Only a database that does not answer
is 503 (glasoterapi/views.py).
"""

import secrets
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

from core.jobs import jobs_status
from outbox.services import outbox_status


def health_report(*, now: datetime | None = None) -> dict:
    """The JSON body after the database has answered: every part and the status."""
    now = now or timezone.now()
    parts = {
        "cache": cache_part(),
        "outbox": outbox_status(now=now),
        "jobs": jobs_part(now),
    }
    healthy = (
        parts["cache"] == "ok"
        and parts["outbox"]["ok"]
        and all(job["ok"] for job in parts["jobs"].values())
    )
    return {"status": "ok" if healthy else "degraded", "database": "ok", **parts}


def cache_part() -> str:
    """A value written and read back: the shared cache holds the rate limits."""
    value = secrets.token_hex(8)
    try:
        cache.set("health:probe", value, timeout=30)
        return "ok" if cache.get("health:probe") == value else "feil"
    except Exception:  # noqa: BLE001 (any backend's error: Redis down, say)
        return "feil"


def jobs_part(now: datetime) -> dict:
    """Each watched job (core/jobs.py): when it last succeeded, and whether that
    is recent enough."""
    return {
        job.name: {
            "succeeded_at": job.succeeded_at.isoformat() if job.succeeded_at else None,
            "failed_at": job.failed_at.isoformat() if job.failed_at else None,
            "max_age_hours": job.max_age.total_seconds() / 3600,
            "ok": job.ok,
        }
        for job in jobs_status(now=now)
    }
