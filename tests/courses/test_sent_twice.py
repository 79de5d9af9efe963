"""A sign-up sent again, because the visitor never saw the answer, takes its seats
once (glasoterapi/submissions.py)."""

import re

import pytest
from django.test import Client

from courses.models import Booking
from outbox.models import OutgoingEmail
from tests.conftest import run_at_once
from tests.courses.test_signup import signup_url

FORM_KEY = re.compile(r'<input type="hidden" name="skjema" value="([^"]+)"')


def form_key(client, course_date) -> str:
    match = FORM_KEY.search(client.get(signup_url(course_date)).content.decode())
    assert match, "no form key in the page"
    return match.group(1)


@pytest.mark.django_db
def test_the_same_sign_up_sent_twice_books_once_and_mails_once(
    client, course_date, signup_data
):
    data = signup_data(skjema=form_key(client, course_date))

    first = client.post(signup_url(course_date), data)
    again = client.post(signup_url(course_date), data)

    assert first["Location"] == again["Location"]
    assert Booking.objects.get().seats == 1
    assert OutgoingEmail.objects.filter(kind="courses_booking_confirmed").count() == 1


@pytest.mark.django_db
def test_a_sign_up_sent_again_after_the_course_filled_up_still_shows_it_confirmed(
    client, course_date_factory, signup_data
):
    course_date = course_date_factory(capacity=1)
    data = signup_data(skjema=form_key(client, course_date))

    client.post(signup_url(course_date), data)
    again = client.post(signup_url(course_date), data)

    assert "venteliste" not in again["Location"]
    assert Booking.objects.get().status == Booking.Status.CONFIRMED


@pytest.mark.django_db
def test_the_same_form_sent_again_after_cancelling_signs_up_anew(
    client, course_date, signup_data
):
    from courses import services

    data = signup_data(skjema=form_key(client, course_date))
    client.post(signup_url(course_date), data)
    services.booking_cancel(booking_id=Booking.objects.get().pk)

    again = client.post(signup_url(course_date), data)

    assert "bekreftet" in again["Location"]
    assert Booking.objects.filter(status=Booking.Status.CONFIRMED).count() == 1
    assert Booking.objects.filter(status=Booking.Status.CANCELLED).count() == 1


@pytest.mark.django_db
def test_a_sign_up_changed_after_going_back_is_a_new_booking(
    client, course_date, signup_data
):
    key = form_key(client, course_date)

    client.post(signup_url(course_date), signup_data(skjema=key))
    client.post(
        signup_url(course_date),
        signup_data(skjema=key, others=[("Ola", "Nordmann", "ola@example.no")]),
    )

    assert sorted(Booking.objects.values_list("seats", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_the_form_key_survives_adding_a_participant_row(
    client, course_date, signup_data
):
    key = form_key(client, course_date)

    page = client.post(
        signup_url(course_date), signup_data(skjema=key, add_participant="1")
    )

    assert f'name="skjema" value="{key}"' in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_same_sign_up_sent_twice_at_the_same_moment_books_once(
    postgres, course_date, signup_data
):
    data = signup_data(skjema=form_key(Client(), course_date))

    def send() -> int:
        return Client().post(signup_url(course_date), data).status_code

    assert run_at_once(send, 2) == [302, 302]
    assert Booking.objects.count() == 1
