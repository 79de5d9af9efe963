"""What the course sign-up keeps (personvernerklæringen punkt 2: "Ved kurs- og
seminarpåmelding").

The issue names two processings: participants and contact data (art. 6(1)(f), gone
a set time after the course date) and invoicing data (art. 6(1)(c), bokføringsloven
§ 13). The registry declares one model and one erasure action per declaration, so
the first is declared in three parts:

- the participants (Participant rows: anonymised);
- the person who signed up, on every booking (Booking: anonymised; the row stays
  for bookkeeping);
- a booking that was never invoiced, with its invoicing details (Booking rows
  without `invoiced_at`: deleted, participants with it), so that the invoice
  address of someone who only stood on the waitlist is not kept for years;
- the address the invoice goes to, as its holder's own data (erasure blanks only
  it: the booking belongs to the person who made it);

and the second is the invoiced bookings' invoicing data, under legal hold: an
erasure request before the end of the period anonymises the three parts above and
keeps this, and the person is told until when (GDPR art. 17(3)(b)).
"""

from django.db.models import Q

from courses.models import (
    CONTACT_PROCESSING,
    INVOICE_RECIPIENT_PROCESSING,
    INVOICING_PROCESSING,
    PARTICIPANTS_PROCESSING,
    UNINVOICED_PROCESSING,
    Booking,
    Course,
    CourseDate,
    Participant,
)
from courses.services import bookings_delete
from privacy import registry

INVOICED = Q(invoiced_at__isnull=False)
SIGNUP_REASON = (
    "Vi har en berettiget interesse i å vite hvem som kommer og hvem vi skal "
    "kontakte, for å kunne planlegge og gjennomføre kurset på en god måte og gi "
    "beskjed om endringer."
)
SIGNUP_SOURCE = "Fra deg, via påmeldingsskjemaet"
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

registry.declare_no_personal_data(
    Course, reason="Kursbeskrivelser og priser: ingen personopplysninger."
)
registry.declare_no_personal_data(
    CourseDate, reason="Tid, sted og antall plasser: ingen personopplysninger."
)


def after_the_course(counted_from: str) -> registry.Retention:
    return registry.Retention(
        counted_from=counted_from,
        days="COURSES_PARTICIPANT_RETENTION_DAYS",
        after="etter kursdatoen",
    )


registry.register(
    registry.Processing(
        key=PARTICIPANTS_PROCESSING,
        model=Participant,
        purpose="Planlegge og gjennomføre kurs og seminarer: deltakerlisten",
        legal_basis=registry.LegalBasis.LEGITIMATE_INTEREST,
        legal_basis_reason=SIGNUP_REASON,
        data_categories=("deltakernes navn", "deltakernes e-postadresser"),
        subject_fields=("email",),
        retention=after_the_course("booking__course_date__starts_at"),
        # The row stays so that the booking's number of participants adds up.
        erasure=registry.Erasure.anonymise(first_name="", last_name="", email=""),
        export_fields=(
            "booking__course_date__course__title",
            "booking__course_date__starts_at",
            "booking__status",
            "first_name",
            "last_name",
            "email",
        ),
        source="Fra deg eller den som meldte deg på, via påmeldingsskjemaet",
        data_subjects="Kursdeltakere",
    ),
    registry.Processing(
        key=CONTACT_PROCESSING,
        model=Booking,
        purpose="Planlegge og gjennomføre kurs og seminarer: kontakt med den som "
        "meldte på",
        legal_basis=registry.LegalBasis.LEGITIMATE_INTEREST,
        legal_basis_reason=SIGNUP_REASON,
        data_categories=(
            "navn",
            "e-postadresse",
            "firma eller tilknytning",
            "påmeldingens status (bekreftet, venteliste, avbestilt)",
            "om du takket nei til e-post om lignende kurs",
        ),
        subject_fields=("email",),
        retention=after_the_course("course_date__starts_at"),
        # Only the contact's own fields: what bookkeeping needs stays (below).
        erasure=registry.Erasure.anonymise(
            first_name="", last_name="", email="", company="", submission_key=None
        ),
        export_fields=(
            "created_at",
            "course_date__course__title",
            "course_date__starts_at",
            "status",
            "seats",
            "first_name",
            "last_name",
            "email",
            "company",
            "newsletter_declined",
            "newsletter_notice_version",
            "cancelled_at",
        ),
        source=SIGNUP_SOURCE,
        data_subjects="Kunder som melder seg eller andre på kurs",
    ),
    registry.Processing(
        key=UNINVOICED_PROCESSING,
        model=Booking,
        rows=~INVOICED,
        purpose="Planlegge og gjennomføre kurs og seminarer: fakturaopplysninger "
        "før fakturering",
        legal_basis=registry.LegalBasis.LEGITIMATE_INTEREST,
        legal_basis_reason=(
            "Vi trenger fakturaopplysningene for å kunne fakturere kurset. Blir "
            "påmeldingen aldri fakturert (for eksempel fordi den ble avbestilt "
            "eller sto på venteliste), sletter vi den."
        ),
        data_categories=(
            "fakturamottaker (firmanavn eller navn)",
            "organisasjonsnummer",
            "fakturaadresse",
            "e-postadresse for faktura",
            "deres referanse",
        ),
        # Only the person who made the booking can have it erased; the holder of
        # the invoice address has their own declaration below.
        subject_fields=("email",),
        retention=after_the_course("course_date__starts_at"),
        # The whole booking, participants with it (on_delete=CASCADE); seats it
        # held on an upcoming date go to the waitlist.
        erasure=registry.Erasure.delete(using=bookings_delete),
        export_fields=INVOICE_FIELDS,
        source=SIGNUP_SOURCE,
        data_subjects="Kunder som melder seg eller andre på kurs",
    ),
    registry.Processing(
        key=INVOICE_RECIPIENT_PROCESSING,
        model=Booking,
        rows=~INVOICED,
        purpose="Sende fakturaen for et kurs til e-postadressen vi fikk oppgitt",
        legal_basis=registry.LegalBasis.LEGITIMATE_INTEREST,
        legal_basis_reason=(
            "Den som meldte på, oppga adressen din som mottaker av fakturaen, og vi "
            "trenger den for å sende fakturaen dit."
        ),
        data_categories=("e-postadresse for faktura",),
        subject_fields=("invoice_email",),
        retention=after_the_course("course_date__starts_at"),
        # The address only: the booking is the contact's, and a shared address
        # (faktura@firma.no) must not be able to erase the company's bookings.
        erasure=registry.Erasure.anonymise(invoice_email=""),
        export_fields=(
            "course_date__course__title",
            "course_date__starts_at",
            "invoice_name",
            "invoice_email",
        ),
        source="Fra den som meldte på, via påmeldingsskjemaet",
        data_subjects="Mottakere av fakturaer for kurs",
    ),
    registry.Processing(
        key=INVOICING_PROCESSING,
        model=Booking,
        rows=INVOICED,
        purpose="Fakturere kurs og seminarer og oppfylle bokføringsplikten",
        legal_basis=registry.LegalBasis.LEGAL_OBLIGATION,
        legal_basis_reason=(
            "Bokføringsloven § 13 pålegger oss å oppbevare salgsdokumentasjonen "
            "(fakturagrunnlaget) i fem år etter utgangen av regnskapsåret."
        ),
        data_categories=(
            "fakturamottaker (firmanavn eller navn)",
            "organisasjonsnummer",
            "fakturaadresse",
            "e-postadresse for faktura",
            "deres referanse",
            "kurs, antall deltakere og beløp",
        ),
        subject_fields=("email", "invoice_email"),
        # Bokføringsloven § 13: whole financial years after the invoice's year.
        retention=registry.Retention(
            counted_from="invoiced_at",
            financial_years=5,
            after="etter utgangen av regnskapsåret bestillingen ble fakturert",
        ),
        erasure=registry.Erasure.delete(),
        legal_hold=True,
        export_fields=(
            "course_date__course__title",
            "course_date__starts_at",
            *INVOICE_FIELDS,
            "seats",
            "unit_price",
            "price_includes_vat",
            "vat_rate",
            "invoiced_at",
        ),
        source=SIGNUP_SOURCE,
        recipients="Regnskapssystemet vårt og vår databehandler",
        data_subjects="Kunder som melder seg eller andre på kurs",
    ),
)
