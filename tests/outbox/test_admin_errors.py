"""Errors reach ADMINS through the outbox, without personal data."""

import logging

import pytest

from outbox.models import OutgoingEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(settings):
    settings.ADMINS = [("", "drift@glasoterapi.no")]


def test_an_error_is_queued_for_admins_redacted(admins):
    logging.getLogger("django.request").error(
        "Internal Server Error: /kontakt/ from kari@example.no, tlf 912 34 567"
    )

    mail = OutgoingEmail.objects.get(kind="outbox.admins")
    assert mail.to == "drift@glasoterapi.no"
    assert mail.status == OutgoingEmail.Status.QUEUED  # sent by the worker
    assert mail.subject.startswith("[glasoterapi.no] ERROR: Internal Server Error")
    for text in (mail.subject, mail.body_text):
        assert "kari@example.no" not in text
        assert "912 34 567" not in text
    assert "[e-post]" in mail.body_text


def test_the_same_error_again_within_the_hour_is_one_mail(admins):
    for _ in range(5):
        logging.getLogger("privacy").error("event=retention_failed key=x")

    assert OutgoingEmail.objects.filter(kind="outbox.admins").count() == 1


def test_warnings_and_a_site_without_admins_queue_nothing(settings):
    settings.ADMINS = [("", "drift@glasoterapi.no")]
    logging.getLogger("django").warning("event=something_odd")
    settings.ADMINS = []
    logging.getLogger("django").error("event=something_broke")

    assert not OutgoingEmail.objects.filter(kind="outbox.admins").exists()
