from django.conf import settings
from django.db import models
from django.utils import timezone


class Inquiry(models.Model):
    """A question sent through the contact form: a lead that staff follow up.

    What the visitor typed is changed only by `inquiry_rectify` (a correction on
    request, GDPR art. 16); staff work with status, assignee, notes and the
    organisation number they may add from the public register.
    """

    class Status(models.TextChoices):
        NEW = "new", "Ny"
        IN_PROGRESS = "in_progress", "Under arbeid"
        ANSWERED = "answered", "Besvart"
        CLOSED = "closed", "Lukket"

    # Typed by the visitor.
    first_name = models.CharField("fornavn", max_length=100)
    last_name = models.CharField("etternavn", max_length=100)
    email = models.EmailField("e-postadresse", db_index=True)
    phone = models.CharField(
        "telefon",
        max_length=16,
        blank=True,
        help_text="Lagret i internasjonal form (+47…). Valgfritt.",
    )
    company = models.CharField("firma eller tilknytning", max_length=200, blank=True)
    message = models.TextField("melding")

    # The follow-up.
    status = models.CharField(
        "status",
        max_length=12,
        choices=Status.choices,
        default=Status.NEW,
        db_index=True,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ansvarlig",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_inquiries",
    )

    # Supplemented by staff from Enhetsregisteret (personvernerklæringen punkt 3).
    orgnr = models.CharField("organisasjonsnummer", max_length=9, blank=True)
    orgnr_added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="org.nr. supplert av",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    orgnr_added_at = models.DateTimeField("org.nr. supplert", null=True, blank=True)

    created_at = models.DateTimeField("mottatt", default=timezone.now, db_index=True)
    updated_at = models.DateTimeField("oppdatert", auto_now=True)
    # The same form sent twice is saved once (glasoterapi/submissions.py).
    submission_key = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    # Retention counts from here (contact/privacy.py); open cases have none.
    closed_at = models.DateTimeField("lukket", null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "henvendelse"
        verbose_name_plural = "henvendelser"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Henvendelse {self.pk}: {self.full_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class InquiryNote(models.Model):
    """One entry in an inquiry's follow-up history. Append-only."""

    inquiry = models.ForeignKey(
        Inquiry,
        verbose_name="henvendelse",
        on_delete=models.CASCADE,
        related_name="notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="skrevet av",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField("notat", max_length=5000)
    created_at = models.DateTimeField("tidspunkt", default=timezone.now)

    class Meta:
        verbose_name = "notat"
        verbose_name_plural = "notater"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Notat {self.pk}"
