from django.db import models


class ConsentRecord(models.Model):
    """The consent ledger: proof of every consent decision (GDPR art. 7(1)).

    Append-only. Cookie decisions are keyed by the random id in the visitor's consent
    cookie, never by IP address or user agent. Newsletter consents are keyed by a
    keyed hash of the e-mail address (`subject_key`), so the proof outlives the
    deletion of the address itself.
    """

    class Action(models.TextChoices):
        GIVEN = "given", "Gitt"
        REFUSED = "refused", "Avslått"
        WITHDRAWN = "withdrawn", "Trukket tilbake"
        CHANGED = "changed", "Endret"

    class Purpose(models.TextChoices):
        COOKIES = "cookies", "Informasjonskapsler"
        NEWSLETTER = "newsletter", "Nyhetsbrev"

    consent_id = models.UUIDField("samtykke-id", db_index=True)
    purpose = models.CharField(
        "formål", max_length=20, choices=Purpose.choices, default=Purpose.COOKIES
    )
    action = models.CharField("handling", max_length=10, choices=Action.choices)
    categories = models.JSONField("kategorier gitt", default=list, blank=True)
    revision = models.CharField("revisjon", max_length=40)
    source = models.CharField("kilde", max_length=40, blank=True)
    subject_key = models.CharField(
        "nøkkel for e-postadresse", max_length=64, blank=True, db_index=True
    )
    created_at = models.DateTimeField("tidspunkt", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "samtykke"
        verbose_name_plural = "samtykkelogg"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_action_display()} {self.created_at:%Y-%m-%d %H:%M}"
