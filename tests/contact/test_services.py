import pytest

from contact.models import Inquiry
from contact.services import inquiry_assign, inquiry_set_status

pytestmark = pytest.mark.django_db

Status = Inquiry.Status


def test_setting_the_same_status_again_writes_no_history(inquiry_factory, sales_user):
    inquiry = inquiry_factory(status=Status.ANSWERED)

    inquiry_set_status(inquiry=inquiry, status=Status.ANSWERED, by=sales_user)

    assert inquiry.notes.count() == 0


def test_assigning_an_inquiry_already_being_worked_on_keeps_its_status(
    inquiry_factory, sales_user
):
    inquiry = inquiry_factory(status=Status.ANSWERED)

    inquiry = inquiry_assign(inquiry=inquiry, to=sales_user, by=sales_user)

    assert inquiry.status == Status.ANSWERED
    assert inquiry.assigned_to == sales_user


def test_unassigning_is_recorded(inquiry_factory, sales_user):
    inquiry = inquiry_factory(assigned_to=sales_user, status=Status.IN_PROGRESS)

    inquiry = inquiry_assign(inquiry=inquiry, to=None, by=sales_user)

    assert inquiry.assigned_to is None
    assert list(inquiry.notes.values_list("text", flat=True)) == ["Tildelt ingen."]
