from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from core.jobs import job_succeeded
from courses.customers import CUSTOMERS_JOB
from courses.services import OFFERS_JOB
from glasoterapi.backup import BACKUP_JOB
from outbox.models import OutgoingEmail
from outbox.services import email_queue
from privacy.models import JobRun
from privacy.services.retention import RETENTION_JOB


@pytest.fixture
def nightly_jobs_ran(db):
    now = timezone.now()
    for name in (RETENTION_JOB, CUSTOMERS_JOB):
        job_succeeded(name=name, at=now - timedelta(hours=3))
    job_succeeded(name=OFFERS_JOB, at=now - timedelta(minutes=30))  # hourly


def queue_mail(minutes_ago: int) -> None:
    email_queue(
        kind="contact_receipt",
        to="kari@example.no",
        template="contact/email/receipt",
        context={"inquiry": None},
    )
    OutgoingEmail.objects.update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


def test_health_check_answers_ok_when_the_database_answers(client, nightly_jobs_ran):
    response = client.get("/helse/")

    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert report["database"] == "ok"
    assert report["cache"] == "ok"
    assert report["outbox"] == {
        "oldest_queued_minutes": None,
        "alert_minutes": 30,
        "ok": True,
    }
    assert report["jobs"][RETENTION_JOB]["ok"] is True
    assert report["jobs"][BACKUP_JOB] == {
        "succeeded_at": None,
        "failed_at": None,
        "max_age_hours": 26,
        "ok": True,  # not taken with backup_database here: not watched
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("hours_ago", [27, None])
def test_retention_not_succeeded_within_26_hours_is_degraded_but_200(
    client, nightly_jobs_ran, hours_ago
):
    if hours_ago is None:
        JobRun.objects.filter(name=RETENTION_JOB).delete()  # never ran
    else:
        job_succeeded(
            name=RETENTION_JOB, at=timezone.now() - timedelta(hours=hours_ago)
        )

    response = client.get("/helse/")

    assert response.status_code == 200  # the load balancer keeps the instance
    assert response.json()["status"] == "degraded"
    assert response.json()["jobs"][RETENTION_JOB]["ok"] is False


def test_a_backup_job_that_has_stopped_is_degraded(client, nightly_jobs_ran):
    job_succeeded(name=BACKUP_JOB, at=timezone.now() - timedelta(days=2))

    report = client.get("/helse/").json()

    assert report["status"] == "degraded"
    assert report["jobs"][BACKUP_JOB]["ok"] is False


def test_mail_queued_longer_than_the_alert_is_degraded(client, nightly_jobs_ran):
    queue_mail(minutes_ago=29)
    report = client.get("/helse/").json()
    assert report["status"] == "ok"
    assert report["outbox"]["oldest_queued_minutes"] == 29

    queue_mail(minutes_ago=31)
    report = client.get("/helse/").json()
    assert report["status"] == "degraded"
    assert report["outbox"]["ok"] is False


def test_a_cache_that_does_not_answer_is_degraded(client, nightly_jobs_ran, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }

    report = client.get("/helse/").json()

    assert report["cache"] == "feil"
    assert report["status"] == "degraded"


def test_the_nightly_customer_job_is_recorded(db):
    from courses.customers import customers_record

    customers_record()

    assert JobRun.objects.filter(name=CUSTOMERS_JOB).exists()


@pytest.fixture
def unreachable_database(tmp_path):
    """Point the connection at a database that cannot be reached, then restore it.

    The open connection is set aside rather than closed: closing the last
    connection to SQLite's in-memory test database would destroy it.
    """
    original_settings = dict(connection.settings_dict)
    open_connection = connection.connection
    connection.connection = None
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = str(tmp_path / "missing-dir" / "db.sqlite3")
    else:
        connection.settings_dict["PORT"] = "1"  # nothing listens on port 1
    yield
    connection.settings_dict.update(original_settings)
    connection.connection = open_connection


@pytest.mark.django_db(transaction=True)
def test_health_check_answers_503_when_the_database_is_unreachable(
    client, unreachable_database
):
    response = client.get("/helse/")

    assert response.status_code == 503
    assert response.json()["database"] == "utilgjengelig"


def test_the_hourly_release_of_unanswered_seats_is_watched(client, nightly_jobs_ran):
    """A seat offered from the waitlist is held for a time: if the hourly job
    stops, seats stay held for people who never answer."""
    from django.core.management import call_command

    job_succeeded(name=OFFERS_JOB, at=timezone.now() - timedelta(hours=3))
    assert client.get("/helse/").json()["jobs"][OFFERS_JOB]["ok"] is False

    call_command("release_unanswered_seats")

    assert client.get("/helse/").json()["jobs"][OFFERS_JOB]["ok"] is True
