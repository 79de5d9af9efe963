"""schema.org `Event` data for a course page, so search engines can show the dates.

https://schema.org/Event and Google's guidance for events:
https://developers.google.com/search/docs/appearance/structured-data/event
"""

from django.conf import settings
from django.utils import timezone

from courses.models import Course, CourseDate

SCHEMA = "https://schema.org/"


def course_events(*, course: Course, course_dates: list[CourseDate]) -> list[dict]:
    """One Event per upcoming date; dates need the seat annotations."""
    url = settings.SITE_URL + course.get_absolute_url()
    organizer = {
        "@type": "Organization",
        "name": settings.BUSINESS_NAME,
        "url": settings.SITE_URL + "/",
    }
    return [
        {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": course.title,
            "description": course.summary,
            "url": url,
            "startDate": iso(course_date.starts_at),
            "endDate": iso(course_date.ends_at),
            "eventStatus": SCHEMA
            + ("EventCancelled" if course_date.is_cancelled else "EventScheduled"),
            "eventAttendanceMode": SCHEMA
            + (
                "OnlineEventAttendanceMode"
                if course_date.is_online
                else "OfflineEventAttendanceMode"
            ),
            "location": location(course_date, url=url),
            "organizer": organizer,
            "offers": {
                "@type": "Offer",
                "price": str(course.price),
                "priceCurrency": "NOK",
                "availability": SCHEMA
                + ("SoldOut" if course_date.is_full else "InStock"),
                "url": settings.SITE_URL
                + f"{course.get_absolute_url()}{course_date.pk}/pamelding/",
            },
        }
        for course_date in course_dates
    ]


def location(course_date: CourseDate, *, url: str) -> dict:
    if course_date.is_online:
        return {"@type": "VirtualLocation", "url": url}
    return {
        "@type": "Place",
        "name": course_date.place,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": course_date.place,
            "addressCountry": "NO",
        },
    }


def iso(moment) -> str:
    """ISO 8601 with the Oslo offset: 2031-03-04T12:00:00+01:00."""
    return timezone.localtime(moment).isoformat(timespec="seconds")
