"""Errors to the operator (`ADMINS`) through the outbox, instead of Django's
AdminEmailHandler, which sends while the request waits (a slow or dead mail server
then slows or breaks the error page) and puts the request, POST data and cookies
included, in the mail.

The mail holds the log line only, after `core.logging.RedactPersonalDataFilter`
(configure it on this handler): no request, no form data. One mail per distinct
message per hour and address, however often it repeats.
"""

import hashlib
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

ADMINS_MAIL_KIND = "outbox.admins"


class QueuedAdminEmailHandler(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        if not settings.ADMINS:
            return
        # Here, not at the top: logging is configured before the models load.
        from outbox.models import OutgoingEmail

        try:
            text = self.format(record)
            first_line = (record.getMessage().splitlines() or [""])[0]
            digest = hashlib.sha256(first_line.encode()).hexdigest()[:16]
            hour = timezone.now().strftime("%Y%m%d%H")
            mails = [
                OutgoingEmail(
                    kind=ADMINS_MAIL_KIND,
                    to=address,
                    subject=f"{settings.EMAIL_SUBJECT_PREFIX}{record.levelname}: "
                    f"{first_line}"[:200],
                    body_text=text,
                    dedupe_key=f"admins:{digest}:{hour}:{index}",
                    next_attempt_at=timezone.now(),
                )
                for index, (_, address) in enumerate(settings.ADMINS)
            ]
            # Its own savepoint: a failed insert leaves the request's transaction
            # as it was; the mail survives a rollback only outside one.
            with transaction.atomic():
                OutgoingEmail.objects.bulk_create(mails, ignore_conflicts=True)
        except Exception:  # noqa: BLE001 (logging must never raise)
            self.handleError(record)
