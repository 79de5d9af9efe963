"""Who the business is, for every place that must say so: the site's footer, the
privacy statement, every mail, Mine data's download and the record of processing.

GDPR art. 13(1)(a) and 30(1)(a) ask for the controller's name and contact details;
ehandelsloven § 8 for name, geographic address, e-mail and organisation number on
the site. The values are the BUSINESS_* settings, which `check --deploy` requires.
"""

import re
from dataclasses import dataclass

from django.conf import settings

from core import norwegian


@dataclass(frozen=True)
class Business:
    name: str  # what the site is called day to day: "Glasoterapi"
    legal_name: str  # as registered in Enhetsregisteret: "Glasoterapi AS"
    orgnr: str  # grouped: "123 456 785"
    address: str  # geographic, one line: "Storgata 1, 0155 Oslo"
    phone: str
    email: str

    @property
    def phone_uri(self) -> str:
        """ "tel:+4712345678", for a link a phone can call."""
        return "tel:" + "".join(self.phone.split())

    @property
    def identity(self) -> str:
        """ "Glasoterapi AS, org.nr. 123 456 785, Storgata 1, 0155 Oslo": who is
        responsible, in one line; what is not set is left out."""
        orgnr = f"org.nr. {self.orgnr}" if self.orgnr else ""
        parts = (self.legal_name, orgnr, self.address)
        return ", ".join(part for part in parts if part)


# "Storgata 1, 0155 Oslo": what comes before the last comma, four digits, a place.
NORWEGIAN_ADDRESS = re.compile(
    r"^(?P<street>.+),\s*(?P<postcode>\d{4})\s+(?P<place>.+)$"
)


@dataclass(frozen=True)
class AddressParts:
    street: str
    postcode: str
    place: str


def address_parts(address: str) -> AddressParts | None:
    """ "Storgata 1, 0155 Oslo" as street, postcode and place, for machines that
    want them apart (schema.org's PostalAddress); None for any other shape."""
    match = NORWEGIAN_ADDRESS.match(address.strip())
    if match is None:
        return None
    return AddressParts(
        street=match["street"].strip(),
        postcode=match["postcode"],
        place=match["place"].strip(),
    )


def business() -> Business:
    """The business as the settings describe it now."""
    return Business(
        name=settings.BUSINESS_NAME,
        legal_name=settings.BUSINESS_LEGAL_NAME,
        orgnr=norwegian.orgnr(settings.BUSINESS_ORGNR),
        address=settings.BUSINESS_ADDRESS,
        phone=settings.BUSINESS_PHONE,
        email=settings.BUSINESS_EMAIL,
    )
