"""Courses, their dates, and the bookings people make for a date.

A booking is one sign-up: the person who signs up (the contact), one invoice, and one
or more participants. Its status holds for all its participants at once: a booking is
confirmed or waitlisted as a whole, never half (courses/services.py).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from core.norwegian import count, moment
from pages.models import MARKDOWN_HELP, Person, optional_image

ORE = Decimal("0.01")
POSTCODE_VALIDATOR = RegexValidator(
    r"^[0-9]{4}$", "Postnummeret må ha fire sifre.", code="invalid_postcode"
)


class Course(models.Model):
    """What is taught. Holds no personal data."""

    title = models.CharField("tittel", max_length=200)
    slug = models.SlugField(
        "nettadresse (slug)",
        max_length=100,
        unique=True,
        help_text="Brukes i nettadressen, for eksempel "
        "/kurs/grunnkurs-i-glasoterapi/. Bare små bokstaver, tall og bindestrek.",
    )
    summary = models.CharField(
        "ingress", max_length=300, help_text="Én eller to setninger til kursoversikten."
    )
    description = models.TextField(
        "beskrivelse", help_text="Vises på kurssiden. Tomme linjer gir nye avsnitt."
    )
    price = models.DecimalField(
        "pris per deltaker (kr)",
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    price_includes_vat = models.BooleanField("prisen er inkludert mva", default=True)
    # Courses can be exempt (merverdiavgiftsloven § 3-5): then the rate is 0.
    vat_rate = models.DecimalField(
        "mva-sats (%)",
        max_digits=4,
        decimal_places=2,
        default=Decimal(25),
        validators=[MinValueValidator(Decimal(0))],
    )
    # A new course is a draft until staff publish it (issue 14).
    is_published = models.BooleanField(
        "publisert",
        default=False,
        help_text="Vises på nettstedet. Et nytt kurs er et utkast til du krysser av.",
    )
    created_at = models.DateTimeField("opprettet", auto_now_add=True)
    # What the course page tells beyond the description; edited by the "Innhold"
    # group through CourseContent, by "Kurs" here.
    programme = models.TextField("program", blank=True, help_text=MARKDOWN_HELP)
    audience = models.TextField("for hvem", blank=True, help_text=MARKDOWN_HELP)
    what_to_bring = models.TextField("ta med", blank=True, help_text=MARKDOWN_HELP)
    teacher = models.ForeignKey(
        Person,
        verbose_name="kursleder",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
    )
    image = optional_image()

    class Meta:
        verbose_name = "kurs"
        verbose_name_plural = "kurs"
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"/kurs/{self.slug}/"

    def amounts(self, *, seats: int) -> "Amounts":
        """What `seats` participants pay at today's price."""
        return Amounts.of(
            unit_price=self.price,
            seats=seats,
            vat_rate=self.vat_rate,
            includes_vat=self.price_includes_vat,
        )


class CourseContent(Course):
    """A course's texts and image only, for the "Innhold" group, who may change
    them without being able to change a price, a date or a booking."""

    class Meta:
        proxy = True
        verbose_name = "kurstekst"
        verbose_name_plural = "kurstekster"


class CourseDate(models.Model):
    """One run of a course: when, where and how many seats. No personal data."""

    course = models.ForeignKey(
        Course, verbose_name="kurs", on_delete=models.PROTECT, related_name="dates"
    )
    starts_at = models.DateTimeField("starter", db_index=True)
    ends_at = models.DateTimeField("slutter")
    is_online = models.BooleanField("nettbasert", default=False)
    place = models.CharField(
        "sted",
        max_length=200,
        blank=True,
        help_text="Adresse eller lokale. For nettbaserte kurs: tomt, eller hvordan "
        "deltakerne kobler seg på.",
    )
    capacity = models.PositiveIntegerField(
        "antall plasser", validators=[MinValueValidator(1)]
    )
    signup_deadline = models.DateTimeField(
        "påmeldingsfrist",
        null=True,
        blank=True,
        help_text="Tomt: påmeldingen er åpen til kurset starter.",
    )
    cancellation_deadline = models.DateTimeField(
        "avbestillingsfrist",
        null=True,
        blank=True,
        help_text="Fram til fristen kan deltakerne avbestille selv med lenken i "
        "e-posten. Tomt: fram til kurset starter.",
    )
    cancelled_at = models.DateTimeField("avlyst", null=True, blank=True)

    class Meta:
        verbose_name = "kursdato"
        verbose_name_plural = "kursdatoer"
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="course_date_ends_after_start",
                violation_error_message="Kurset må slutte etter at det starter.",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="course_date_has_seats",
                violation_error_message="En kursdato må ha minst én plass.",
            ),
        ]

    def __str__(self):
        return f"{self.course.title}, {moment(self.starts_at)}"

    @property
    def signup_closes_at(self):
        return self.signup_deadline or self.starts_at

    @property
    def cancellation_closes_at(self):
        return self.cancellation_deadline or self.starts_at

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def signup_open(self, now=None) -> bool:
        now = now or timezone.now()
        return not self.is_cancelled and now < min(
            self.signup_closes_at, self.starts_at
        )

    def cancellation_open(self, now=None) -> bool:
        now = now or timezone.now()
        return not self.is_cancelled and now < min(
            self.cancellation_closes_at, self.starts_at
        )

    # `seats_taken` and `seats_waitlisted` are annotated by courses.selectors.
    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0

    @property
    def seats_summary(self) -> str:
        """For staff: "2 av 2 plasser tatt, 0 ledige, 1 på venteliste"."""
        return (
            f"{self.seats_taken} av {count(self.capacity, 'plass', 'plasser')} tatt, "
            f"{self.seats_left} ledige, {self.seats_waitlisted} på venteliste"
        )

    @property
    def place_display(self) -> str:
        if self.is_online:
            return "Nettbasert"
        return self.place

    @property
    def availability(self) -> str:
        """What a visitor reads about the seats, in one phrase."""
        if self.is_cancelled:
            return "Avlyst"
        if not self.signup_open():
            return "Påmeldingen er stengt"
        if self.is_full:
            return "Fullt – sett deg på venteliste"
        return count(self.seats_left, "plass", "plasser") + " igjen"


class BookingQuerySet(models.QuerySet):
    def invoiced(self):
        return self.filter(invoiced_at__isnull=False)

    def not_invoiced(self):
        return self.filter(invoiced_at__isnull=True)

    def awaiting_answer(self):
        """Seats offered from the waitlist that their contact has not confirmed."""
        return self.filter(
            status=Booking.Status.CONFIRMED, seat_offered_until__isnull=False
        )


class Booking(models.Model):
    """One sign-up for one course date: a contact, an invoice, participants."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Bekreftet"
        WAITLISTED = "waitlisted", "Venteliste"
        CANCELLED = "cancelled", "Avbestilt"

    class InvoiceMethod(models.TextChoices):
        EMAIL = "email", "Faktura på e-post"
        EHF = "ehf", "EHF (elektronisk faktura til organisasjonsnummeret)"

    course_date = models.ForeignKey(
        CourseDate,
        verbose_name="kursdato",
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    status = models.CharField("status", max_length=12, choices=Status.choices)
    seats = models.PositiveSmallIntegerField("antall deltakere")

    # The person who signed up (personvernerklæringen punkt 2).
    first_name = models.CharField("fornavn", max_length=100)
    last_name = models.CharField("etternavn", max_length=100)
    email = models.EmailField("e-postadresse", db_index=True)
    company = models.CharField("firma eller tilknytning", max_length=200, blank=True)

    # Invoicing (bokføringsloven: kept as sales documentation once invoiced).
    # Blank on a booking that joined the waitlist, which asks for contact details
    # only, until its contact confirms a seat offered (`seat_offered_until`).
    invoice_name = models.CharField("fakturamottaker", max_length=200, blank=True)
    orgnr = models.CharField("organisasjonsnummer", max_length=9, blank=True)
    # Blank when the organisation number names the buyer (bokføringsforskriften
    # § 5-1-1 nr. 4: "navn og adresse eller organisasjonsnummer").
    invoice_street = models.CharField("fakturaadresse", max_length=200, blank=True)
    invoice_postcode = models.CharField(
        "postnummer", max_length=4, blank=True, validators=[POSTCODE_VALIDATOR]
    )
    invoice_place = models.CharField("poststed", max_length=100, blank=True)
    invoice_method = models.CharField(
        "fakturering", max_length=5, choices=InvoiceMethod.choices, blank=True
    )
    invoice_email = models.EmailField("e-post for faktura", blank=True, db_index=True)
    your_reference = models.CharField("deres referanse", max_length=100, blank=True)

    # The price when the booking was made: later price changes do not alter it.
    unit_price = models.DecimalField(
        "pris per deltaker (kr)", max_digits=10, decimal_places=2
    )
    price_includes_vat = models.BooleanField("prisen er inkludert mva")
    vat_rate = models.DecimalField("mva-sats (%)", max_digits=4, decimal_places=2)

    # Markedsføringsloven § 15 (soft opt-in): the contact was told at sign-up that
    # we may e-mail about similar courses and offered an unticked "Nei takk".
    newsletter_declined = models.BooleanField(
        "takket nei til e-post om lignende kurs", default=False
    )
    newsletter_notice_version = models.CharField(
        "versjon av teksten om e-post som ble vist", max_length=20
    )

    # A seat from the waitlist for a booking without invoicing details is held
    # until this moment for its contact to confirm with them; unanswered, it goes
    # to the next on the waitlist (courses.services.offers_release_expired).
    seat_offered_until = models.DateTimeField(
        "plassen holdes til", null=True, blank=True, db_index=True
    )

    created_at = models.DateTimeField("bestilt", default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField("bekreftet", null=True, blank=True)
    cancelled_at = models.DateTimeField("avbestilt", null=True, blank=True)
    # Bokføringsloven § 13: retention of the invoicing data counts from here.
    invoiced_at = models.DateTimeField(
        "fakturert", null=True, blank=True, db_index=True
    )
    invoiced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="fakturert av",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The same form sent twice is saved once (glasoterapi/submissions.py).
    submission_key = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = "påmelding"
        verbose_name_plural = "påmeldinger"
        ordering = ["-created_at"]
        indexes = [
            # Seat counts and the waitlist (FIFO) of a date.
            models.Index(
                fields=["course_date", "status", "created_at"],
                name="booking_date_status_created",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats__gte=1), name="booking_has_participants"
            )
        ]

    def __str__(self):
        return f"Påmelding {self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def awaiting_answer(self) -> bool:
        """A seat is held for it, and its contact has yet to confirm it with the
        invoicing details: not invoiceable until then."""
        return (
            self.status == self.Status.CONFIRMED and self.seat_offered_until is not None
        )

    @property
    def status_text(self) -> str:
        """The status as staff read it: a seat offered and not yet confirmed is
        not "Bekreftet"."""
        if self.awaiting_answer:
            until = timezone.localtime(self.seat_offered_until)
            return f"Plass tilbudt, venter på svar til {until:%d.%m.%Y kl. %H.%M}"
        return self.get_status_display()

    @property
    def has_invoice_details(self) -> bool:
        return bool(self.invoice_name)

    @property
    def organisation(self) -> str:
        """The firm on a participant list: the company given, or the invoice's
        recipient when it is an organisation (an org.nr.). Never a private
        person's invoice name, which bookkeeping keeps after an erasure."""
        return self.company or (self.invoice_name if self.orgnr else "")

    @property
    def amounts(self) -> "Amounts":
        return Amounts.of(
            unit_price=self.unit_price,
            seats=self.seats,
            vat_rate=self.vat_rate,
            includes_vat=self.price_includes_vat,
        )


class Participant(models.Model):
    """A person who takes part; the booking's status is theirs."""

    booking = models.ForeignKey(
        Booking,
        verbose_name="påmelding",
        on_delete=models.CASCADE,
        related_name="participants",
    )
    first_name = models.CharField("fornavn", max_length=100)
    last_name = models.CharField("etternavn", max_length=100)
    email = models.EmailField("e-postadresse", db_index=True)
    # Marked at the door on the day (the check-in page); blank again when the
    # participant is swapped for a colleague.
    arrived_at = models.DateTimeField("kom", null=True, blank=True)

    class Meta:
        verbose_name = "deltaker"
        verbose_name_plural = "deltakere"
        ordering = ["booking", "pk"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip() or f"Deltaker {self.pk}"


class CourseDateMessage(models.Model):
    """A mail staff sent to a date's confirmed participants ("Send e-post til
    deltakerne"): what it said, who sent it, when and to how many. The addresses
    are not kept here; the mails themselves are in the outbox."""

    course_date = models.ForeignKey(
        CourseDate,
        verbose_name="kursdato",
        on_delete=models.PROTECT,
        related_name="messages",
    )
    subject = models.CharField("emne", max_length=150)
    body = models.TextField("tekst")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="sendt av",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    sent_at = models.DateTimeField("sendt", default=timezone.now)
    recipients = models.PositiveIntegerField("mottakere")
    # Addresses under restriction (GDPR art. 18): queued but held back.
    held_back = models.PositiveIntegerField("holdt tilbake", default=0)

    class Meta:
        verbose_name = "e-post til deltakerne"
        verbose_name_plural = "e-post til deltakerne"
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return self.subject


class Amounts:
    """A booking's amounts in NOK: without VAT, VAT and total, rounded to øre."""

    def __init__(self, *, net: Decimal, vat: Decimal, total: Decimal):
        self.net, self.vat, self.total = net, vat, total

    @classmethod
    def of(
        cls, *, unit_price: Decimal, seats: int, vat_rate: Decimal, includes_vat: bool
    ) -> "Amounts":
        price = unit_price * seats
        rate = vat_rate / 100
        if includes_vat:
            total = price.quantize(ORE, ROUND_HALF_UP)
            net = (total / (1 + rate)).quantize(ORE, ROUND_HALF_UP)
        else:
            net = price.quantize(ORE, ROUND_HALF_UP)
            total = (net * (1 + rate)).quantize(ORE, ROUND_HALF_UP)
        return cls(net=net, vat=total - net, total=total)


# A booking's invoicing details, as the form asks for them: what the invoicing
# declarations export and staff may correct.
INVOICE_FIELDS = (
    "invoice_name",
    "orgnr",
    "invoice_street",
    "invoice_postcode",
    "invoice_place",
    "invoice_method",
    "invoice_email",
    "your_reference",
)
CONTACT_FIELDS = ("first_name", "last_name", "email", "company")

# Keys of this app's privacy declarations (courses/privacy.py), for the code that
# looks one up: the services' mails, the admin's anonymised fields.
PARTICIPANTS_PROCESSING = "courses.participants"
CONTACT_PROCESSING = "courses.booking_contact"
UNINVOICED_PROCESSING = "courses.booking_uninvoiced"
INVOICE_RECIPIENT_PROCESSING = "courses.invoice_recipient"
INVOICING_PROCESSING = "courses.invoicing"
