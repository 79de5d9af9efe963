import pytest

from contact.demo import seed_demo
from contact.models import Inquiry, InquiryNote

pytestmark = pytest.mark.django_db


def test_demo_inquiries_cover_every_status_and_loading_twice_changes_nothing():
    seed_demo()
    counts = (Inquiry.objects.count(), InquiryNote.objects.count())

    assert seed_demo() == "0 nye henvendelser (4 i alt)"
    assert (Inquiry.objects.count(), InquiryNote.objects.count()) == counts
    assert set(Inquiry.objects.values_list("status", flat=True)) == set(
        Inquiry.Status.values
    )
    assert Inquiry.objects.get(status=Inquiry.Status.CLOSED).closed_at is not None
