"""Validators shared by the site's forms, with Norwegian messages."""

from django.core.exceptions import ValidationError
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.no import orgnr

INVALID_EMAIL_MESSAGE = "Skriv en gyldig e-postadresse, for eksempel navn@firma.no."


def normalise_email(address: str) -> str:
    """The one form in which e-mail addresses are stored and looked up.

    Lower-cased as a whole: mailbox names are case-sensitive in theory (RFC 5321) but
    not at any provider our visitors use, and one form makes lookups exact.
    """
    return address.strip().lower()


def clean_orgnr(value: str) -> str:
    """A Norwegian organisation number: nine digits whose MOD11 check digit holds.

    The check uses the weights 3 2 7 6 5 4 3 2 (Brønnøysundregistrene); python-stdnum
    implements it. Spaces are allowed in input and removed from the result.
    """
    try:
        return orgnr.validate(value)
    except StdnumValidationError as error:
        raise ValidationError(
            "Organisasjonsnummeret må ha ni sifre og være gyldig (sjekk at du ikke "
            "har byttet om to sifre).",
            code="invalid_orgnr",
        ) from error


def brreg_url(number: str) -> str:
    """The public register entry (Enhetsregisteret) for an organisation number."""
    return f"https://virksomhet.brreg.no/nb/oppslag/enheter/{number}"
