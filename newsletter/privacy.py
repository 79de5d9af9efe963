"""The newsletter's processings. Their keys keep their first names (privacy.…):
data-subject requests and the record of processing refer to them."""

from newsletter.models import NewsletterIssue, NewsletterSuppression, Subscriber
from newsletter.services import (
    CUSTOMER_PROCESSING,
    marketing_objection_handle,
    subscriber_restrict,
    unsubscription_replay,
)
from privacy import registry
from privacy.services.journal import UNSUBSCRIPTION, replayer_register

registry.restriction_changed.connect(subscriber_restrict)
registry.marketing_objected.connect(marketing_objection_handle)
replayer_register(UNSUBSCRIPTION, unsubscription_replay)

SUBSCRIBER_EXPORT = (
    "name",
    "email",
    "status",
    "basis",
    "source",
    "created_at",
    "confirmed_at",
    "last_course_at",
)

# The name only: a new address gets the newsletter after its own confirmation
# (double opt-in), not because someone asked for a correction.
CORRECTABLE = ("name",)

registry.register(
    registry.Processing(
        key="privacy.newsletter_consent",
        model=Subscriber,
        purpose="Sende deg nyhetsbrevet du har bedt om",
        legal_basis=registry.LegalBasis.CONSENT,
        legal_basis_reason=(
            "Du har krysset av og bekreftet påmeldingen fra e-posten vi sendte deg "
            "(markedsføringsloven § 15)."
        ),
        data_categories=("navn", "e-postadresse", "når og hvor du meldte deg på"),
        find=registry.Find("email", among=Subscriber.objects.consented),
        retention=registry.Retention(
            counted_from="confirmed_at",
            until_withdrawn=True,
            after="til du melder deg av; da slettes navn og e-postadresse med en gang",
        ),
        erasure=registry.Erasure.delete(),
        export_fields=SUBSCRIBER_EXPORT,
        correctable=CORRECTABLE,
        recipients=(registry.EMAIL_PROVIDER,),
    ),
    registry.Processing(
        key=CUSTOMER_PROCESSING,
        model=Subscriber,
        purpose="Sende nyhetsbrev om lignende kurs til deg som har kjøpt kurs hos oss",
        legal_basis=registry.LegalBasis.LEGITIMATE_INTEREST,
        legal_basis_reason=(
            "Når du har vært på et kurs hos oss, eller det er fakturert, kan du få "
            "nyhetsbrev om lignende kurs uten eget samtykke. Det er fordi du fikk et "
            "enkelt valg om å si nei takk da du meldte deg på, og kan melde deg av i "
            "hver e-post (markedsføringsloven § 15 andre ledd). Står du på "
            "venteliste eller avbestiller, får du det ikke."
        ),
        data_categories=("navn", "e-postadresse", "når det siste kurset ditt var"),
        find=registry.Find("email", among=Subscriber.objects.customers),
        retention=registry.Retention(
            counted_from="last_course_at",
            months="NEWSLETTER_CUSTOMER_MONTHS",
            after="etter det siste kurset ditt, eller til du melder deg av eller "
            "protesterer",
        ),
        erasure=registry.Erasure.delete(),
        export_fields=SUBSCRIBER_EXPORT,
        correctable=CORRECTABLE,
        recipients=(registry.EMAIL_PROVIDER,),
        source="Fra kurspåmeldingen din",
    ),
    registry.Processing(
        key="privacy.newsletter_pending",
        model=Subscriber,
        purpose="Bekrefte at du selv har meldt deg på nyhetsbrevet",
        legal_basis=registry.LegalBasis.CONSENT,
        legal_basis_reason=(
            "Du har bedt om nyhetsbrevet; vi sender én e-post for å bekrefte at "
            "adressen er din (dobbel bekreftelse)."
        ),
        data_categories=("navn", "e-postadresse"),
        find=registry.Find("email", among=Subscriber.objects.pending),
        retention=registry.Retention(
            counted_from="created_at",
            days="NEWSLETTER_PENDING_RETENTION_DAYS",
            after="hvis du ikke bekrefter påmeldingen",
        ),
        erasure=registry.Erasure.delete(),
        export_fields=SUBSCRIBER_EXPORT,
        correctable=CORRECTABLE,
        recipients=(registry.EMAIL_PROVIDER,),
    ),
)
registry.register(
    registry.Processing(
        key="privacy.newsletter_suppression",
        model=NewsletterSuppression,
        purpose="Hindre at du får nyhetsbrev igjen etter at du har meldt deg av",
        legal_basis=registry.LegalBasis.LEGITIMATE_INTEREST,
        legal_basis_reason=(
            "Uten en sperreliste kunne adressen din bli lagt inn igjen, for eksempel "
            "ved en ny kurspåmelding. Vi lagrer bare en kryptografisk nøkkel av "
            "adressen, ikke adressen selv."
        ),
        data_categories=("nøkkel avledet av e-postadressen",),
        find=registry.Find("email_key", hashed=True),
        retention=registry.Retention(
            counted_from="created_at",
            until_withdrawn=True,
            after="til du melder deg på igjen",
        ),
        erasure=registry.Erasure.delete(),
        # Erasing it would let the address be added again: an objection to
        # marketing must keep working (GDPR art. 21(3)).
        legal_hold=True,
        export_fields=("created_at",),
        source="Avmeldingen din",
    )
)
registry.declare_no_personal_data(
    NewsletterIssue, reason="Innholdet i et nyhetsbrev, skrevet av ansatte."
)
