"""schema.org data for a course page, so search engines can show the course and
its dates: one `Course` with a `CourseInstance` per date, and an `Event` per date.

Google's guidance, which names what is required and what is recommended:
https://developers.google.com/search/docs/appearance/structured-data/course-info
(Course: name, description, provider, offers with category, hasCourseInstance;
CourseInstance: courseMode and courseSchedule or courseWorkload; instructor and
location recommended) and
https://developers.google.com/search/docs/appearance/structured-data/event
(Event: name, startDate, location; image, performer, organizer, offers, endDate,
eventStatus and eventAttendanceMode recommended).
"""

from django.conf import settings
from django.utils import timezone

from core.business import address_parts, business
from courses.models import Course, CourseDate
from pages.models import Person
from pages.sharing import shared_image

SCHEMA = "https://schema.org/"
CONTEXT = "https://schema.org"


def course_jsonld(*, course: Course, course_dates: list[CourseDate]) -> list[dict]:
    """The Course, then one Event per upcoming date; dates need the seat
    annotations (courses.selectors)."""
    return [
        course_item(course=course, course_dates=course_dates),
        *(course_event(course=course, course_date=d) for d in course_dates),
    ]


def course_item(*, course: Course, course_dates: list[CourseDate]) -> dict:
    return {
        "@context": CONTEXT,
        "@type": "Course",
        "name": course.title,
        "description": course.summary,
        "url": course_url(course),
        "inLanguage": "nb",
        "image": [shared_image(course.image).url],
        "provider": organization(),
        "offers": [{**price(course), "category": "Paid"}],
        "hasCourseInstance": [
            course_instance(course=course, course_date=course_date)
            for course_date in course_dates
        ],
    }


def course_instance(*, course: Course, course_date: CourseDate) -> dict:
    instance = {
        "@type": "CourseInstance",
        "name": course.title,
        "courseMode": "Online" if course_date.is_online else "Onsite",
        "startDate": iso(course_date.starts_at),
        "endDate": iso(course_date.ends_at),
        "eventStatus": event_status(course_date),
        "location": location(course_date, url=course_url(course)),
        # A date is one meeting, start to end, once.
        "courseSchedule": {
            "@type": "Schedule",
            "duration": iso_duration(course_date.ends_at - course_date.starts_at),
            "repeatFrequency": "Daily",
            "repeatCount": 1,
            "startDate": timezone.localdate(course_date.starts_at).isoformat(),
            "endDate": timezone.localdate(course_date.ends_at).isoformat(),
        },
        "offers": offer(course=course, course_date=course_date),
    }
    if teacher := published_teacher(course):
        instance["instructor"] = person(teacher)
    return instance


def course_event(*, course: Course, course_date: CourseDate) -> dict:
    teacher = published_teacher(course)
    return {
        "@context": CONTEXT,
        "@type": "Event",
        "name": course.title,
        "description": course.summary,
        "url": course_url(course),
        "image": [shared_image(course.image).url],
        "startDate": iso(course_date.starts_at),
        "endDate": iso(course_date.ends_at),
        "eventStatus": event_status(course_date),
        "eventAttendanceMode": SCHEMA
        + (
            "OnlineEventAttendanceMode"
            if course_date.is_online
            else "OfflineEventAttendanceMode"
        ),
        "location": location(course_date, url=course_url(course)),
        "performer": person(teacher) if teacher else organization(),
        "organizer": organization(),
        "offers": offer(course=course, course_date=course_date),
    }


def price(course: Course) -> dict:
    """What one participant pays, VAT included (prisopplysningsforskriften § 4:
    the total price a consumer pays)."""
    total = str(course.amounts(seats=1).total)
    return {
        "@type": "Offer",
        "price": total,
        "priceCurrency": "NOK",
        "priceSpecification": {
            "@type": "UnitPriceSpecification",
            "price": total,
            "priceCurrency": "NOK",
            "valueAddedTaxIncluded": True,
        },
    }


def offer(*, course: Course, course_date: CourseDate) -> dict:
    return {
        **price(course),
        "category": "Paid",
        "availability": SCHEMA + ("SoldOut" if course_date.is_full else "InStock"),
        "url": settings.SITE_URL
        + f"{course.get_absolute_url()}{course_date.pk}/pamelding/",
    }


def organization() -> dict:
    """The business as organizer and provider, its address in parts."""
    who = business()
    item = {
        "@type": "Organization",
        "name": who.name,
        "legalName": who.legal_name,
        "url": settings.SITE_URL + "/",
        "email": who.email,
    }
    if who.address:
        item["address"] = postal_address(who.address)
    return item


def published_teacher(course: Course) -> Person | None:
    teacher = course.teacher
    return teacher if teacher is not None and teacher.is_published else None


def person(teacher: Person) -> dict:
    item = {"@type": "Person", "name": teacher.name}
    if teacher.role:
        item["jobTitle"] = teacher.role
    if teacher.photo is not None:
        item["image"] = shared_image(teacher.photo).url
    return item


def location(course_date: CourseDate, *, url: str) -> dict:
    if course_date.is_online:
        return {"@type": "VirtualLocation", "url": url}
    return {
        "@type": "Place",
        "name": course_date.place,
        "address": postal_address(course_date.place),
    }


def postal_address(text: str) -> dict:
    """A PostalAddress: street, postal code and locality when the text reads like
    "Storgata 1, 0155 Oslo", else the text as it is."""
    address = {"@type": "PostalAddress", "addressCountry": "NO"}
    parts = address_parts(text)
    if parts is None:
        return {**address, "streetAddress": text}
    return {
        **address,
        "streetAddress": parts.street,
        "postalCode": parts.postcode,
        "addressLocality": parts.place,
    }


def course_url(course: Course) -> str:
    return settings.SITE_URL + course.get_absolute_url()


def event_status(course_date: CourseDate) -> str:
    return SCHEMA + ("EventCancelled" if course_date.is_cancelled else "EventScheduled")


def iso(moment) -> str:
    """ISO 8601 with the Oslo offset: 2031-03-04T12:00:00+01:00."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def iso_duration(length) -> str:
    """ISO 8601 duration in whole minutes: PT6H, PT1H30M."""
    hours, minutes = divmod(round(length.total_seconds() / 60), 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
