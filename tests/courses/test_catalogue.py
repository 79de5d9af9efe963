import json
import re
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import Booking
from courses.templatetags.course_format import nok

OSLO = ZoneInfo("Europe/Oslo")


def text(response) -> str:
    """The page's text with tags removed and white space collapsed."""
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_course_list_shows_an_upcoming_date_with_time_place_price_and_seats(
    client, course_date_factory, course_factory, booking_factory
):
    course = course_factory(title="Grunnkurs i glasoterapi", price=Decimal(4500))
    starts_at = datetime(2031, 1, 14, 9, 0, tzinfo=OSLO)
    course_date = course_date_factory(
        course=course, starts_at=starts_at, hours=6, capacity=6, place="Storgata 1"
    )
    booking_factory(course_date, seats=2)

    page = text(client.get("/kurs/"))

    assert "Grunnkurs i glasoterapi" in page
    assert "tirsdag 14. januar 2031 kl. 09.00–15.00" in page
    assert "Storgata 1" in page
    assert "kr 4 500 inkl. mva per deltaker" in page
    assert "4 plasser igjen" in page


def test_course_list_shows_a_new_sign_up_at_once_although_pages_are_cached(
    client, course_date_factory, booking_factory
):
    course_date = course_date_factory(capacity=6)
    assert "6 plasser igjen" in text(client.get("/kurs/"))
    assert not Client().get("/kurs/").templates  # served from the page cache

    booking_factory(course_date, seats=2)

    assert "4 plasser igjen" in text(Client().get("/kurs/"))


def test_course_list_shows_an_edited_capacity_at_once(client, course_date_factory):
    course_date = course_date_factory(capacity=6)
    client.get("/kurs/")

    course_date.capacity = 8
    course_date.save()

    assert "8 plasser igjen" in text(Client().get("/kurs/"))


def test_course_list_shows_seats_freed_by_a_deleted_booking_at_once(
    client, course_date_factory, booking_factory
):
    booking = booking_factory(course_date_factory(capacity=6), seats=2)
    assert "4 plasser igjen" in text(client.get("/kurs/"))

    booking.delete()

    assert "6 plasser igjen" in text(Client().get("/kurs/"))


def test_course_list_shows_an_edited_title_at_once(client, course_date_factory):
    course = course_date_factory().course
    client.get("/kurs/")

    course.title = "Nytt navn på kurset"
    course.save()

    assert "Nytt navn på kurset" in text(Client().get("/kurs/"))


def test_course_list_says_one_seat_left_in_the_singular(
    client, course_date_factory, booking_factory
):
    course_date = course_date_factory(capacity=3)
    booking_factory(course_date, seats=2)

    assert "1 plass igjen" in text(client.get("/kurs/"))


def test_course_list_shows_local_summer_time(client, course_date_factory):
    # 07:00 UTC in July is 09.00 in Oslo (CEST, UTC+2).
    course_date_factory(starts_at=datetime(2031, 7, 1, 7, 0, tzinfo=ZoneInfo("UTC")))

    page = text(client.get("/kurs/"))

    assert "tirsdag 1. juli 2031 kl. 09.00–15.00" in page


def test_a_full_date_offers_the_waitlist(client, course_date_factory, booking_factory):
    course_date = course_date_factory(capacity=2)
    booking_factory(course_date, seats=2)

    page = text(client.get("/kurs/"))

    assert "Fullt – sett deg på venteliste" in page
    assert "Sett meg på venteliste" in page


def test_a_date_past_its_signup_deadline_says_signup_is_closed(
    client, course_date_factory
):
    course_date_factory(signup_deadline=timezone.now() - timedelta(minutes=1))

    page = text(client.get("/kurs/"))

    assert "Påmeldingen er stengt" in page
    assert "Meld på" not in page


def test_an_online_date_says_nettbasert_and_prices_without_vat_say_so(
    client, course_factory, course_date_factory
):
    course = course_factory(price=Decimal("1250.50"), price_includes_vat=False)
    course_date_factory(course=course, is_online=True, place="")

    page = text(client.get("/kurs/"))

    assert "Nettbasert" in page
    assert "kr 1 250,50 ekskl. mva" in page


def test_cancelled_past_and_unpublished_dates_are_not_listed(
    client, course_factory, course_date_factory
):
    course_date_factory(
        course=course_factory(title="Avlyst kurs"), cancelled_at=timezone.now()
    )
    course_date_factory(course=course_factory(title="Gammelt kurs"), days=-2)
    course_date_factory(course=course_factory(title="Hemmelig", is_published=False))

    page = text(client.get("/kurs/"))

    assert "Avlyst kurs" not in page
    assert "Gammelt kurs" not in page
    assert "Hemmelig" not in page
    assert "Nye kursdatoer kommer snart" in page


def test_the_list_is_ordered_by_date(client, course_factory, course_date_factory):
    course_date_factory(course=course_factory(title="Senere kurs"), days=40)
    course_date_factory(course=course_factory(title="Tidligere kurs"), days=10)

    page = text(client.get("/kurs/"))

    assert page.index("Tidligere kurs") < page.index("Senere kurs")


def test_course_list_uses_the_same_number_of_queries_for_one_or_many_dates(
    client, course_date_factory, course_factory, booking_factory
):
    first = course_date_factory()
    booking_factory(first, seats=2)
    client.get("/kurs/")  # warm up: sessions, content types
    caches["fragments"].clear()  # count a rendered page, not a cached one
    with CaptureQueriesContext(connection) as one_date:
        assert client.get("/kurs/").status_code == 200

    for index in range(15):
        course_date = course_date_factory(course=course_factory(), capacity=3)
        booking_factory(course_date, seats=2, email=f"a{index}@example.no")
        booking_factory(course_date, seats=2, email=f"b{index}@example.no")
    with CaptureQueriesContext(connection) as many_dates:
        response = client.get("/kurs/")

    assert response.content.decode().count('class="course-date"') == 16
    assert len(many_dates) == len(one_date)


def test_many_dates_are_shown_a_page_at_a_time(client, course_date_factory):
    course = course_date_factory(days=1).course
    for day in range(2, 26):
        course_date_factory(course=course, days=day)

    first = client.get("/kurs/")
    second = client.get("/kurs/?side=2")

    assert first.content.decode().count('class="course-date"') == 20
    assert "Side 1 av 2" in text(first)
    assert 'href="?side=2" rel="next">Senere datoer' in first.content.decode()
    assert second.content.decode().count('class="course-date"') == 5
    assert 'href="?side=1" rel="prev">Tidligere datoer' in second.content.decode()
    assert client.get("/kurs/?side=99").status_code == 200  # the last page


def test_home_page_shows_the_next_course_dates(
    client, course_factory, course_date_factory
):
    course_date_factory(course=course_factory(title="Nettkurs i glass"), days=3)

    page = text(client.get("/"))

    assert "Nettkurs i glass" in page
    assert "10 plasser igjen" in page


def test_home_page_serves_its_course_list_from_cache_without_queries(
    client, course_factory, course_date_factory, django_assert_num_queries
):
    course_date_factory(course=course_factory(title="Nettkurs i glass"), days=3)
    client.get("/")

    with django_assert_num_queries(0):
        page = text(client.get("/"))

    assert "Nettkurs i glass" in page


def test_course_page_shows_the_course_and_its_dates(
    client, course_factory, course_date_factory
):
    course = course_factory(title="Seminar om glass", slug="seminar-om-glass")
    course_date_factory(course=course, starts_at=datetime(2031, 3, 4, 12, tzinfo=OSLO))
    course_date_factory(course=course, cancelled_at=timezone.now(), days=60)

    response = client.get("/kurs/seminar-om-glass/")
    page = text(response)

    assert response.status_code == 200
    assert "Seminar om glass" in page
    assert "Andre avsnitt." in page
    assert "Tirsdag 4. mars 2031 kl. 12.00–18.00" in page
    assert "Avlyst" in page


def test_a_course_page_shows_its_next_ten_dates_and_the_rest_a_page_at_a_time(
    client, course_factory, course_date_factory
):
    """Issue 17: a course with 50 upcoming dates made a page Lighthouse found too
    large (`dom-size`)."""
    course = course_factory(slug="mange-datoer")
    for day in range(1, 13):
        course_date_factory(course=course, days=day)

    first = client.get("/kurs/mange-datoer/")
    second = client.get("/kurs/mange-datoer/?side=2")

    assert first.content.decode().count('class="course-date"') == 10
    assert first.content.decode().count('"@type": "CourseInstance"') == 10
    assert 'href="?side=2#datoer" rel="next">Senere datoer' in first.content.decode()
    assert second.content.decode().count('class="course-date"') == 2
    assert "Datoer og påmelding, side 2" in text(second)


def test_a_course_page_uses_the_same_number_of_queries_for_two_or_many_dates(
    client, course_factory, course_date_factory, booking_factory
):
    course = course_factory(slug="mange-datoer")
    for day in (1, 2):
        booking_factory(course_date_factory(course=course, days=day), seats=2)
    client.get("/kurs/mange-datoer/")  # warm up
    with CaptureQueriesContext(connection) as two_dates:
        client.get("/kurs/mange-datoer/")

    for day in range(3, 40):
        booking_factory(course_date_factory(course=course, days=day), seats=1)
    with CaptureQueriesContext(connection) as many_dates:
        client.get("/kurs/mange-datoer/")

    assert len(many_dates) == len(two_dates)


def test_course_page_has_schema_org_events_with_the_csp_nonce(
    client, course_factory, course_date_factory, booking_factory
):
    course = course_factory(slug="seminar", price=Decimal(2900))
    course_date_factory(course=course, starts_at=datetime(2031, 3, 4, 12, tzinfo=OSLO))
    online = course_date_factory(
        course=course,
        is_online=True,
        capacity=1,
        starts_at=datetime(2031, 6, 4, 18, tzinfo=OSLO),
    )
    booking_factory(online)

    response = client.get("/kurs/seminar/")
    html = response.content.decode()
    match = re.search(
        r'<script type="application/ld\+json" nonce="([^"]+)">(.*?)</script>',
        html,
        re.S,
    )

    assert match, "no JSON-LD script with a nonce"
    assert match.group(1) in response["Content-Security-Policy"]
    course_item, *events = json.loads(match.group(2))
    assert course_item["@type"] == "Course"
    assert [event["@type"] for event in events] == ["Event", "Event"]
    assert events[0]["startDate"] == "2031-03-04T12:00:00+01:00"
    assert events[0]["location"]["@type"] == "Place"
    assert events[0]["offers"]["price"] == "2900.00"
    assert events[0]["offers"]["priceCurrency"] == "NOK"
    assert events[0]["offers"]["availability"] == "https://schema.org/InStock"
    assert events[1]["startDate"] == "2031-06-04T18:00:00+02:00"
    assert events[1]["location"]["@type"] == "VirtualLocation"
    assert events[1]["offers"]["availability"] == "https://schema.org/SoldOut"
    assert events[1]["eventAttendanceMode"].endswith("OnlineEventAttendanceMode")


def test_json_ld_cannot_end_the_script_element(
    client, course_factory, course_date_factory
):
    course = course_factory(slug="farlig", summary="</script><b>hei</b>")
    course_date_factory(course=course)

    html = client.get("/kurs/farlig/").content.decode()

    assert "</script><b>" not in html
    assert "\\u003C/script\\u003E" in html


def test_unknown_and_unpublished_courses_are_not_found(client, course_factory):
    course_factory(slug="skjult", is_published=False)

    assert client.get("/kurs/finnes-ikke/").status_code == 404
    assert client.get("/kurs/skjult/").status_code == 404


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal(4500), "kr 4 500"),
        (Decimal("990"), "kr 990"),
        (Decimal("1234567.5"), "kr 1 234 567,50"),
        (Decimal(0), "kr 0"),
    ],
)
def test_prices_are_written_the_norwegian_way(amount, expected):
    assert nok(amount) == expected


def test_a_booking_is_saved_when_the_cache_fails(
    course_date_factory, booking_factory, monkeypatch, caplog
):
    from core import page_versions

    class CacheDown:
        def set(self, *args, **kwargs):
            raise ConnectionError("cache down")

    course_date = course_date_factory(capacity=6)
    monkeypatch.setattr(page_versions, "cache", CacheDown())

    booking = booking_factory(course_date, seats=2)

    assert Booking.objects.filter(pk=booking.pk).exists()
    assert "event=page_version_not_saved key=courses:catalogue-version" in caplog.text


def test_a_course_page_names_each_date_by_its_time_not_by_a_link_to_itself(
    client, course_date_factory
):
    """Found: each date card repeated the course title as a link to the page."""
    course_date = course_date_factory()
    page = client.get(course_date.course.get_absolute_url()).content.decode()

    assert f'href="{course_date.course.get_absolute_url()}"' not in page
    assert '<h3 id="kursdato-' in page


def test_a_price_set_without_vat_is_also_shown_with_it(
    client, course_factory, course_date_factory
):
    """Found: the seminar was priced "ekskl. mva" and the others "inkl. mva"; a
    consumer must see the price with VAT (prisopplysningsforskriften § 4)."""
    seminar = course_factory(price=Decimal(4000), price_includes_vat=False)
    course_date_factory(course=seminar)
    page = text(client.get(seminar.get_absolute_url()))

    assert "kr 4 000 ekskl. mva (kr 5 000 inkl. mva)" in page


def test_the_sign_up_page_writes_every_date_one_way_and_explains_an_early_deadline(
    client, course_date_factory
):
    """Found: "tirsdag 22. desember 2026" beside "20.12.2026", and a cancellation
    deadline before the sign-up deadline with no word why."""
    starts = timezone.now() + timedelta(days=30)
    course_date = course_date_factory(
        starts_at=starts,
        signup_deadline=starts - timedelta(days=2),
        cancellation_deadline=starts - timedelta(days=7),
    )
    page = text(
        client.get(f"/kurs/{course_date.course.slug}/{course_date.pk}/pamelding/")
    )

    assert not re.search(r"\b\d{2}\.\d{2}\.\d{4}\b", page.split("<form", 1)[0])
    assert "er påmeldingen bindende" in page


def test_a_shared_course_link_carries_its_title_and_summary(
    client, course_date_factory
):
    """Found: no Open Graph tags, so shared links looked bare."""
    course = course_date_factory().course
    page = client.get(course.get_absolute_url()).content.decode()

    assert f'<meta property="og:title" content="{course.title}">' in page
    assert f'<meta property="og:description" content="{course.summary}">' in page
    assert (
        f'<meta property="og:url" content="http://127.0.0.1:8000{course.get_absolute_url()}">'
        in page
    )


def test_the_purchase_terms_are_on_the_site_and_the_sign_up_points_to_them(
    client, course_date_factory
):
    """Found: no purchase or cancellation terms anywhere."""
    course_date = course_date_factory()
    terms = client.get("/kjopsvilkar/").content.decode()
    signup = client.get(
        f"/kurs/{course_date.course.slug}/{course_date.pk}/pamelding/"
    ).content.decode()

    assert "Avbestilling" in terms
    assert "Etter fristen er påmeldingen bindende" in terms
    assert 'href="/kjopsvilkar/"' in signup
    assert 'href="/kjopsvilkar/"' in client.get("/").content.decode()
