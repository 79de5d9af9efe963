from contact.models import Inquiry, InquiryNote
from privacy import registry

# Personvernerklæringen punkt 2 and 3: inquiries and the contact form, art. 6(1)(f).
registry.register(
    registry.Processing(
        key="contact.inquiry",
        model=Inquiry,
        also_covers=(InquiryNote,),
        purpose="Besvare henvendelser og følge opp kundeforhold",
        legal_basis=registry.LegalBasis.LEGITIMATE_INTEREST,
        legal_basis_reason=(
            "Vi må ha disse opplysningene for å kunne svare på henvendelsen din og "
            "følge opp kundeforholdet som kan komme ut av den."
        ),
        data_categories=(
            "navn",
            "e-postadresse",
            "telefonnummer",
            "firma eller tilknytning",
            "meldingen din",
            "organisasjonsnummer (offentlig tilgjengelig, supplert av oss)",
            "våre notater fra oppfølgingen",
        ),
        find=registry.Find("email"),
        # Open cases (never closed) have no closed_at and are kept until closed.
        retention=registry.Retention(
            counted_from="closed_at",
            days="CONTACT_RETENTION_DAYS",
            after="etter at henvendelsen er lukket",
        ),
        # The follow-up notes go with it (on_delete=CASCADE).
        erasure=registry.Erasure.delete(),
        export_fields=(
            "created_at",
            "first_name",
            "last_name",
            "email",
            "phone",
            "company",
            "orgnr",
            "message",
            "status",
            "closed_at",
        ),
        # The phone number is stored in international form and the org.nr. is
        # checked against Enhetsregisteret: Salg corrects those.
        correctable=("first_name", "last_name", "email", "company"),
        source=(
            "Fra deg, via kontaktskjemaet; organisasjonsnummer fra "
            "Enhetsregisteret (Brønnøysundregistrene)"
        ),
    )
)
