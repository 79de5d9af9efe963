"""Finding 4 of issue 14: the lists staff work from fit a 1280 px wide screen, with
the columns they need visible (the booking list, inquiries, a course's dates)."""

import os
from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from contact.models import Inquiry
from courses.models import Course, CourseDate
from courses.services import booking_create
from tests.browser.conftest import STAFF_PASSWORD as PASSWORD
from tests.browser.conftest import admin_log_in as log_in
from tests.browser.conftest import serious_accessibility_violations
from tests.courses.conftest import details

WIDTH = 1280
# Set to a folder to keep a screenshot of each page (to look at, not committed).
SCREENSHOTS = os.environ.get("STAFF_LIST_SCREENSHOTS")


def staff(django_user_model, username, *groups):
    """A staff member in `groups` (as migrated: tests/browser/conftest.py)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = django_user_model.objects.create_user(
        username,
        f"{username}@glasoterapi.no",
        PASSWORD,
        is_staff=True,
        first_name="Kristine",
        last_name="Kursansvarlig-Halvorsen",
    )
    user.groups.set(Group.objects.filter(name__in=groups))
    return user, TOTPDevice.objects.create(user=user, name="App", confirmed=True)


def long_named_course_date(*, starts_in: timedelta, **fields) -> CourseDate:
    """A date of a course with a long title and place, which the lists must fit."""
    course = Course.objects.create(
        title="Videregående kurs i glasoterapi for helsepersonell",
        slug="videregaende",
        summary="To dager.",
        description="Om kurset.",
        price=5900,
        is_published=True,
    )
    starts = timezone.now() + starts_in
    return CourseDate.objects.create(
        course=course,
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        place="Kulturhuset, Storgata 12, 8006 Bodø",
        capacity=12,
        **fields,
    )


def realistic_bookings():
    starts_in = timedelta(days=30)
    course_date = long_named_course_date(
        starts_in=starts_in,
        signup_deadline=timezone.now() + starts_in - timedelta(days=7),
        cancellation_deadline=timezone.now() + starts_in - timedelta(days=14),
    )
    course = course_date.course
    for n in range(6):
        booking_create(
            course_date_id=course_date.pk,
            details=details(
                seats=1 + n % 3,
                email=f"kontakt{n}@glassverkstedet-nord.no",
                first_name="Marie-Kristine",
                last_name="Ødegård-Johannessen",
                company="Glassverkstedet Nord-Norge AS",
                invoice_name="Glassverkstedet Nord-Norge AS",
            ),
            join_waitlist=True,
        )
    return course


def fits(page) -> bool:
    """Nothing scrolls sideways: neither the page nor a list's own table."""
    return page.evaluate(
        """() => document.documentElement.scrollWidth <= window.innerWidth
        && [...document.querySelectorAll('.results, .tabular')].every(
            (box) => box.scrollWidth <= box.clientWidth + 1)"""
    )


def right_edge(page, selector: str, text: str) -> float:
    box = page.locator(selector, has_text=text).first.bounding_box()
    return box["x"] + box["width"]


def visit(page, url, name):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def test_the_booking_list_and_a_courses_dates_fit_1280_px(
    live_server, context_factory, django_user_model
):
    user, device = staff(django_user_model, "kurs", "Kurs")
    course = realistic_bookings()
    page = context_factory(viewport={"width": WIDTH, "height": 900}).new_page()
    log_in(page, live_server, user, device)

    visit(page, live_server.url + "/admin/courses/booking/", "bookings")
    assert fits(page)
    for header in ("Kursdato", "Kontaktperson", "Status", "Beløp", "E-post"):
        assert right_edge(page, "#result_list thead th", header) <= WIDTH, header
    assert serious_accessibility_violations(page) == []

    visit(
        page, live_server.url + f"/admin/courses/course/{course.pk}/change/", "course"
    )
    assert fits(page)
    for header in ("Tatt", "Ledige", "Venteliste"):
        assert right_edge(page, "#dates-group thead th", header) <= WIDTH, header

    visit(page, live_server.url + "/admin/courses/coursedate/", "dates")
    assert fits(page)

    # The new pages: the overview and a course date's own page.
    date = course.dates.get()
    for url, name in [
        ("/admin/oversikt/", "overview"),
        (f"/admin/courses/coursedate/{date.pk}/oversikt/", "course-date"),
    ]:
        visit(page, live_server.url + url, name)
        assert fits(page), name
        assert serious_accessibility_violations(page) == [], name


def test_the_inquiry_list_shows_assignee_and_age_at_1280_px(
    live_server, context_factory, django_user_model
):
    user, device = staff(django_user_model, "salg", "Salg")
    for n in range(5):
        Inquiry.objects.create(
            first_name="Marie-Kristine",
            last_name="Ødegård-Johannessen",
            email=f"marie.kristine.odegard{n}@glassverkstedet-nord-norge.no",
            company="Glassverkstedet Nord-Norge AS avdeling Bodø",
            message="Hei",
            assigned_to=user,
        )
    page = context_factory(viewport={"width": WIDTH, "height": 900}).new_page()
    log_in(page, live_server, user, device)

    visit(page, live_server.url + "/admin/contact/inquiry/", "inquiries")

    assert fits(page)
    for header in ("Ansvarlig", "Alder"):
        assert right_edge(page, "#result_list thead th", header) <= WIDTH, header
