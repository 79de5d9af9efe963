from django.db import models


class OutgoingEmail(models.Model):
    """An e-mail waiting to be sent, or sent: the outbox.

    Saved in the same transaction as whatever caused it, so that a mail server being
    down never loses a visitor's submission or its receipt; `send_queued_mail` sends
    and retries. Bodies hold personal data and are deleted after
    `MAIL_RETENTION_DAYS` (see outbox/privacy.py).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "I kø"
        SENDING = "sending", "Sendes"
        SENT = "sent", "Sendt"
        FAILED = "failed", "Feilet"
        # The address's data is restricted (GDPR art. 18): not sent, kept.
        HELD = "held", "Holdt tilbake (begrenset)"

    kind = models.CharField("type", max_length=60)
    to = models.EmailField("til", db_index=True)  # data-subject lookups
    subject = models.CharField("emne", max_length=200)
    body_text = models.TextField("tekst")
    body_html = models.TextField("HTML", blank=True)
    headers = models.JSONField("ekstra hoder", default=dict, blank=True)
    # [{"filename": ..., "content": ..., "mimetype": ...}], text content only.
    attachments = models.JSONField("vedlegg", default=list, blank=True)
    # Set when a mail must never be queued twice (one newsletter issue per address).
    dedupe_key = models.CharField(max_length=120, unique=True, null=True, blank=True)
    # What the mail is about, as "<app>.<model>:<pk>" ("courses.booking:12"), so
    # that an app can show staff its own mail (a booking's) without the outbox.
    regarding = models.CharField("gjelder", max_length=60, blank=True, db_index=True)
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField("forsøk", default=0)
    next_attempt_at = models.DateTimeField("neste forsøk", db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField("siste feil", max_length=200, blank=True)
    created_at = models.DateTimeField("opprettet", auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField("sendt", null=True, blank=True)

    class Meta:
        verbose_name = "utgående e-post"
        verbose_name_plural = "utgående e-post"
        ordering = ["-created_at"]
        # The table and index keep the names from when the outbox was part of the
        # project package, so that an existing database upgrades in place.
        db_table = "glasoterapi_outgoingemail"
        indexes = [
            models.Index(
                fields=["status", "next_attempt_at"],
                name="glasoterapi_status_6b7f8e_idx",
            )
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"
