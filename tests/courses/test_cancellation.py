import re
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from courses import services
from courses.models import Booking
from outbox.models import OutgoingEmail
from tests.courses.conftest import mails
from tests.courses.test_catalogue import text

LINK = re.compile(r"http://[^/\s]+(/kurs/avbestill/[^/\s]+/)")


def cancel_link(booking: Booking) -> str:
    mail = OutgoingEmail.objects.filter(to=booking.email).order_by("pk").first()
    return LINK.search(mail.body_text).group(1)


def test_the_link_asks_first_and_cancels_only_on_post(
    client, course_date, booking_factory
):
    booking = booking_factory(course_date, seats=2)
    link = cancel_link(booking)

    page = client.get(link)

    assert page.status_code == 200
    assert "Avbestille påmeldingen?" in text(page)
    assert "2 deltakere" in text(page)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED

    response = client.post(link)

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert booking.cancelled_at is not None
    assert "Påmeldingen er avbestilt" in text(client.get(response["Location"]))
    assert [mail.kind for mail in mails()][-1] == "courses_booking_cancelled"


def test_cancelling_needs_the_csrf_token(course_date, booking_factory):
    booking = booking_factory(course_date)
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(cancel_link(booking))

    assert response.status_code == 403
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_cancelling_gives_the_seat_to_the_first_on_the_waitlist_and_tells_them(
    client, course_date_factory, booking_factory
):
    course_date = course_date_factory(capacity=1)
    confirmed = booking_factory(course_date, email="first@example.no")
    first_waiting = booking_factory(course_date, email="second@example.no")
    second_waiting = booking_factory(course_date, email="third@example.no")
    assert first_waiting.status == Booking.Status.WAITLISTED

    client.post(cancel_link(confirmed))

    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == Booking.Status.CONFIRMED
    assert first_waiting.confirmed_at is not None
    assert second_waiting.status == Booking.Status.WAITLISTED
    promoted = mails("courses_booking_promoted")
    assert [mail.to for mail in promoted] == ["second@example.no"]
    assert promoted[0].attachments[0]["mimetype"] == "text/calendar"
    assert "alle i påmeldingen deres har nå fått plass" in promoted[0].body_text


def test_promotion_is_first_come_first_served(course_date_factory, booking_factory):
    course_date = course_date_factory(capacity=3)
    confirmed = booking_factory(course_date, seats=3, email="a@example.no")
    booking_factory(course_date, seats=3, email="b@example.no")
    booking_factory(course_date, seats=2, email="c@example.no")
    booking_factory(course_date, seats=1, email="d@example.no")

    services.booking_cancel(booking_id=confirmed.pk)

    # Three seats came free: the first in the queue fits whole and gets them all.
    assert dict(Booking.objects.values_list("email", "status")) == {
        "a@example.no": "cancelled",
        "b@example.no": "confirmed",
        "c@example.no": "waitlisted",
        "d@example.no": "waitlisted",
    }


def test_a_booking_too_large_for_the_free_seats_keeps_its_place_and_others_pass(
    course_date_factory, booking_factory
):
    course_date = course_date_factory(capacity=4)
    first = booking_factory(course_date, seats=2, email="a@example.no")
    booking_factory(course_date, seats=2, email="b@example.no")
    booking_factory(course_date, seats=3, email="large@example.no")
    booking_factory(course_date, seats=2, email="small@example.no")

    services.booking_cancel(booking_id=first.pk)

    statuses = dict(Booking.objects.values_list("email", "status"))
    assert statuses["large@example.no"] == "waitlisted"
    assert statuses["small@example.no"] == "confirmed"
    taken = sum(
        Booking.objects.filter(course_date=course_date, status="confirmed").values_list(
            "seats", flat=True
        )
    )
    assert taken == 4


def test_cancelling_a_waitlisted_booking_moves_no_one(
    course_date_factory, booking_factory
):
    course_date = course_date_factory(capacity=1)
    booking_factory(course_date, email="a@example.no")
    waiting = booking_factory(course_date, email="b@example.no")
    booking_factory(course_date, email="c@example.no")

    services.booking_cancel(booking_id=waiting.pk)

    assert dict(Booking.objects.values_list("email", "status")) == {
        "a@example.no": "confirmed",
        "b@example.no": "cancelled",
        "c@example.no": "waitlisted",
    }
    assert mails("courses_booking_promoted") == []


def test_the_link_stops_working_at_the_cancellation_deadline(
    client, course_date_factory, booking_factory
):
    course_date = course_date_factory(
        cancellation_deadline=timezone.now() + timedelta(days=1)
    )
    booking = booking_factory(course_date)
    link = cancel_link(booking)
    course_date.cancellation_deadline = timezone.now() - timedelta(minutes=1)
    course_date.save()

    response = client.post(link)

    assert "Fristen for å avbestille gikk ut" in text(response)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_a_link_made_for_an_earlier_deadline_has_expired(
    client, course_date_factory, booking_factory
):
    course_date = course_date_factory(
        cancellation_deadline=timezone.now() + timedelta(days=1)
    )
    booking = booking_factory(course_date)
    token = services.booking_cancel_token(booking=booking)

    later = timezone.now() + timedelta(days=2)
    with pytest.raises(services.CancellationClosed, match="Lenken har utløpt"):
        services.booking_from_cancel_token(token, now=later)


def test_a_forged_or_mangled_link_is_refused(client, course_date, booking_factory):
    booking = booking_factory(course_date)
    forged = signing.dumps({"b": booking.pk, "u": 4102444800}, salt="other")

    for link in (f"/kurs/avbestill/{forged}/", cancel_link(booking)[:-5] + "x/"):
        response = client.post(link)
        assert response.status_code == 404
        assert "Lenken virker ikke" in text(response)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_cancelling_twice_sends_one_receipt(client, course_date, booking_factory):
    booking = booking_factory(course_date)
    link = cancel_link(booking)

    client.post(link)
    client.post(link)

    assert len(mails("courses_booking_cancelled")) == 1
    assert "Påmeldingen er avbestilt" in text(client.get(link))
