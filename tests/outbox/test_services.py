from datetime import timedelta
from email import message_from_bytes
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.jobs import job_succeeded
from outbox.models import OutgoingEmail
from outbox.services import MAIL_JOB, email_queue

pytestmark = pytest.mark.django_db
TEST_TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def test_mail_templates(settings):
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEST_TEMPLATES],
        }
    ]


def queue_test_mail(**overrides):
    return email_queue(
        kind="test",
        to=overrides.pop("to", "kari@example.no"),
        template="outbox/email/test",
        context={"name": "Kari"},
        **overrides,
    )


def send_queued(**options) -> str:
    out = StringIO()
    call_command("send_queued_mail", stdout=out, **options)
    return out.getvalue()


def test_queued_mail_is_sent_by_the_worker():
    queue_test_mail(headers={"List-Unsubscribe": "<https://example.no/u>"})

    assert mail.outbox == []
    assert "sent=1" in send_queued()

    (message,) = mail.outbox
    assert message.to == ["kari@example.no"]
    assert message.subject == "Hei Kari"
    assert "Dette er en test til Kari." in message.body
    assert message.extra_headers["List-Unsubscribe"] == "<https://example.no/u>"
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_a_second_run_sends_nothing_again():
    queue_test_mail()
    send_queued()

    assert send_queued() == ""  # nothing to do, nothing said (cron mails output)
    assert len(mail.outbox) == 1


def submission_that_fails_after_queueing_mail():
    with transaction.atomic():
        queue_test_mail()
        raise RuntimeError("the submission failed")


def test_mail_is_rolled_back_with_the_transaction_it_belongs_to():
    with pytest.raises(RuntimeError):
        submission_that_fails_after_queueing_mail()

    assert OutgoingEmail.objects.count() == 0


def test_mail_server_down_keeps_the_mail_and_a_later_run_delivers_it(
    settings, smtp_down, smtp_sink_factory
):
    queue_test_mail()

    assert "retry=1" in send_queued()
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.QUEUED
    assert email.attempts == 1
    assert email.last_error == "ConnectionRefusedError"
    assert email.next_attempt_at > timezone.now()

    sink = smtp_sink_factory()
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    assert "sent=1" in send_queued()

    (message,) = sink.messages
    assert message["To"] == "kari@example.no"
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_a_mail_is_given_up_after_the_last_attempt(settings, smtp_down):
    settings.MAIL_MAX_ATTEMPTS = 2
    queue_test_mail()

    send_queued()
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    assert "failed=1" in send_queued()

    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.FAILED


def test_a_mail_claimed_by_a_worker_that_died_is_sent_later():
    email = queue_test_mail()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.SENDING,
        claimed_at=timezone.now() - timedelta(minutes=11),
    )

    assert "sent=1" in send_queued()


def test_a_mail_being_sent_by_a_live_worker_is_left_alone():
    email = queue_test_mail()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.SENDING, claimed_at=timezone.now()
    )

    assert send_queued() == ""


def test_the_same_dedupe_key_is_never_queued_twice():
    queue_test_mail(dedupe_key="issue-1:subscriber-1")

    with pytest.raises(IntegrityError), transaction.atomic():
        queue_test_mail(dedupe_key="issue-1:subscriber-1")


def test_mail_can_be_sent_right_after_commit(
    settings, django_capture_on_commit_callbacks
):
    settings.MAIL_SEND_ON_COMMIT = True

    with django_capture_on_commit_callbacks(execute=True):
        queue_test_mail()

    assert len(mail.outbox) == 1


def test_with_nothing_to_send_the_worker_is_silent():
    """Finding: send_queued_mail printed a line every minute."""
    assert send_queued() == ""


def test_mail_that_cannot_get_through_for_a_while_exits_non_zero(smtp_down):
    """Finding: with SMTP refusing, the job exited 0, so monitoring could not tell."""
    queue_test_mail()
    assert "retry=1" in send_queued()  # a first failure is retried in silence
    OutgoingEmail.objects.update(
        created_at=timezone.now() - timedelta(minutes=31),
        next_attempt_at=timezone.now(),
    )

    with pytest.raises(CommandError, match="1 e-post har ikke kommet fram"):
        send_queued()
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.QUEUED


def mail_job(client) -> dict:
    return client.get("/helse/").json()["jobs"][MAIL_JOB]


def test_a_worker_run_that_gets_through_is_recorded_for_monitoring(client):
    """Finding: send_queued_mail recorded no run, so a worker that had stopped
    looked the same as one with nothing to send."""
    assert mail_job(client)["succeeded_at"] is None
    queue_test_mail()

    send_queued()

    job = mail_job(client)
    assert job["ok"] is True
    assert job["succeeded_at"] is not None


def test_a_run_with_the_mail_server_down_is_no_success(client, smtp_down):
    """Also a later run with nothing due yet: the mail waits for its retry."""
    queue_test_mail()

    send_queued()
    send_queued()

    job = mail_job(client)
    assert job["succeeded_at"] is None
    # Walk-through finding: a worker that never got through counted as fine.
    assert job["ok"] is False
    assert job["failed_at"] is not None


def test_a_worker_not_through_for_the_alert_time_is_stale(client):
    job_succeeded(name=MAIL_JOB, at=timezone.now() - timedelta(minutes=29))
    assert mail_job(client)["ok"] is True

    job_succeeded(name=MAIL_JOB, at=timezone.now() - timedelta(minutes=31))

    assert mail_job(client)["ok"] is False
    assert client.get("/helse/").json()["status"] == "degraded"


def test_an_attachment_goes_out_as_utf_8():
    """The copy of a person's data (privacy.rights.answer) is JSON with Norwegian
    letters; as a str it went out Latin-1 encoded ("form\\xe5l"), which no JSON
    reader accepts."""
    content = '{"formål": "Bodø – ✓"}'
    queue_test_mail(
        attachments=[
            {
                "filename": "mine-data.json",
                "content": content,
                "mimetype": "application/json",
            }
        ]
    )
    send_queued()

    (message,) = mail.outbox
    parsed = message_from_bytes(message.message().as_bytes())
    (part,) = [p for p in parsed.walk() if p.get_filename() == "mine-data.json"]
    assert part.get_payload(decode=True).decode("utf-8") == content
