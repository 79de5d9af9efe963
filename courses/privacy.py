"""What the course sign-up keeps (personvernerklæringen punkt 2: "Ved kurs- og
seminarpåmelding"), and what the site does with it.

Said, one declaration per purpose, as the privacy page and Mine data show them:
- the participants (anonymised a set time after the course date);
- the person who signed up, on every booking (anonymised; the row stays for
  bookkeeping);
- a booking never invoiced, with its invoicing details (deleted), so that the
  invoice address of someone who only stood on the waitlist is not kept for years;
- the address the invoice goes to, as its holder's own data (only it is blanked);
- the invoiced bookings' invoicing data, kept for bookkeeping (bokføringsloven
  § 13) and held against erasure until then (GDPR art. 17(3)(b)).

Done: the participants by the generic anonymising; the four booking declarations
by one handler at the bottom of this file, `booking_subject_erase` and
`booking_retention`, read top to bottom.
"""

from datetime import datetime

from core.norwegian import count, moment
from courses.models import (
    CONTACT_PROCESSING,
    INVOICE_FIELDS,
    INVOICE_RECIPIENT_PROCESSING,
    INVOICING_PROCESSING,
    PARTICIPANTS_PROCESSING,
    UNINVOICED_PROCESSING,
    Booking,
    Course,
    CourseContent,
    CourseDate,
    CourseDateMessage,
    Participant,
)
from courses.selectors import bookings_active_upcoming
from courses.services import bookings_delete, bookings_withdraw
from privacy import registry
from privacy.services.retention import in_batches
from privacy.services.rights import kept_until

SIGNUP_REASON = (
    "Vi har en berettiget interesse i å vite hvem som kommer og hvem vi skal "
    "kontakte, for å kunne planlegge og gjennomføre kurset på en god måte og gi "
    "beskjed om endringer."
)
SIGNUP_SOURCE = "Fra deg, via påmeldingsskjemaet"

registry.declare_no_personal_data(
    Course, reason="Kursbeskrivelser og priser: ingen personopplysninger."
)
registry.declare_no_personal_data(
    CourseContent, reason="Kursenes tekster og bilde (samme rader som kurs)."
)
registry.declare_no_personal_data(
    CourseDate, reason="Tid, sted og antall plasser: ingen personopplysninger."
)
registry.declare_no_personal_data(
    CourseDateMessage,
    reason="En e-post ansatte sendte til deltakerne på en kursdato: emne, tekst "
    "og antall mottakere, ikke hvem de var.",
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
        purpose="Ha en liste over hvem som deltar på kursene",
        legal_basis=registry.LegalBasis.LEGITIMATE_INTEREST,
        legal_basis_reason=SIGNUP_REASON,
        data_categories=(
            "deltakernes navn",
            "deltakernes e-postadresser",
            "når deltakeren møtte opp (vi registrerer det på kursdagen)",
        ),
        find=registry.Find("email"),
        retention=after_the_course("booking__course_date__starts_at"),
        # The row stays so that the booking's number of participants adds up;
        # when the participant came (the check-in) goes with the name.
        erasure=registry.Erasure.anonymise(
            first_name="", last_name="", email="", arrived_at=None
        ),
        export_fields=(
            "booking__course_date__course__title",
            "booking__course_date__starts_at",
            "booking__status",
            "first_name",
            "last_name",
            "email",
            "arrived_at",
        ),
        correctable=("first_name", "last_name", "email"),
        source=(
            "Fra deg eller den som meldte deg på, via påmeldingsskjemaet; når du "
            "møtte opp, registrerer vi på kursdagen"
        ),
        data_subjects="Kursdeltakere",
    ),
    registry.Processing(
        key=CONTACT_PROCESSING,
        model=Booking,
        purpose="Holde kontakt med den som meldte på et kurs",
        legal_basis=registry.LegalBasis.LEGITIMATE_INTEREST,
        legal_basis_reason=SIGNUP_REASON,
        data_categories=(
            "navn",
            "e-postadresse",
            "firma eller tilknytning",
            "påmeldingens status (bekreftet, venteliste, avbestilt)",
            "om og til når du har fått tilbud om en ledig plass fra ventelisten",
            "om du takket nei til e-post om lignende kurs",
        ),
        find=registry.Find("email"),
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
            "seat_offered_until",
            "cancelled_at",
        ),
        correctable=("first_name", "last_name", "email", "company"),
        source=SIGNUP_SOURCE,
        data_subjects="Kunder som melder seg eller andre på kurs",
    ),
    registry.Processing(
        key=UNINVOICED_PROCESSING,
        model=Booking,
        purpose="Ta vare på fakturaopplysningene til kurset er fakturert",
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
        find=registry.Find("email", among=Booking.objects.not_invoiced),
        retention=after_the_course("course_date__starts_at"),
        # The whole booking, participants with it (on_delete=CASCADE); seats it
        # held on an upcoming date go to the waitlist.
        erasure=registry.Erasure.delete(),
        export_fields=INVOICE_FIELDS,
        # Not the org.nr. (its check digit is the form's to check): Kurs corrects it.
        correctable=(
            "invoice_name",
            "invoice_street",
            "invoice_postcode",
            "invoice_place",
            "invoice_email",
            "your_reference",
        ),
        source=(
            "Fra deg, via påmeldingsskjemaet, eller, står du på venteliste, når du "
            "takker ja til en ledig plass"
        ),
        data_subjects="Kunder som melder seg eller andre på kurs",
    ),
    registry.Processing(
        key=INVOICE_RECIPIENT_PROCESSING,
        model=Booking,
        purpose="Sende fakturaen for et kurs til e-postadressen vi fikk oppgitt",
        legal_basis=registry.LegalBasis.LEGITIMATE_INTEREST,
        legal_basis_reason=(
            "Den som meldte på, oppga adressen din som mottaker av fakturaen, og vi "
            "trenger den for å sende fakturaen dit."
        ),
        data_categories=("e-postadresse for faktura",),
        find=registry.Find("invoice_email", among=Booking.objects.not_invoiced),
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
        correctable=("invoice_email",),
        source="Fra den som meldte på, via påmeldingsskjemaet",
        data_subjects="Mottakere av fakturaer for kurs",
    ),
    registry.Processing(
        key=INVOICING_PROCESSING,
        model=Booking,
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
        find=registry.Find("email", "invoice_email", among=Booking.objects.invoiced),
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
        recipients=(registry.ACCOUNTING,),
        data_subjects="Kunder som melder seg eller andre på kurs",
    ),
)


# ------------------------------------------------------------------------------
# What the site does with a booking (the four declarations above say it)
# ------------------------------------------------------------------------------
def booking_subject_erase(*, email: str, now: datetime) -> registry.ErasureReport:
    """Erase what the bookings hold about one person, in this order.

    1. Bookings they made that were never invoiced: deleted, participants with
       them; and invoiced bookings of theirs on an upcoming date: cancelled, kept
       for bookkeeping, with the other participants' names blanked (the mail
       telling them says so), and staff told the invoice may need a credit note.
       Both through `bookings_withdraw`: seats on an upcoming date go to the
       waitlist, and colleagues on the booking are told they no longer have a
       place. First, because it locks each course date before its bookings, as
       every seat change does. `booking_erasure_foreseen` says all this before.
    2. Bookings they made that were invoiced: their name, address and company are
       blanked; the invoicing details stay for bookkeeping (bokføringsloven § 13)
       until five years after the end of the financial year, and the person is
       told until when (GDPR art. 17(3)(b)).
    3. Their address as the invoice recipient of someone else's booking not yet
       invoiced: blanked; the booking is its maker's, and a shared address
       (faktura@firma.no) must not erase a company's bookings.
    4. Invoiced bookings of theirs whose bookkeeping period has ended (the nightly
       job has not yet deleted them): deleted.

    Everything is found before anything changes: blanking removes the very
    fields the records are found by.
    """
    declared = registry.registry.processing
    invoicing = declared(INVOICING_PROCESSING)
    contact_blank = blanked_fields(CONTACT_PROCESSING)
    recipient_blank = blanked_fields(INVOICE_RECIPIENT_PROCESSING)
    uninvoiced = pks(declared(UNINVOICED_PROCESSING).records_for(email))
    contact = pks(declared(CONTACT_PROCESSING).records_for(email))
    recipient = pks(declared(INVOICE_RECIPIENT_PROCESSING).records_for(email))
    invoiced = invoicing.records_for(email).values_list("pk", "invoiced_at")
    until = {pk: invoicing.retention.expires_at(at) for pk, at in invoiced}
    held_until = [end for end in until.values() if end > now]
    past_the_hold = [pk for pk, end in until.items() if end <= now]
    report = registry.ErasureReport()

    withdrawn = bookings_withdraw(
        delete=Booking.objects.filter(pk__in=uninvoiced),
        cancel=Booking.objects.filter(pk__in=contact).invoiced(),
        now=now,
    )
    deleted = withdrawn.deleted
    # Their colleagues were told their names went with the booking; the person's
    # own participant rows are erased with the participants' declaration.
    Participant.objects.filter(booking__in=withdrawn.cancelled).exclude(
        email=email
    ).update(**blanked_fields(PARTICIPANTS_PROCESSING))
    report.follow_up.extend(
        f"Påmelding {booking.pk} var fakturert og er avbestilt: fakturaen kan "
        "trenge en kreditnota."
        for booking in withdrawn.cancelled
    )
    blanked = blank(Booking.objects.filter(pk__in=contact), **contact_blank)
    recipients_blanked = blank(
        Booking.objects.filter(pk__in=recipient), **recipient_blank
    )
    invoices_deleted = bookings_deleted_plainly(
        Booking.objects.filter(pk__in=past_the_hold), now=now
    )
    if held_until:
        report.kept[invoicing.purpose] = kept_until(invoicing, held_until)
    for key, number in [
        (UNINVOICED_PROCESSING, deleted),
        (CONTACT_PROCESSING, blanked),
        (INVOICE_RECIPIENT_PROCESSING, recipients_blanked),
        (INVOICING_PROCESSING, invoices_deleted),
    ]:
        if number:
            report.erased[key] = number
    return report


def booking_erasure_foreseen(*, email: str, now: datetime) -> list:
    """What `booking_subject_erase` will do to upcoming bookings, said before:
    to the ones the person made (deleted, or cancelled when invoiced) and to
    someone else's on which they are a participant (the seat stays)."""
    declared = registry.registry.processing
    made = declared(CONTACT_PROCESSING).records_for(email)
    consequences = []
    for booking in bookings_active_upcoming(made, now=now).prefetch_related(
        "participants"
    ):
        others = [p for p in booking.participants.all() if p.email != booking.email]
        released = (
            f"{'Plassen går' if booking.seats == 1 else 'Plassene går'} til ventelisten"
            if booking.status == Booking.Status.CONFIRMED
            else "Den står på venteliste og har ingen plass ennå"
        )
        if others:
            released += (
                f", og {count(len(others), 'annen deltaker', 'andre deltakere')} "
                "får e-post om at de ikke lenger har plass"
            )
        if booking.invoiced_at is None:
            consequences.append(
                registry.Consequence(
                    f"{booking_phrase(booking)} blir slettet. {released}."
                )
            )
        else:
            consequences.append(
                registry.Consequence(
                    f"{booking_phrase(booking)} er fakturert: den blir avbestilt. "
                    f"{released}. Fakturagrunnlaget tar vi vare på (bokføringsloven "
                    "§ 13).",
                    for_staff=f"Påmelding {booking.pk} er fakturert: fakturaen kan "
                    "trenge en kreditnota.",
                )
            )
    attends = declared(PARTICIPANTS_PROCESSING).records_for(email)
    theirs = Booking.objects.filter(participants__in=attends).exclude(email=email)
    for booking in bookings_active_upcoming(theirs.distinct(), now=now):
        consequences.append(
            registry.Consequence(
                f"Som deltaker på {booking_phrase(booking).lower()}, som en annen "
                "meldte på, blir navnet og e-postadressen slettet, men plassen står "
                "til den som meldte på, avbestiller den."
            )
        )
    return consequences


def booking_phrase(booking: Booking) -> str:
    """ "Påmeldingen til Grunnkurs 05.01.2027 kl. 12.00 (2 plasser)"."""
    course_date = booking.course_date
    return (
        f"Påmeldingen til {course_date.course.title} {moment(course_date.starts_at)} "
        f"({count(booking.seats, 'plass', 'plasser')})"
    )


def booking_retention(
    *, now: datetime, dry_run: bool, batch_size: int
) -> dict[str, int]:
    """Bookings past their cut-off, in this order (each count for its declaration).

    1. The person who signed up, a set time after the course date: blanked; the
       row stays for bookkeeping.
    2. Bookings never invoiced, at the same time: deleted, participants with them
       (`bookings_delete` at `now`: a date already held frees no seat).
    3. The invoice address of those: nothing is left of them after 2, but a
       booking whose date moved is blanked here all the same.
    4. Invoiced bookings, five whole financial years after the invoice's year:
       deleted (bokføringsloven § 13).
    """
    declared = registry.registry.processing
    steps = [
        (CONTACT_PROCESSING, blanked_fields(CONTACT_PROCESSING), None),
        (UNINVOICED_PROCESSING, None, bookings_delete),
        (
            INVOICE_RECIPIENT_PROCESSING,
            blanked_fields(INVOICE_RECIPIENT_PROCESSING),
            None,
        ),
        (INVOICING_PROCESSING, None, bookings_deleted_plainly),
    ]
    counts = {}
    for key, blank_fields, delete in steps:
        expired = declared(key).expired_records(now)
        if blank_fields:
            expired = expired.exclude(**blank_fields)
        if dry_run:
            counts[key] = expired.count()
        elif blank_fields:
            counts[key] = in_batches(
                expired,
                lambda window, fields=blank_fields: window.update(**fields),
                batch_size=batch_size,
            )
        else:
            counts[key] = in_batches(
                expired,
                lambda window, delete=delete: delete(window, now=now),
                batch_size=batch_size,
            )
    return counts


def bookings_deleted_plainly(bookings, *, now: datetime) -> int:
    """Invoiced bookings five years on: long past, so no seat or mail is involved."""
    _, deleted = bookings.delete()
    return deleted.get(Booking._meta.label, 0)


def blanked_fields(key: str) -> dict:
    """The fields the declaration says are blanked, and their blank values: what
    the record of processing states is what is done."""
    return dict(registry.registry.processing(key).erasure.replacements)


def pks(records) -> list[int]:
    return list(records.values_list("pk", flat=True))


def blank(bookings, **fields) -> int:
    return bookings.exclude(**fields).update(**fields)


registry.handle(
    registry.Handler(
        keys=(
            CONTACT_PROCESSING,
            UNINVOICED_PROCESSING,
            INVOICE_RECIPIENT_PROCESSING,
            INVOICING_PROCESSING,
        ),
        erase=booking_subject_erase,
        expire=booking_retention,
        foresee=booking_erasure_foreseen,
    )
)
