from datetime import timedelta

import pytest
from django.utils import timezone

from contact.models import Inquiry, InquiryNote
from privacy.registry import ErasureAction, LegalBasis, registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def processing():
    return registry.processing("contact.inquiry")


def test_inquiries_and_their_notes_are_declared_as_personal_data(processing):
    assert {Inquiry, InquiryNote} <= registry.covered_models()
    assert processing.all_models == (Inquiry, InquiryNote)
    assert processing.purpose == "Besvare henvendelser og følge opp kundeforhold"
    assert processing.legal_basis == LegalBasis.LEGITIMATE_INTEREST
    assert processing.erasure.action == ErasureAction.DELETE


def test_a_data_subjects_inquiries_are_found_by_email_however_it_is_typed(
    processing, inquiry_factory
):
    mine = inquiry_factory(email="kari@example.no")
    inquiry_factory(email="ola@example.no")

    assert list(processing.records_for("  Kari@EXAMPLE.no")) == [mine]


@pytest.mark.parametrize(
    ("closed_days_ago", "expired"),
    [(None, False), (364, False), (365 - 0.01, False), (365.01, True), (900, True)],
)
def test_inquiries_expire_a_year_after_they_are_closed(
    processing, inquiry_factory, closed_days_ago, expired
):
    now = timezone.now()
    inquiry = inquiry_factory(
        created_at=now - timedelta(days=1000),
        closed_at=None
        if closed_days_ago is None
        else now - timedelta(days=closed_days_ago),
    )

    assert (inquiry in processing.expired_records(now)) is expired


def test_the_retention_period_follows_the_setting(
    processing, inquiry_factory, settings, client
):
    settings.CONTACT_RETENTION_DAYS = 730
    now = timezone.now()
    inquiry = inquiry_factory(closed_at=now - timedelta(days=400))

    assert inquiry not in processing.expired_records(now)
    assert processing.retention.text == "2 år etter at henvendelsen er lukket"
    assert "sletter dem 2 år etter at henvendelsen er lukket" in (
        client.get("/kontakt/").content.decode()
    )


def test_erasing_an_inquiry_removes_its_follow_up_notes(processing, inquiry_factory):
    inquiry = inquiry_factory(email="kari@example.no")
    InquiryNote.objects.create(inquiry=inquiry, text="Ringte Kari.")

    processing.records_for("kari@example.no").delete()

    assert Inquiry.objects.count() == 0
    assert InquiryNote.objects.count() == 0


def test_the_declared_export_fields_can_be_read_from_an_inquiry(
    processing, inquiry_factory
):
    inquiry = inquiry_factory()

    values = {field: getattr(inquiry, field) for field in processing.export_fields}

    assert values["email"] == "kari@example.no"
    assert values["message"] == "Et spørsmål."
