from django.db import models
from django.utils import timezone


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

    class Source(models.TextChoices):
        """Where the decision was made, as staff read it in the consent log."""

        BANNER = "banner", "Banneret om informasjonskapsler"
        SETTINGS = "settings", "Siden for informasjonskapsler"
        FOOTER = "footer", "Lenken nederst på siden"
        NEWSLETTER_PAGE = "newsletter_page", "Nyhetsbrevsiden"
        CONTACT_FORM = "contact_form", "Kontaktskjemaet"
        COURSE_SIGNUP = "course_signup", "Kurspåmeldingen"
        ADMIN = "admin", "Lagt inn av ansatt"
        UNSUBSCRIBE_LINK = "unsubscribe_link", "Avmeldingslenken i e-posten"
        OBJECTION = "objection", "Protest mot markedsføring"

    consent_id = models.UUIDField("samtykke-id", db_index=True)
    purpose = models.CharField(
        "formål", max_length=20, choices=Purpose.choices, default=Purpose.COOKIES
    )
    action = models.CharField("handling", max_length=10, choices=Action.choices)
    categories = models.JSONField("kategorier gitt", default=list, blank=True)
    revision = models.CharField("revisjon", max_length=40)
    source = models.CharField(
        "kilde", max_length=40, blank=True, choices=Source.choices
    )
    subject_key = models.CharField(
        "nøkkel for e-postadresse", max_length=64, blank=True, db_index=True
    )
    # Newsletter: when the box was ticked; `created_at` is then the confirmation.
    requested_at = models.DateTimeField("bedt om", null=True, blank=True)
    created_at = models.DateTimeField("tidspunkt", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "samtykke"
        verbose_name_plural = "samtykkelogg"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_action_display()} {self.created_at:%Y-%m-%d %H:%M}"


class EmailVerification(models.Model):
    """Proof that a visitor controls an address, for the self-service rights pages.

    The link in the mail carries a signed reference to this row, never the address.
    Valid one hour; deleted after a day (privacy/privacy.py).
    """

    email = models.EmailField("e-postadresse")
    created_at = models.DateTimeField("sendt", auto_now_add=True, db_index=True)
    used_at = models.DateTimeField("brukt", null=True, blank=True)

    class Meta:
        verbose_name = "e-postbekreftelse"
        verbose_name_plural = "e-postbekreftelser"

    def __str__(self):
        return f"E-postbekreftelse #{self.pk}"


class Restriction(models.Model):
    """GDPR art. 18: an address whose data is kept but used for nothing else.

    Keyed by the address's keyed hash, so it holds across every app: the mail
    outbox holds back mail to it, and the newsletter skips it.
    """

    email_key = models.CharField("nøkkel", max_length=64, unique=True)
    created_at = models.DateTimeField("begrenset", auto_now_add=True)

    class Meta:
        verbose_name = "begrensning"
        verbose_name_plural = "begrensninger (bare nøkkel)"

    def __str__(self):
        return f"Begrenset {self.created_at:%Y-%m-%d}"


class DataSubjectRequest(models.Model):
    """A request under GDPR art. 15-21, and what was done about it.

    Holds the facts of the request (kind, which processings, dates, outcome), not the
    personal data itself; `subject_key` links a person's requests without the
    address. While a request is open it also keeps the address, because staff must
    answer the person (GDPR art. 12(3)); closing it blanks the address.
    """

    class Kind(models.TextChoices):
        ACCESS = "access", "Innsyn (art. 15)"
        PORTABILITY = "portability", "Dataportabilitet (art. 20)"
        RECTIFICATION = "rectification", "Retting (art. 16)"
        ERASURE = "erasure", "Sletting (art. 17)"
        RESTRICTION = "restriction", "Begrensning (art. 18)"
        OBJECTION = "objection", "Protest (art. 21)"

    class Status(models.TextChoices):
        OPEN = "open", "Åpen"
        DONE = "done", "Utført"
        REJECTED = "rejected", "Avslått"

    class Channel(models.TextChoices):
        SELF_SERVICE = "self_service", "Selvbetjening"
        STAFF = "staff", "Registrert av ansatt"

    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.OPEN
    )
    channel = models.CharField("kanal", max_length=20, choices=Channel.choices)
    subject_key = models.CharField(
        "nøkkel for e-postadresse", max_length=64, db_index=True
    )
    email = models.EmailField(
        "e-postadresse",
        blank=True,
        help_text="Den som spurte, mens henvendelsen er åpen; slettes når den lukkes.",
    )
    processings = models.JSONField(
        "behandlinger", default=dict, blank=True, help_text="Antall poster per formål."
    )
    # What the person asks to have corrected, or why they object: their own words.
    details = models.TextField("beskrivelse", blank=True)
    # The record a correction names: a declaration's key and the record's number.
    record_processing = models.CharField("gjelder formål", max_length=60, blank=True)
    record_id = models.PositiveBigIntegerField("gjelder nr.", null=True, blank=True)
    outcome = models.TextField("utfall", blank=True)
    answer = models.TextField("svar til personen", blank=True)
    received_at = models.DateTimeField("mottatt", default=timezone.now, db_index=True)
    due_at = models.DateTimeField("frist", db_index=True)
    handled_at = models.DateTimeField("behandlet", null=True, blank=True)
    handled_by = models.ForeignKey(
        "auth.User",
        verbose_name="behandlet av",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "henvendelse om personvern"
        verbose_name_plural = "henvendelser om personvern"
        ordering = ["status", "due_at"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


class AccessAudit(models.Model):
    """Who took personal data out of the system: every CSV export, participant list
    and data-subject export by staff. Read-only in admin."""

    user = models.ForeignKey(
        "auth.User",
        verbose_name="ansatt",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    what = models.CharField("hva", max_length=200)
    rows = models.PositiveIntegerField("antall rader")
    at = models.DateTimeField("tidspunkt", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "uttrekk av personopplysninger"
        verbose_name_plural = "logg over uttrekk av personopplysninger"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.what} ({self.rows})"


class JobRun(models.Model):
    """When a scheduled job last finished without an error: what the privacy page
    may say about it ("every night") and what an operator can watch."""

    name = models.CharField("jobb", max_length=60, unique=True)
    succeeded_at = models.DateTimeField("sist fullført", null=True, blank=True)
    # So that a job that has failed from its first run is not taken for one that
    # was never set up.
    failed_at = models.DateTimeField("sist feilet", null=True, blank=True)

    class Meta:
        verbose_name = "kjøring av jobb"
        verbose_name_plural = "kjøringer av jobber"

    def __str__(self):
        return self.name


class JournalEntryApplied(models.Model):
    """An entry of the erasure journal (privacy/journal.py) that this database
    holds: written in the same transaction as the erasure or unsubscription, or
    when it was replayed after a restore. The journal's entries missing here are
    what a restored backup lacks."""

    seq = models.PositiveBigIntegerField("nummer i journalen", primary_key=True)
    event = models.CharField("hendelse", max_length=30)
    applied_at = models.DateTimeField("utført", default=timezone.now)

    class Meta:
        verbose_name = "utført sletting fra journalen"
        verbose_name_plural = "utførte slettinger fra journalen"

    def __str__(self):
        return f"{self.event} #{self.seq}"
