from django.db import transaction

from privacy.consent import Consent, decide_action, new_consent
from privacy.models import ConsentRecord
from privacy.registry import registry


def consent_decide(
    *, previous: Consent, granted: set[str], withdraw: bool = False, source: str
) -> Consent:
    """Record a visitor's cookie choice in the ledger and return the new consent.

    Only categories a visitor can actually choose (declared, non-necessary) are kept.
    """
    choosable = {category.value for category in registry.optional_categories()}
    granted = frozenset(granted & choosable) if not withdraw else frozenset()
    action = decide_action(previous=previous, granted=granted, withdraw=withdraw)
    consent = new_consent(previous=previous, granted=granted)
    with transaction.atomic():
        ConsentRecord.objects.create(
            consent_id=consent.consent_id,
            purpose=ConsentRecord.Purpose.COOKIES,
            action=action,
            categories=sorted(granted),
            revision=registry.consent_revision(),
            source=source,
        )
    return consent
