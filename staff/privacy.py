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
        about_staff=True,
        find=registry.Find("username"),
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


def second_factor_processing(
    *, key, model, also_covers, purpose, data_categories, until, export_fields
) -> registry.Processing:
    """A kind of staff second factor: what differs is what is stored and how long."""
    return registry.Processing(
        key=key,
        model=model,
        also_covers=also_covers,
        purpose=purpose,
        # Security of the processing is a legitimate interest (GDPR recital 49),
        # which art. 32 requires us to pursue; it is no legal obligation of its own.
        legal_basis=registry.LegalBasis.LEGITIMATE_INTEREST,
        legal_basis_reason=(
            "Vi må verne kundenes opplysninger: et stjålet passord skal ikke være "
            "nok til å lese dem."
        ),
        data_categories=data_categories,
        data_subjects="Ansatte",
        about_staff=True,
        find=registry.Find("user__email"),
        retention=registry.Retention(
            counted_from="created_at", until_withdrawn=True, after=until
        ),
        erasure=registry.Erasure.delete(),
        # Never through Mine data: whoever reads a staff member's mailbox could
        # otherwise delete their second factor and enrol their own; securing the
        # accounts is a compelling legitimate ground (GDPR art. 17(1)(c) with
        # 21(1)). They go when the person leaves or removes them.
        legal_hold=True,
        export_fields=export_fields,
        source="Den ansatte selv",
    )


registry.register(
    second_factor_processing(
        key="glasoterapi.two_factor_devices",
        model=TOTPDevice,
        also_covers=(StaticDevice, StaticToken),
        purpose="Innlogging i to trinn for ansatte",
        data_categories=("hemmelig nøkkel for autentiseringsappen", "reservekoder"),
        until="til den ansatte slutter eller bytter telefon",
        export_fields=("name", "confirmed", "created_at"),
    ),
    second_factor_processing(
        key="glasoterapi.staff_passkeys",
        model=WebAuthnCredential,
        # The attestation goes with its passkey (cascade); the user handle is a
        # random id that goes with the staff account.
        also_covers=(WebAuthnAttestation, WebAuthnUserHandle),
        purpose="Passnøkler for ansattes innlogging i to trinn",
        data_categories=("passnøkkelens offentlige nøkkel og navn", "sist brukt"),
        until="til den ansatte slutter eller fjerner passnøkkelen",
        export_fields=("name", "created_at", "last_used_at"),
    ),
)
