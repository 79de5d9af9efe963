"""The newsletter: subscriptions (double opt-in, soft opt-in for customers),
the suppression list and the issues sent.

The tables keep the names from when the newsletter was part of the privacy app
(`db_table`), so that an existing database upgrades in place.
"""

from django.db import models


class SubscriberQuerySet(models.QuerySet):
    def consented(self):
        """Active on their own confirmed consent."""
        return self.filter(
            status=Subscriber.Status.ACTIVE, basis=Subscriber.Basis.CONSENT
        )

    def customers(self):
        """Active as existing customers (soft opt-in)."""
        return self.filter(
            status=Subscriber.Status.ACTIVE, basis=Subscriber.Basis.CUSTOMER
        )

    def pending(self):
        """Signed up, not yet confirmed."""
        return self.filter(status=Subscriber.Status.PENDING)


class Subscriber(models.Model):
    """A newsletter subscription: pending until confirmed, then active.

    Unsubscribing deletes the row (name and address); only a keyed hash stays, in
    `NewsletterSuppression`, so that no soft opt-in or import adds the address back.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Venter på bekreftelse"
        ACTIVE = "active", "Aktiv"

    class Basis(models.TextChoices):
        # GDPR art. 6(1)(a) and markedsføringsloven § 15 first paragraph.
        CONSENT = "consent", "Samtykke"
        # Existing customers about similar courses, markedsføringsloven § 15 second
        # paragraph ("soft opt-in"), GDPR art. 6(1)(f).
        CUSTOMER = "customer", "Eksisterende kunde"

    class Source(models.TextChoices):
        NEWSLETTER_PAGE = "newsletter_page", "Nyhetsbrevsiden"
        CONTACT_FORM = "contact_form", "Kontaktskjemaet"
        COURSE_SIGNUP = "course_signup", "Kurspåmelding"
        ADMIN = "admin", "Lagt inn av ansatt"

    name = models.CharField("navn", max_length=150, blank=True)
    email = models.EmailField("e-postadresse", unique=True)
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    basis = models.CharField("grunnlag", max_length=10, choices=Basis.choices)
    source = models.CharField("kilde", max_length=20, choices=Source.choices)
    consent_text_version = models.CharField(
        "versjon av samtykketeksten", max_length=20, blank=True
    )
    created_at = models.DateTimeField("påmeldt", auto_now_add=True, db_index=True)
    confirmation_sent_at = models.DateTimeField(
        "bekreftelse sendt", null=True, blank=True
    )
    confirmed_at = models.DateTimeField("bekreftet", null=True, blank=True)
    # Soft opt-in (markedsføringsloven § 15 second paragraph): the end of the last
    # course this customer bought; the relationship, and the row, end
    # NEWSLETTER_CUSTOMER_MONTHS later.
    last_course_at = models.DateTimeField("siste kurs", null=True, blank=True)
    # GDPR art. 18: kept, but used for nothing (no mail) while restricted.
    restricted_at = models.DateTimeField("begrenset", null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        db_table = "privacy_subscriber"
        verbose_name = "abonnent"
        verbose_name_plural = "abonnenter på nyhetsbrevet"
        ordering = ["-created_at"]
        indexes = [
            # The retention job's lookup of unconfirmed sign-ups past their period:
            # few rows among many confirmed ones, which `created_at` alone cannot
            # tell apart.
            models.Index(
                fields=["created_at"],
                condition=models.Q(status="pending"),
                name="subscriber_pending_created",
            ),
        ]

    def __str__(self):
        return self.name or f"Abonnent #{self.pk}"


class NewsletterSuppression(models.Model):
    """An address that must not be added again: only its keyed hash is kept."""

    email_key = models.CharField("nøkkel", max_length=64, unique=True)
    created_at = models.DateTimeField("avmeldt", auto_now_add=True)

    class Meta:
        db_table = "privacy_newslettersuppression"
        verbose_name = "avmeldt adresse"
        verbose_name_plural = "avmeldte adresser (bare nøkkel)"

    def __str__(self):
        return f"Avmeldt {self.created_at:%Y-%m-%d}"


class NewsletterIssue(models.Model):
    """One issue: written as a draft, then queued once to its audience.

    Queued is not sent: the outbox sends each mail later (and may retry it), so
    "sent" is what the outbox says about each mail, not a status of the issue.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Utkast"
        # Being queued, or queueing stopped halfway (a crash): sending it again
        # queues the rest.
        SENDING = "sending", "Legges i kø"
        SENT = "sent", "Lagt i kø"

    class Audience(models.TextChoices):
        # Their own confirmed consent (markedsføringsloven § 15 first paragraph).
        CONSENT = "consent", "Påmeldte abonnenter (har samtykket selv)"
        # Soft opt-in (markedsføringsloven § 15 second paragraph).
        CUSTOMERS = "customers", "Kunder som har kjøpt kurs (ikke påmeldt selv)"
        BOTH = "both", "Begge: påmeldte abonnenter og kunder"

    subject = models.CharField("emne", max_length=200)
    body_text = models.TextField(
        "tekst", help_text="Vanlig tekst. Avmeldingslenken legges til automatisk."
    )
    body_html = models.TextField(
        "HTML",
        blank=True,
        help_text="Valgfritt. Ingen sporingspiksler eller sporede lenker.",
    )
    audience = models.CharField(
        "mottakere",
        max_length=10,
        choices=Audience.choices,
        default=Audience.CONSENT,
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField("laget", auto_now_add=True)
    send_started_at = models.DateTimeField("utsending startet", null=True, blank=True)
    queued_count = models.PositiveIntegerField("lagt i kø", default=0)

    class Meta:
        db_table = "privacy_newsletterissue"
        verbose_name = "nyhetsbrev"
        verbose_name_plural = "nyhetsbrev"
        ordering = ["-created_at"]
        permissions = [("send_newsletterissue", "Kan sende nyhetsbrev")]

    def __str__(self):
        return self.subject
