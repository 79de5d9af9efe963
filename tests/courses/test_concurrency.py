"""Capacity holds when many people sign up at the same moment (PostgreSQL only:
row locks between connections are what is being proven)."""

import itertools

import pytest
from django.test import Client

from courses.models import Booking
from glasoterapi.models import OutgoingEmail
from tests.conftest import run_at_once
from tests.courses.test_signup import signup_url

SIGNUPS = 30
SEATS = 10


@pytest.mark.django_db(transaction=True)
def test_thirty_simultaneous_signups_for_ten_seats_confirm_exactly_ten(
    postgres, course_date_factory, signup_data, settings
):
    settings.COURSES_SIGNUP_RATE_LIMIT = SIGNUPS  # all come from one test client
    course_date = course_date_factory(capacity=SEATS)
    url = signup_url(course_date)
    numbers = itertools.count()

    def sign_up() -> int:
        data = signup_data(email=f"person{next(numbers)}@example.no", waitlist="yes")
        return Client().post(url, data).status_code

    statuses = run_at_once(sign_up, SIGNUPS)

    assert statuses == [302] * SIGNUPS
    bookings = Booking.objects.filter(course_date=course_date)
    assert bookings.filter(status=Booking.Status.CONFIRMED).count() == SEATS
    assert bookings.filter(status=Booking.Status.WAITLISTED).count() == SIGNUPS - SEATS
    assert OutgoingEmail.objects.count() == SIGNUPS


@pytest.mark.django_db(transaction=True)
def test_simultaneous_cancellations_never_promote_more_than_the_free_seats(
    postgres, course_date_factory, booking_factory
):
    from courses import services

    course_date = course_date_factory(capacity=5)
    confirmed = [
        booking_factory(course_date, email=f"c{i}@example.no") for i in range(5)
    ]
    for i in range(10):
        booking_factory(course_date, email=f"w{i}@example.no")
    waiting_to_cancel = iter(confirmed)

    run_at_once(
        lambda: services.booking_cancel(booking_id=next(waiting_to_cancel).pk),
        len(confirmed),
    )

    bookings = Booking.objects.filter(course_date=course_date)
    assert bookings.filter(status=Booking.Status.CONFIRMED).count() == 5
    assert bookings.filter(status=Booking.Status.WAITLISTED).count() == 5
    promoted = bookings.filter(status=Booking.Status.CONFIRMED).values_list(
        "email", flat=True
    )
    assert sorted(promoted) == [f"w{i}@example.no" for i in range(5)]
