"""System checks of the project's own settings (`manage.py check`)."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ValidationError

from core.checks import empty_settings
from core.validators import clean_orgnr

# Who the business is, which the site must say (GDPR art. 13(1)(a); ehandelsloven
# § 8: name, geographic address, e-mail and organisation number), with the id of
# the error a deployment without it gets.
BUSINESS_IDENTITY_SETTINGS = {
    "BUSINESS_LEGAL_NAME": "glasoterapi.E001",
    "BUSINESS_ORGNR": "glasoterapi.E002",
    "BUSINESS_ADDRESS": "glasoterapi.E003",
    "BUSINESS_PHONE": "glasoterapi.E004",
    "BUSINESS_EMAIL": "glasoterapi.E005",
}


@register(deploy=True)
def business_identity_is_set(app_configs, **kwargs):
    """An error, not a warning: without these the site breaks the law on every
    page, and with DEBUG=False they have no default."""
    return empty_settings(
        BUSINESS_IDENTITY_SETTINGS,
        why="the footer, the privacy statement and every mail must say who the "
        "business is.",
        hint="Set {name} in the environment (see the README's settings).",
    )


@register
def business_orgnr_is_valid(app_configs, **kwargs):
    """A mistyped number would name another business, or none, on every page."""
    if not settings.BUSINESS_ORGNR.strip():
        return []
    try:
        clean_orgnr(settings.BUSINESS_ORGNR)
    except ValidationError:
        return [
            Error(
                f"BUSINESS_ORGNR {settings.BUSINESS_ORGNR!r} is not a valid "
                "Norwegian organisation number.",
                hint="Nine digits whose check digit holds, as in Enhetsregisteret "
                "(https://virksomhet.brreg.no/).",
                id="glasoterapi.E006",
            )
        ]
    return []
