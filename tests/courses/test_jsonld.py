"""The course page's schema.org data, read as a search engine reads it: the
JSON-LD script of the page, against the properties Google documents for course
info (Course, CourseInstance) and for events."""

import json
import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from pages.models import Person
from pages.services import image_create
from tests.pages.conftest import picture_upload

OSLO = ZoneInfo("Europe/Oslo")
SITE = "https://glasoterapi.test"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.BUSINESS_ADDRESS = "Storgata 1, 0155 Oslo"


def jsonld(client, path: str) -> list[dict]:
    html = client.get(path).content.decode()
    match = re.search(
        r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S
    )
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


@pytest.fixture
def seminar(course_factory, course_date_factory):
    teacher = Person.objects.create(
        name="Ingrid Solberg", role="Kursleder", bio="Glass."
    )
    course = course_factory(
        slug="seminar",
        title="Seminar om glass",
        summary="En dag med glass.",
        price=Decimal(2000),
        price_includes_vat=False,
        teacher=teacher,
        image=image_create(upload=picture_upload(), alt="Glass i motlys"),
    )
    course_date_factory(
        course=course,
        starts_at=datetime(2031, 3, 4, 9, tzinfo=OSLO),
        hours=6.5,
        place="Kongens gate 5, 7011 Trondheim",
    )
    course_date_factory(
        course=course,
        starts_at=datetime(2031, 6, 4, 18, tzinfo=OSLO),
        hours=2,
        is_online=True,
        place="",
    )
    return course


def test_the_course_has_what_google_requires_for_course_info(client, seminar):
    course, *_ = jsonld(client, "/kurs/seminar/")

    assert course["@type"] == "Course"
    assert course["name"] == "Seminar om glass"
    assert course["description"] == "En dag med glass."
    assert course["provider"]["@type"] == "Organization"
    assert course["provider"]["name"] == "Glasoterapi"
    # Price as a consumer pays it: 2 000 without VAT is 2 500 with it.
    assert course["offers"][0]["category"] == "Paid"
    assert course["offers"][0]["price"] == "2500.00"
    assert course["offers"][0]["priceSpecification"]["valueAddedTaxIncluded"] is True
    assert course["image"] == [f"{SITE}/media/bilder/{seminar.image.key}-1600.jpg"]


def test_each_date_is_a_course_instance_with_mode_schedule_place_and_offer(
    client, seminar
):
    course, *_ = jsonld(client, "/kurs/seminar/")
    onsite, online = course["hasCourseInstance"]

    assert onsite["@type"] == "CourseInstance"
    assert (onsite["courseMode"], online["courseMode"]) == ("Onsite", "Online")
    assert onsite["startDate"] == "2031-03-04T09:00:00+01:00"
    assert onsite["endDate"] == "2031-03-04T15:30:00+01:00"
    assert onsite["courseSchedule"] == {
        "@type": "Schedule",
        "duration": "PT6H30M",
        "repeatFrequency": "Daily",
        "repeatCount": 1,
        "startDate": "2031-03-04",
        "endDate": "2031-03-04",
    }
    assert onsite["location"]["address"]["postalCode"] == "7011"
    assert onsite["location"]["address"]["addressLocality"] == "Trondheim"
    assert online["location"] == {
        "@type": "VirtualLocation",
        "url": f"{SITE}/kurs/seminar/",
    }
    offer = onsite["offers"]
    assert (offer["price"], offer["priceCurrency"]) == ("2500.00", "NOK")
    assert offer["availability"] == "https://schema.org/InStock"
    assert offer["url"] == f"{SITE}/kurs/seminar/{seminar.dates.first().pk}/pamelding/"
    assert onsite["instructor"] == {
        "@type": "Person",
        "name": "Ingrid Solberg",
        "jobTitle": "Kursleder",
    }


def test_each_date_is_also_an_event_with_image_performer_and_organizer_address(
    client, seminar
):
    _, first, second = jsonld(client, "/kurs/seminar/")

    assert (first["@type"], second["@type"]) == ("Event", "Event")
    assert first["name"] == "Seminar om glass"
    assert first["startDate"] == "2031-03-04T09:00:00+01:00"
    assert first["image"] == [f"{SITE}/media/bilder/{seminar.image.key}-1600.jpg"]
    assert first["performer"] == {
        "@type": "Person",
        "name": "Ingrid Solberg",
        "jobTitle": "Kursleder",
    }
    assert first["organizer"]["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "NO",
        "streetAddress": "Storgata 1",
        "postalCode": "0155",
        "addressLocality": "Oslo",
    }
    assert first["organizer"]["url"] == f"{SITE}/"
    assert first["location"]["address"]["streetAddress"] == "Kongens gate 5"


def test_without_a_teacher_or_image_the_business_performs_and_its_picture_shows(
    client, course_factory, course_date_factory
):
    course = course_factory(slug="uten")
    course_date_factory(course=course, place="Lokalet bak kirken")

    course_item, event = jsonld(client, "/kurs/uten/")

    assert "instructor" not in course_item["hasCourseInstance"][0]
    assert event["performer"]["@type"] == "Organization"
    assert event["image"] == [f"{SITE}/static/img/deling.png"]
    # A place that is not an address stays whole rather than guessed apart.
    assert event["location"]["address"]["streetAddress"] == "Lokalet bak kirken"
    assert "postalCode" not in event["location"]["address"]


def test_an_unpublished_teacher_is_not_named(
    client, course_factory, course_date_factory
):
    hidden = Person.objects.create(name="Skjult Person", bio="-", is_published=False)
    course = course_factory(slug="skjult", teacher=hidden)
    course_date_factory(course=course)

    assert "Skjult Person" not in json.dumps(jsonld(client, "/kurs/skjult/"))
