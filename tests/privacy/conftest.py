import time
import uuid

import pytest
from django.core import signing
from django.utils import timezone

from privacy.consent import COOKIE_NAME, SIGNING_SALT, Consent, cookie_value
from privacy.registry import registry


def consent_cookie(*granted: str) -> str:
    return cookie_value(
        Consent(
            granted=frozenset(granted),
            consent_id=uuid.uuid4(),
            given_at=timezone.now(),
            has_choice=True,
        )
    )


def consent_cookie_signed_days_ago(days: float, *granted: str) -> str:
    class SignerInThePast(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time() - days * 86400))

    payload = {
        "c": list(granted),
        "id": str(uuid.uuid4()),
        "t": timezone.now().isoformat(),
        "r": registry.consent_revision(),
    }
    return SignerInThePast(salt=SIGNING_SALT).sign_object(payload)


@pytest.fixture
def consented_client(client):
    client.cookies[COOKIE_NAME] = consent_cookie("statistics")
    return client


@pytest.fixture
def refused_client(client):
    client.cookies[COOKIE_NAME] = consent_cookie()
    return client
