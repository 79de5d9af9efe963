"""The calendar file (.ics, RFC 5545) attached to a confirmation, made with icalendar.

Times are written in Europe/Oslo with a TZID and its VTIMEZONE, so a calendar shows
the course at the right local time on both sides of a daylight-saving change.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from core.norwegian import count
from courses.models import Booking, CourseDate

OSLO = ZoneInfo("Europe/Oslo")
PRODUCT_ID = "-//glasoterapi.no//Kurs//NO"


def course_date_ics(*, course_date: CourseDate, booking: Booking) -> str:
    course = course_date.course
    event = Event()
    # Stable per booking: a second file for the same booking updates the entry.
    event.add("uid", f"booking-{booking.pk}@glasoterapi.no")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", in_oslo(course_date.starts_at))
    event.add("dtend", in_oslo(course_date.ends_at))
    event.add("summary", course.title)
    event.add("location", course_date.place_display or "Nettbasert")
    event.add("url", settings.SITE_URL + course.get_absolute_url())
    event.add(
        "description",
        f"{course.summary}\n\nPåmelding {booking.pk}, "
        f"{count(booking.seats, 'deltaker', 'deltakere')}.\n"
        f"{settings.SITE_URL}{course.get_absolute_url()}",
    )
    event.add("status", "CANCELLED" if course_date.is_cancelled else "CONFIRMED")

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def in_oslo(moment: datetime) -> datetime:
    return moment.astimezone(OSLO)
