"""Whose data the site's content holds: people who teach (name, photo, bio) and
participants quoted with their name. Texts, questions and the other pictures hold
none."""

from datetime import datetime

from pages.models import Image, Page, Person, Question, Testimonial
from pages.services import person_delete
from privacy import registry

TESTIMONIALS_PROCESSING = "pages.testimonials"
TEACHERS_PROCESSING = "pages.teachers"

# GDPR art. 6(1)(a) and 7: shown only with a consent staff have recorded (the
# model's constraint), and taken down when it is withdrawn.
registry.register(
    registry.Processing(
        key=TESTIMONIALS_PROCESSING,
        model=Testimonial,
        purpose="Vise hva deltakere sier om kursene, med navn",
        legal_basis=registry.LegalBasis.CONSENT,
        legal_basis_reason=(
            "Vi viser sitatet ditt med navn på nettstedet bare når du har sagt ja "
            "til det. Du kan trekke samtykket tilbake når som helst; da fjerner vi "
            "sitatet."
        ),
        data_categories=(
            "navn",
            "rolle eller sted, hvis du har oppgitt det",
            "sitatet",
            "e-postadresse, hvis du har oppgitt den (vises ikke)",
            "hvordan du ga samtykke",
        ),
        find=registry.Find("email"),
        retention=registry.Retention(
            counted_from="created_at",
            until_withdrawn=True,
            after="til du trekker samtykket tilbake",
        ),
        erasure=registry.Erasure.delete(),
        export_fields=(
            "created_at",
            "name",
            "role",
            "quote",
            "email",
            "consent_obtained",
            "consent_note",
            "is_published",
        ),
        source="Fra deg, når du ga oss tilbakemelding på et kurs",
    ),
    registry.Processing(
        key=TEACHERS_PROCESSING,
        model=Person,
        purpose="Presentere dem som underviser, på nettstedet",
        legal_basis=registry.LegalBasis.LEGITIMATE_INTEREST,
        legal_basis_reason=(
            "Kundene vil vite hvem som holder kurset. Vi viser navn, rolle, bilde og "
            "en kort omtale som personen selv har godkjent."
        ),
        data_categories=("navn", "rolle", "bilde", "kort omtale", "e-postadresse"),
        data_subjects="Ansatte og andre som underviser",
        about_staff=True,
        find=registry.Find("email"),
        retention=registry.Retention(
            counted_from="created_at",
            until_withdrawn=True,
            after="til personen slutter å undervise hos oss eller ber oss fjerne "
            "omtalen",
        ),
        erasure=registry.Erasure.delete(),
        export_fields=("created_at", "name", "role", "bio", "email", "is_published"),
        source="Den som underviser",
    ),
)


def teacher_subject_erase(*, email: str, now: datetime) -> registry.ErasureReport:
    """Each presentation of the person, with its photo (content.services)."""
    report = registry.ErasureReport()
    people = list(registry.registry.processing(TEACHERS_PROCESSING).records_for(email))
    for person in people:
        person_delete(person=person)
    if people:
        report.erased[TEACHERS_PROCESSING] = len(people)
    return report


def teacher_retention(*, now: datetime, dry_run: bool, batch_size: int):
    # Kept until withdrawn: nothing expires by time.
    return {TEACHERS_PROCESSING: 0}


registry.handle(
    registry.Handler(
        keys=(TEACHERS_PROCESSING,),
        erase=teacher_subject_erase,
        expire=teacher_retention,
    )
)

registry.declare_no_personal_data(
    Page, reason="Nettstedets egne tekster, skrevet av ansatte."
)
registry.declare_no_personal_data(
    Question, reason="Spørsmål og svar skrevet av ansatte, uten navn."
)
registry.declare_no_personal_data(
    Image,
    reason="Bilder til nettstedet, uten filnavn og metadata. Et portrett av en som "
    "underviser slettes med personen (content.teachers).",
)
