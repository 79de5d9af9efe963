import pytest
from django.utils import timezone

from outbox.models import OutgoingEmail

pytestmark = pytest.mark.django_db


def test_the_outbox_names_each_kind_of_mail_in_norwegian(admin_client):
    """Finding: mail kinds were raw codes in the outbox ("contact_receipt")."""
    OutgoingEmail.objects.create(
        kind="contact_receipt",
        to="kari@example.no",
        subject="Takk",
        body_text="Hei",
        next_attempt_at=timezone.now(),
    )

    page = admin_client.get("/admin/outbox/outgoingemail/").content.decode()

    assert "Kvittering for henvendelse" in page
    assert ">contact_receipt<" not in page
