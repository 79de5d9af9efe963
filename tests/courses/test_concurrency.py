"""Capacity holds when many people sign up at the same moment (PostgreSQL only:
row locks between connections are what is being proven)."""

import threading

import pytest
from django.db import connection
from django.test import Client

from courses.models import Booking
from glasoterapi.models import OutgoingEmail
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
    start = threading.Barrier(SIGNUPS)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def sign_up(index: int) -> None:
        try:
            client = Client()  # each thread has its own database connection
            data = signup_data(email=f"person{index}@example.no", waitlist="yes")
            start.wait(timeout=30)
            statuses.append(client.post(url, data).status_code)
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(i,)) for i in range(SIGNUPS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
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
    start = threading.Barrier(len(confirmed))
    errors: list[BaseException] = []

    def cancel(booking_id: int) -> None:
        try:
            start.wait(timeout=30)
            services.booking_cancel(booking_id=booking_id)
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=cancel, args=(b.pk,)) for b in confirmed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    bookings = Booking.objects.filter(course_date=course_date)
    assert bookings.filter(status=Booking.Status.CONFIRMED).count() == 5
    assert bookings.filter(status=Booking.Status.WAITLISTED).count() == 5
    promoted = bookings.filter(status=Booking.Status.CONFIRMED).values_list(
        "email", flat=True
    )
    assert sorted(promoted) == [f"w{i}@example.no" for i in range(5)]
