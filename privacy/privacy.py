"""The cookies this site can set, and the privacy app's own processings: the consent
ledger and data-subject requests."""

from privacy import registry  # the module: declarations and register()
from privacy.consent import COOKIE_NAME
from privacy.models import (
    AccessAudit,
    ConsentRecord,
    DataSubjectRequest,
    EmailVerification,
    JobRun,
    JournalEntryApplied,
    Restriction,
)

NECESSARY = registry.CookieCategory.NECESSARY
STATISTICS = registry.CookieCategory.STATISTICS
GOOGLE = "Google Ireland Ltd. (Google Analytics)"

# Universal Analytics set these; GA4 with gtag.js does not, so they are not listed,
# but a browser may still hold them from before and loses them on refusal.
registry.retire_cookies(STATISTICS, "_gid", "_gat")

registry.register(
    registry.Cookie(
        name=COOKIE_NAME,
        provider="glasoterapi.no",
        purpose="Husker valget ditt om informasjonskapsler, så vi ikke spør på "
        "hver side.",
        category=NECESSARY,
        lifetime_days="PRIVACY_CONSENT_MAX_AGE_DAYS",
    ),
    registry.Cookie(
        name="csrftoken",
        provider="glasoterapi.no",
        purpose="Beskytter skjemaene mot forfalskede innsendinger fra andre "
        "nettsteder.",
        category=NECESSARY,
        lifetime="1 år",
    ),
    registry.Cookie(
        name="sessionid",
        provider="glasoterapi.no",
        purpose="Holder deg innlogget når du bruker selvbetjeningen for dine "
        "personopplysninger, og ansatte i administrasjonen.",
        category=NECESSARY,
        lifetime="Til du logger ut, høyst 2 uker",
    ),
    registry.Cookie(
        name="messages",
        provider="glasoterapi.no",
        purpose="Viser en kort beskjed på neste side, for eksempel at valget ditt "
        "er lagret.",
        category=NECESSARY,
        lifetime="Til beskjeden er vist",
    ),
    # What GA4 with gtag.js sets, as Google documents it ("Google Analytics cookie
    # usage on websites"): https://support.google.com/analytics/answer/11397207
    registry.Cookie(
        name="_ga",
        provider=GOOGLE,
        purpose="Skiller besøkende fra hverandre med et tilfeldig nummer, slik at "
        "vi kan telle besøkende.",
        category=STATISTICS,
        lifetime="2 år",
    ),
    registry.Cookie(
        name="_ga_",
        is_prefix=True,
        provider=GOOGLE,
        purpose="Holder rede på økten din (besøket) for statistikken.",
        category=STATISTICS,
        lifetime="2 år",
    ),
    registry.Processing(
        key="privacy.consent_record",
        model=ConsentRecord,
        purpose="Dokumentere samtykkene dine til informasjonskapsler og nyhetsbrev",
        legal_basis=registry.LegalBasis.LEGAL_OBLIGATION,
        legal_basis_reason=(
            "Vi må kunne vise at du har samtykket (personvernforordningen artikkel 7 "
            "nr. 1). Loggen knyttes til et tilfeldig nummer i nettleseren din, eller "
            "til en kryptografisk nøkkel av e-postadressen – aldri til IP-adressen."
        ),
        data_categories=(
            "tilfeldig samtykke-id",
            "valget ditt og tidspunktet",
            "nøkkel avledet av e-postadressen (nyhetsbrev)",
        ),
        find=registry.Find("subject_key", hashed=True),
        retention=registry.Retention(
            counted_from="created_at",
            days="PRIVACY_CONSENT_RECORD_RETENTION_DAYS",
            after="etter valget (den alminnelige foreldelsesfristen)",
        ),
        erasure=registry.Erasure.delete(),
        legal_hold=True,
        export_fields=("purpose", "action", "categories", "source", "created_at"),
        source="Valgene du gjør på nettstedet",
    ),
)


registry.register(
    registry.Processing(
        key="privacy.email_verification",
        model=EmailVerification,
        purpose="Bekrefte at du eier e-postadressen før du ser opplysningene dine",
        legal_basis=registry.LegalBasis.LEGAL_OBLIGATION,
        legal_basis_reason=(
            "Vi må forsikre oss om at det er du som ber om opplysningene dine "
            "(personvernforordningen artikkel 12 nr. 6)."
        ),
        data_categories=("e-postadresse", "tidspunkt"),
        find=registry.Find("email"),
        retention=registry.Retention(
            counted_from="created_at", days=1, after="etter at du ba om lenken"
        ),
        erasure=registry.Erasure.delete(),
        export_fields=("created_at", "used_at"),
    ),
    registry.Processing(
        key="privacy.data_subject_request",
        model=DataSubjectRequest,
        purpose="Behandle og dokumentere krav du har fremmet etter personvernreglene",
        legal_basis=registry.LegalBasis.LEGAL_OBLIGATION,
        legal_basis_reason=(
            "Vi må svare på kravene dine og kunne vise at vi har gjort det "
            "(personvernforordningen artikkel 5 nr. 2 og 12)."
        ),
        data_categories=(
            "hva du ba om og når",
            "beskrivelsen du skrev",
            "e-postadressen din, til vi har svart deg",
            "svaret vi sendte deg",
            "nøkkel avledet av e-postadressen",
        ),
        find=registry.Find("subject_key", hashed=True),
        retention=registry.Retention(
            counted_from="received_at",
            days="PRIVACY_CONSENT_RECORD_RETENTION_DAYS",
            after="etter at kravet kom inn (den alminnelige foreldelsesfristen)",
        ),
        erasure=registry.Erasure.delete(),
        legal_hold=True,
        export_fields=(
            "kind",
            "status",
            "received_at",
            "due_at",
            "details",
            "outcome",
            "answer",
        ),
    ),
    registry.Processing(
        key="privacy.restriction",
        model=Restriction,
        purpose="Huske at du har bedt oss begrense bruken av opplysningene dine",
        legal_basis=registry.LegalBasis.LEGAL_OBLIGATION,
        legal_basis_reason=(
            "Du har bedt oss begrense bruken av opplysningene dine, og vi må huske "
            "det for å gjøre som du ba om (personvernforordningen artikkel 18)."
        ),
        data_categories=("nøkkel avledet av e-postadressen",),
        find=registry.Find("email_key", hashed=True),
        retention=registry.Retention(
            counted_from="created_at",
            until_withdrawn=True,
            after="til du opphever begrensningen",
        ),
        erasure=registry.Erasure.delete(),
        export_fields=("created_at",),
    ),
)

registry.register(
    registry.Processing(
        key="privacy.access_audit",
        model=AccessAudit,
        purpose="Kunne se hvem av de ansatte som har tatt ut personopplysninger",
        # Traceability as part of security: a legitimate interest (GDPR recital
        # 49, art. 32), not a legal obligation of its own.
        legal_basis=registry.LegalBasis.LEGITIMATE_INTEREST,
        legal_basis_reason=(
            "Vi må kunne se hvem som har tatt ut kundenes opplysninger, for å verne "
            "dem og oppdage misbruk."
        ),
        data_categories=("ansatt", "hva som ble tatt ut", "antall rader", "tidspunkt"),
        data_subjects="Ansatte",
        about_staff=True,
        find=registry.Find("user__email"),
        retention=registry.Retention(
            counted_from="at",
            days="PRIVACY_ACCESS_AUDIT_RETENTION_DAYS",
            after="etter uttrekket",
        ),
        erasure=registry.Erasure.delete(),
        legal_hold=True,
        export_fields=("what", "rows", "at"),
        source="Administrasjonen",
    )
)
registry.declare_no_personal_data(
    JobRun, reason="Når en planlagt jobb sist ble fullført: ingen personopplysninger."
)
registry.declare_no_personal_data(
    JournalEntryApplied,
    reason="Hvilke linjer i slettejournalen databasen har: nummer og hendelse, "
    "ingen personopplysninger.",
)
