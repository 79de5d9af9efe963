"""Every mail to a visitor signs off the same way: where to ask, who the business
is and how we handle their data."""

import pytest

from contact.services import inquiry_create
from newsletter.services import subscription_request
from outbox.models import OutgoingEmail
from privacy.services.rights import verification_request

pytestmark = pytest.mark.django_db


def test_visitor_mails_share_one_signature(
    business_identity, course_date, booking_factory
):
    inquiry_create(
        first_name="Kari",
        last_name="Nordmann",
        email="kari@example.no",
        phone="+4791234567",
        company="",
        message="Hei",
    )
    subscription_request(name="Ola", email="ola@example.no", source="newsletter_page")
    verification_request(email="per@example.no")
    booking_factory(course_date, email="anne@example.no")

    mails = OutgoingEmail.objects.exclude(kind="contact_notification")
    assert {mail.kind for mail in mails} >= {
        "contact_receipt",
        "newsletter.confirm",
        "privacy.rights.unknown",
        "courses_booking_confirmed",
    }
    for mail in mails:
        assert "skriv til post@glasoterapi.no" in mail.body_text, mail.kind
        assert "Vennlig hilsen\nGlasoterapi\n" in mail.body_text, mail.kind
        assert (
            "Glasoterapi AS, org.nr. 310 123 455, Storgata 1, 0155 Oslo\n"
            "Telefon +47 22 33 44 55 · E-post post@glasoterapi.no\n"
        ) in mail.body_text, mail.kind
        assert "/personvern/" in mail.body_text, mail.kind
