from glasoterapi.models import OutgoingEmail
from privacy import registry

registry.register(
    registry.Processing(
        key="glasoterapi.outgoing_email",
        model=OutgoingEmail,
        purpose="Sende e-post du har bedt om: kvitteringer, bekreftelser og svar",
        legal_basis=registry.LegalBasis.LEGITIMATE_INTEREST,
        legal_basis_reason=(
            "Vi må kunne sende deg e-posten som hører til det du har bedt om, og "
            "kunne se om den kom fram."
        ),
        data_categories=("e-postadresse", "innholdet i e-posten"),
        subject_fields=("to",),
        retention=registry.Retention(
            counted_from="created_at",
            days="MAIL_RETENTION_DAYS",
            after="etter at e-posten ble laget",
        ),
        erasure=registry.Erasure.delete(),
        export_fields=("kind", "subject", "created_at", "sent_at", "status"),
        source="Laget av nettstedet ut fra det du har sendt inn",
        recipients="E-postleverandøren vår, som leverer e-posten",
    )
)
