"""What /helse/ reports beyond "the database answers": the cache, the mail queue
and the nightly jobs, each with what an operator alerts on.

A stale part makes the status "degraded" but the answer stays 200: the instance
can still serve visitors, and a load balancer must not take every instance out
because the mail server or a timer is down. Only a database that does not answer
is 503 (glasoterapi/views.py).
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min
from django.utils import timezone

from courses.customers import CUSTOMERS_JOB
from glasoterapi.backup import BACKUP_JOB
from outbox.models import OutgoingEmail
from privacy.models import JobRun
from privacy.services.retention import RETENTION_JOB

# Nightly jobs: stale when they have not succeeded within a day and a margin for
# a slow run or a timer's randomised delay.
NIGHTLY_HOURS = 26
# name -> whether it must have run at all (a site may take its backups otherwise;
# once backup_database has run, it must go on running).
WATCHED_JOBS = {RETENTION_JOB: True, CUSTOMERS_JOB: True, BACKUP_JOB: False}


def health_report(*, now: datetime | None = None) -> dict:
    """The JSON body after the database has answered: every part and the status."""
    now = now or timezone.now()
    parts = {"cache": cache_part(), "outbox": outbox_part(now), "jobs": jobs_part(now)}
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


def outbox_part(now: datetime) -> dict:
    """How long the oldest mail not yet sent has waited (retries included)."""
    oldest = OutgoingEmail.objects.filter(
        status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.SENDING]
    ).aggregate(oldest=Min("created_at"))["oldest"]
    minutes = None if oldest is None else int((now - oldest).total_seconds() // 60)
    alert = settings.MAIL_ALERT_MINUTES
    return {
        "oldest_queued_minutes": minutes,
        "alert_minutes": alert,
        "ok": minutes is None or minutes < alert,
    }


def jobs_part(now: datetime) -> dict:
    runs = dict(
        JobRun.objects.filter(name__in=WATCHED_JOBS).values_list("name", "succeeded_at")
    )
    cutoff = now - timedelta(hours=NIGHTLY_HOURS)
    jobs = {}
    for name, required in WATCHED_JOBS.items():
        succeeded_at = runs.get(name)
        fresh = succeeded_at is not None and succeeded_at >= cutoff
        jobs[name] = {
            "succeeded_at": succeeded_at.isoformat() if succeeded_at else None,
            "max_age_hours": NIGHTLY_HOURS,
            "ok": fresh or (succeeded_at is None and not required),
        }
    return jobs
