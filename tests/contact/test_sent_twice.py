"""A contact form sent again, because the visitor never saw the answer, is saved
once (glasoterapi/submissions.py)."""

import re

import pytest
from django.test import Client

from contact.models import Inquiry
from outbox.models import OutgoingEmail
from tests.conftest import run_at_once

pytestmark = pytest.mark.django_db

FORM_KEY = re.compile(r'<input type="hidden" name="skjema" value="([^"]+)"')


def form_key(client) -> str:
    match = FORM_KEY.search(client.get("/kontakt/").content.decode())
    assert match, "no form key in the page"
    return match.group(1)


def test_each_showing_of_the_form_has_its_own_key(client):
    assert form_key(client) != form_key(client)


def test_the_same_form_sent_twice_saves_one_inquiry_and_mails_once(
    client, submit, settings
):
    settings.CONTACT_NOTIFY_EMAILS = ["salg@glasoterapi.no"]
    key = form_key(client)

    first = submit(skjema=key)
    again = submit(skjema=key)

    assert first["Location"] == again["Location"] == "/kontakt/takk/"
    assert Inquiry.objects.count() == 1
    assert OutgoingEmail.objects.count() == 2  # the receipt and staff's notice


def test_a_form_changed_after_going_back_is_a_new_inquiry(client, submit):
    key = form_key(client)

    submit(skjema=key)
    submit(skjema=key, message="Og en ting til: passer det i mars?")

    assert Inquiry.objects.count() == 2


def test_two_visitors_who_type_the_same_get_an_inquiry_each(client, submit):
    submit(skjema=form_key(client))
    submit(client=Client(), skjema=form_key(Client()))

    assert Inquiry.objects.count() == 2


@pytest.mark.parametrize("key", ["", "kort", "x" * 23 + "!"])
def test_a_form_without_a_valid_key_is_still_saved(submit, key):
    submit(skjema=key)
    submit(skjema=key)

    assert Inquiry.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_the_same_moment_saves_one_inquiry(
    postgres, form_data, settings
):
    settings.CONTACT_RATE_LIMIT = 10
    data = form_data(skjema=form_key(Client()))

    answers = run_at_once(lambda: Client().post("/kontakt/", data)["Location"], 2)

    assert answers == ["/kontakt/takk/"] * 2
    assert Inquiry.objects.count() == 1
