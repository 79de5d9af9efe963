from outbox.models import OutgoingEmail
from privacy import registry

# The key keeps its first name: requests and the record of processing refer to it.
registry.register(
    registry.Processing(
        key="glasoterapi.outgoing_email",
        model=OutgoingEmail,
        purpose="Sende deg kvitteringer, bekreftelser og svar på e-post",
        legal_basis=registry.LegalBasis.LEGITIMATE_INTEREST,
        legal_basis_reason=(
            "Vi må kunne sende deg e-posten som hører til det du har bedt om, og "
            "kunne se om den kom fram."
        ),
        data_categories=("e-postadresse", "innholdet i e-posten"),
        find=registry.Find("to"),
        retention=registry.Retention(
            counted_from="created_at",
            days="MAIL_RETENTION_DAYS",
            after="etter at e-posten ble laget",
        ),
        erasure=registry.Erasure.delete(),
        # Not `kind`: an internal code; the subject says what the mail was.
        export_fields=("subject", "created_at", "sent_at", "status"),
        source="Laget av nettstedet ut fra det du har sendt inn",
        recipients=(registry.EMAIL_PROVIDER,),
    )
)
