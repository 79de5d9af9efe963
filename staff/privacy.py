from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import (
    WebAuthnAttestation,
    WebAuthnCredential,
    WebAuthnUserHandle,
)

from privacy import registry

registry.register(
    registry.Processing(
        key="glasoterapi.login_attempts",
        model=AccessAttempt,
        purpose="Beskytte innloggingen for ansatte mot gjetting av passord",
        legal_basis=registry.LegalBasis.LEGITIMATE_INTEREST,
        legal_basis_reason=(
            "Mislykkede innlogginger sperrer kontoen og maskinen en stund, slik at "
            "ingen kan prøve seg fram til et passord."
        ),
        data_categories=("brukernavn", "IP-adresse", "nettleser", "tidspunkt"),
        data_subjects="Ansatte og andre som prøver å logge inn som ansatt",
        subject_fields=("username",),
        retention=registry.Retention(
            counted_from="attempt_time", days=7, after="etter forsøket"
        ),
        erasure=registry.Erasure.delete(),
        export_fields=("username", "attempt_time", "failures_since_start"),
        source="Innloggingssiden for ansatte",
    )
)
# Both switched off in settings (AXES_DISABLE_ACCESS_LOG, no failure log): empty.
registry.declare_no_personal_data(
    AccessLog, reason="Slått av (AXES_DISABLE_ACCESS_LOG)."
)
registry.declare_no_personal_data(
    AccessFailureLog, reason="Slått av (AXES_ENABLE_ACCESS_FAILURE_LOG er av)."
)

registry.register(
    registry.Processing(
        key="glasoterapi.two_factor_devices",
        model=TOTPDevice,
        also_covers=(StaticDevice, StaticToken),
        purpose="Innlogging i to trinn for ansatte",
        legal_basis=registry.LegalBasis.LEGAL_OBLIGATION,
        legal_basis_reason=(
            "Et stjålet passord skal ikke være nok til å lese kundenes opplysninger "
            "(personvernforordningen artikkel 32)."
        ),
        data_categories=("hemmelig nøkkel for autentiseringsappen", "reservekoder"),
        data_subjects="Ansatte",
        subject_fields=("user__email",),
        retention=registry.Retention(
            counted_from="created_at",
            until_withdrawn=True,
            after="til den ansatte slutter eller bytter telefon",
        ),
        erasure=registry.Erasure.delete(),
        export_fields=("name", "confirmed", "created_at"),
        source="Den ansatte selv",
        recipients="Ingen",
    )
)

registry.register(
    registry.Processing(
        key="glasoterapi.staff_passkeys",
        model=WebAuthnCredential,
        # The attestation goes with its passkey (cascade); the user handle is a
        # random id that goes with the staff account.
        also_covers=(WebAuthnAttestation, WebAuthnUserHandle),
        purpose="Passnøkler for ansattes innlogging i to trinn",
        legal_basis=registry.LegalBasis.LEGAL_OBLIGATION,
        legal_basis_reason=(
            "Et stjålet passord skal ikke være nok til å lese kundenes opplysninger "
            "(personvernforordningen artikkel 32)."
        ),
        data_categories=("passnøkkelens offentlige nøkkel og navn", "sist brukt"),
        data_subjects="Ansatte",
        subject_fields=("user__email",),
        retention=registry.Retention(
            counted_from="created_at",
            until_withdrawn=True,
            after="til den ansatte slutter eller fjerner passnøkkelen",
        ),
        erasure=registry.Erasure.delete(),
        export_fields=("name", "created_at", "last_used_at"),
        source="Den ansatte selv",
        recipients="Ingen",
    )
)
