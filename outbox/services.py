"""The outbox: queue e-mail with the data it belongs to, send it later, retry.

`email_queue()` is called inside the caller's transaction, so the mail is saved or
rolled back together with the submission. `email_send_queued()` (run by
`manage.py send_queued_mail` from cron, or in a loop) claims due mails, sends each
one and records the outcome mail by mail, so a crash resends at most the mail that
was in flight.
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Min, Q
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from core.business import business
from core.hooks import Hook
from core.jobs import job_failed, job_succeeded
from outbox.models import OutgoingEmail

logger = logging.getLogger(__name__)

# Called with each mail before it is sent; a true answer keeps it back (privacy
# connects its restriction check, GDPR art. 18).
mail_held_back = Hook("mail_held_back")

# What each kind of mail is, as staff read it in the outbox: each app names its own.
MAIL_KINDS: dict[str, str] = {}


def mail_kinds_named(labels: dict[str, str]) -> None:
    MAIL_KINDS.update(labels)


mail_kinds_named({"outbox.admins": "Feilmelding til driftsansvarlig"})


def mail_kind_label(kind: str) -> str:
    return MAIL_KINDS.get(kind, kind)


# Wait this long after each failed attempt (the last one repeats).
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=4),
]


def email_queue(**message) -> OutgoingEmail:
    """Render (arguments as for `email_render`) and queue one mail. Must run inside
    the transaction that saves what the mail is about."""
    email = email_render(**message)
    email.save()
    if settings.MAIL_SEND_ON_COMMIT:
        transaction.on_commit(lambda: email_send_queued(ids=[email.pk]))
    return email


def email_render(
    *,
    kind: str,
    to: str,
    template: str,
    context: dict,
    headers: dict[str, str] | None = None,
    attachments: Iterable[dict] = (),
    dedupe_key: str | None = None,
    regarding: str = "",
) -> OutgoingEmail:
    """An unsaved mail from `<template>_subject.txt`, `.txt` and (if present)
    `.html`; for bulk queueing with `bulk_create`."""
    context = {
        "site_url": settings.SITE_URL,
        "business": business(),
        **context,
    }
    subject = render_to_string(f"{template}_subject.txt", context)
    return OutgoingEmail(
        kind=kind,
        to=to,
        subject=" ".join(subject.split()),
        body_text=render_to_string(f"{template}.txt", context),
        body_html=render_optional(f"{template}.html", context).strip(),
        headers=headers or {},
        attachments=list(attachments),
        dedupe_key=dedupe_key,
        regarding=regarding,
        next_attempt_at=timezone.now(),
    )


def render_optional(template: str, context: dict) -> str:
    try:
        return render_to_string(template, context)
    except TemplateDoesNotExist:
        return ""


MAIL_JOB = "send_queued_mail"


def unsent():
    """Mail not yet sent: waiting in the queue, or claimed by a worker."""
    return OutgoingEmail.objects.filter(
        status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.SENDING]
    )


def mail_worker_run(*, batch_size: int) -> dict:
    """One run of the mail worker: every due mail sent (counts as for
    `email_send_queued`). The run succeeded, for the health check and the staff
    overview, when mail is getting through: no attempt failed, and no mail waits
    to be tried again after a failure. With nothing to send it did too."""
    counts = email_send_queued(batch_size=batch_size)
    waiting_after_failure = unsent().filter(attempts__gt=0).exists()
    if counts["retry"] or counts["failed"] or waiting_after_failure:
        job_failed(name=MAIL_JOB, at=timezone.now())
    else:
        job_succeeded(name=MAIL_JOB, at=timezone.now())
    return counts


def email_send_queued(*, batch_size: int = 50, ids: list[int] | None = None) -> dict:
    """Send every due mail (or just `ids`); returns counts of sent and failed."""
    counts = {"sent": 0, "retry": 0, "failed": 0, "held": 0}
    while claimed := claim_due(batch_size=batch_size, ids=ids):
        for outcome in deliver_batch(claimed):
            counts[outcome] += 1
        if ids is not None:
            break
    return counts


def outbox_status(*, now: datetime) -> dict:
    """How long the oldest mail not yet sent has waited (retries included)."""
    oldest = unsent().aggregate(oldest=Min("created_at"))["oldest"]
    minutes = None if oldest is None else int((now - oldest).total_seconds() // 60)
    alert = settings.MAIL_ALERT_MINUTES
    return {
        "oldest_queued_minutes": minutes,
        "alert_minutes": alert,
        "ok": minutes is None or minutes < alert,
    }


def mail_stuck(*, minutes: int) -> str | None:
    """A message for the operator while mail has tried and failed to get through
    for longer than `minutes` (the mail server down or refusing), else None."""
    since = timezone.now() - timedelta(minutes=minutes)
    waiting = unsent().filter(attempts__gt=0, created_at__lt=since)
    count = waiting.count()
    if not count:
        return None
    return (
        f"{count} e-post har ikke kommet fram på over {minutes} minutter "
        f"(siste feil: {waiting.order_by('created_at').first().last_error})."
    )


def deliver_batch(emails: list[OutgoingEmail]) -> list[str]:
    """One connection for the batch; if it cannot open, every mail is retried."""
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as error:  # noqa: BLE001 (server down: retry all later)
        return [record_failure(email, error) for email in emails]
    try:
        return [deliver(email, connection=connection) for email in emails]
    finally:
        connection.close()


def claim_due(*, batch_size: int, ids: list[int] | None) -> list[OutgoingEmail]:
    """Mark a batch of due mails as being sent by this worker.

    SKIP LOCKED lets several workers (or hosts) share the queue on PostgreSQL; on
    SQLite the IMMEDIATE transaction serialises claims.
    """
    now = timezone.now()
    # A mail claimed longer ago than this belonged to a worker that died.
    stale = now - timedelta(seconds=settings.MAIL_STALE_CLAIM_SECONDS)
    due = Q(status=OutgoingEmail.Status.QUEUED, next_attempt_at__lte=now) | Q(
        status=OutgoingEmail.Status.SENDING, claimed_at__lt=stale
    )
    with transaction.atomic():
        queryset = OutgoingEmail.objects.filter(due)
        if ids is not None:
            queryset = queryset.filter(pk__in=ids)
        batch = list(
            queryset.select_for_update(skip_locked=True).order_by("next_attempt_at")[
                :batch_size
            ]
        )
        OutgoingEmail.objects.filter(pk__in=[e.pk for e in batch]).update(
            status=OutgoingEmail.Status.SENDING, claimed_at=now
        )
    return batch


def deliver(email: OutgoingEmail, *, connection) -> str:
    if is_held_back(email):
        OutgoingEmail.objects.filter(pk=email.pk).update(
            status=OutgoingEmail.Status.HELD
        )
        logger.info("event=email_held id=%s kind=%s", email.pk, email.kind)
        return "held"
    try:
        as_message(email, connection=connection).send()
    except Exception as error:  # noqa: BLE001 (any backend failure is retried)
        return record_failure(email, error)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    logger.info("event=email_sent id=%s kind=%s", email.pk, email.kind)
    return "sent"


def is_held_back(email: OutgoingEmail) -> bool:
    """Whether an app holds this mail back (privacy: an address under restriction,
    GDPR art. 18); it is then kept, not sent."""
    return any(mail_held_back(email=email))


def record_failure(email: OutgoingEmail, error: Exception) -> str:
    attempts = email.attempts + 1
    # The class only: SMTP replies can quote the recipient's address.
    reason = type(error).__name__
    gave_up = attempts >= settings.MAIL_MAX_ATTEMPTS
    delay = RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.FAILED if gave_up else OutgoingEmail.Status.QUEUED,
        attempts=attempts,
        next_attempt_at=timezone.now() + delay,
        last_error=reason[:200],
    )
    logger.warning(
        "event=email_failed id=%s kind=%s attempts=%s error=%s",
        email.pk,
        email.kind,
        attempts,
        reason,
    )
    return "failed" if gave_up else "retry"


def as_message(email: OutgoingEmail, *, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        to=[email.to],
        headers=email.headers,
        connection=connection,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        content = attachment["content"]
        if isinstance(content, str) and not attachment["mimetype"].startswith("text/"):
            # A str goes out Latin-1 under a non-text type (the email package's
            # fallback): a JSON copy with "å" would be unreadable. UTF-8 bytes.
            content = content.encode("utf-8")
        message.attach(attachment["filename"], content, attachment["mimetype"])
    return message


def email_retry(*, email: OutgoingEmail) -> None:
    """Staff: send a failed mail again at the next worker run."""
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.QUEUED, next_attempt_at=timezone.now()
    )
