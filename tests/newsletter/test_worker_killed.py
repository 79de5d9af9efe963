"""A newsletter send whose mail worker is killed halfway, then restarted.

Runs the real worker (`manage.py send_queued_mail`) as a separate process against
the PostgreSQL test database, and a real SMTP server that SIGKILLs the worker in
the middle of the send.
"""

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from newsletter.models import NewsletterIssue, Subscriber
from newsletter.services import newsletter_issue_send
from outbox.models import OutgoingEmail
from tests.conftest import SmtpSink, use_smtp

PROJECT_DIR = Path(__file__).resolve().parents[2]
SUBSCRIBERS = 1000
KILL_AT = 500


class KillingSmtpSink(SmtpSink):
    """Accepts mail until the KILL_AT-th message, then kills the worker before
    answering, as a crash would: that message was never accepted."""

    worker: subprocess.Popen | None = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.worker is not None and len(self.messages) == KILL_AT - 1:
            os.kill(self.worker.pid, signal.SIGKILL)
            self.worker = None
            return "421 shutting down"
        return await super().handle_DATA(server, session, envelope)


def start_worker(sink: SmtpSink, **env) -> subprocess.Popen:
    database = connection.settings_dict
    environment = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
            f"/{database['NAME']}"
        ),
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "CACHE_URL": "locmemcache://",
        **env,
    }
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.Popen(
        [sys.executable, "manage.py", "send_queued_mail", "--batch-size", "25"],
        cwd=PROJECT_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.django_db(transaction=True)
def test_a_killed_send_restarted_delivers_exactly_one_mail_per_subscriber(
    postgres, settings
):
    Subscriber.objects.bulk_create(
        Subscriber(
            name=f"Abonnent {n}",
            email=f"abonnent{n}@example.no",
            status=Subscriber.Status.ACTIVE,
            basis=Subscriber.Basis.CONSENT,
            source=Subscriber.Source.NEWSLETTER_PAGE,
        )
        for n in range(SUBSCRIBERS)
    )
    issue = NewsletterIssue.objects.create(subject="Vårkurs", body_text="Hei!")
    newsletter_issue_send(issue=issue)
    sink = KillingSmtpSink()
    sink.start()
    use_smtp(settings, sink.port)
    try:
        sink.worker = first = start_worker(sink)
        first.wait(timeout=120)
        assert first.returncode == -signal.SIGKILL
        assert len(sink.messages) == KILL_AT - 1

        # Restarted; the dead worker's claimed batch is taken over at once.
        second = start_worker(sink, MAIL_STALE_CLAIM_SECONDS="0")
        second.wait(timeout=120)
        assert second.returncode == 0, second.stderr.read().decode()
    finally:
        sink.stop()

    received = Counter(message["To"] for message in sink.messages)
    assert len(received) == SUBSCRIBERS
    assert set(received.values()) == {1}
    links = {message["List-Unsubscribe"] for message in sink.messages}
    assert len(links) == SUBSCRIBERS  # each with its own link
    assert {message["List-Unsubscribe-Post"] for message in sink.messages} == {
        "List-Unsubscribe=One-Click"
    }
    assert not OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT).exists()
