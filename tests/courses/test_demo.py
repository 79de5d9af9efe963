import io

from django.core.management import call_command

from courses.models import Booking, CourseDate
from courses.selectors import course_dates_upcoming
from tests.courses.test_catalogue import text


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_demo_content_makes_a_living_catalogue(db, client):
    seed()

    dates = list(course_dates_upcoming())
    assert any(not d.is_full and not d.is_online for d in dates)
    assert any(d.is_full and d.seats_waitlisted for d in dates)
    assert any(d.is_online for d in dates)
    page = text(client.get("/kurs/"))
    assert "plasser igjen" in page
    assert "Fullt – sett deg på venteliste" in page
    assert "Nettbasert" in page


def test_demo_content_is_idempotent(db):
    seed()
    counts = (CourseDate.objects.count(), Booking.objects.count())

    output = seed()

    assert (CourseDate.objects.count(), Booking.objects.count()) == counts
    assert "Kurs: 0 nye kursdatoer" in output


def test_demo_bookings_never_exceed_capacity(db):
    seed()

    for course_date in course_dates_upcoming():
        assert course_date.seats_taken <= course_date.capacity
