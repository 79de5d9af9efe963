"""Running a course date on a phone (issue 14, "tests that must exist"): the check-in
at the door and the mail to the participants, in headless Chromium at 390 px."""

import os
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from courses.models import CourseDate, CourseDateMessage, Participant
from courses.services import ParticipantDetails, booking_create
from outbox.models import OutgoingEmail
from tests.browser.conftest import (
    PageRecorder,
    admin_log_in,
    serious_accessibility_violations,
)
from tests.browser.test_staff_lists import long_named_course_date, staff
from tests.courses.conftest import details

PEOPLE = [
    ("Marie-Kristine", "Ødegård-Johannessen"),
    ("Åse", "Ørjasæter"),
    ("Per", "Hansen"),
    ("Ingrid", "Aasen"),
    ("Ola", "Berg"),
    ("Kari", "Nilsen"),
]
PHONE = {"width": 390, "height": 844}
# Where the screenshots go (to look at, not committed); a temporary folder if unset.
SCREENSHOTS = os.environ.get("COURSE_DATE_SCREENSHOTS")


def kurs_user(django_user_model):
    return staff(django_user_model, "kurs", "Kurs")


def a_date_today() -> CourseDate:
    course_date = long_named_course_date(starts_in=timedelta(hours=1))
    people = iter(PEOPLE)
    for n in range(3):
        booking_create(
            course_date_id=course_date.pk,
            details=details(
                email=f"kontakt{n}@glassverkstedet-nord.no",
                company="Glassverkstedet Nord-Norge AS",
                participants=tuple(
                    ParticipantDetails(first, last, f"{first.lower()}{n}@example.no")
                    for first, last in (next(people), next(people))
                ),
            ),
            join_waitlist=True,
        )
    return course_date


def screenshot(page, tmp_path, name: str) -> str:
    folder = SCREENSHOTS or str(tmp_path)
    path = f"{folder}/{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


def fits(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth"
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_participant_is_checked_in_on_a_phone(
    live_server, context_factory, django_user_model, tmp_path, javascript
):
    user, device = kurs_user(django_user_model)
    course_date = a_date_today()
    page = context_factory(
        viewport=PHONE, has_touch=True, is_mobile=True, java_script_enabled=javascript
    ).new_page()
    recorder = PageRecorder(page)
    admin_log_in(page, live_server, user, device)

    page.goto(f"{live_server.url}/admin/courses/coursedate/{course_date.pk}/oversikt/")
    page.get_by_role("link", name="Innsjekking").click()

    assert page.get_by_role("status").inner_text() == "0 av 6 deltakere har kommet"
    first = Participant.objects.order_by("last_name", "first_name", "pk").first()
    assert str(first) == "Ingrid Aasen"
    button = page.get_by_role("button", name=f"Har kommet: {first}")
    box = button.bounding_box()
    assert box["height"] >= 44  # a thumb's target
    assert box["width"] >= 150
    if javascript:
        page.evaluate("window.notReloaded = true")
    button.click()

    expect(page.get_by_role("status")).to_have_text("1 av 6 deltakere har kommet")
    if javascript:  # the row and count changed in place, keeping the scroll
        assert page.evaluate("window.notReloaded") is True
    else:  # back at the participant's row
        assert page.url.endswith(f"#deltaker-{first.pk}")
    assert page.get_by_role(
        "button", name=f"Angre: {first} har ikke kommet"
    ).is_visible()
    first.refresh_from_db()
    assert first.arrived_at is not None
    if javascript:  # both need scripts in the page
        assert fits(page)
        assert serious_accessibility_violations(page) == []
    assert recorder.console_errors == []
    screenshot(page, tmp_path, f"check-in-{'js' if javascript else 'no-js'}")


def test_mail_to_the_participants_is_written_previewed_and_sent_on_a_phone(
    live_server, context_factory, django_user_model, tmp_path
):
    user, device = kurs_user(django_user_model)
    course_date = a_date_today()
    page = context_factory(viewport=PHONE, has_touch=True, is_mobile=True).new_page()
    admin_log_in(page, live_server, user, device)

    page.goto(f"{live_server.url}/admin/courses/coursedate/{course_date.pk}/oversikt/")
    page.get_by_role("link", name="Send e-post til deltakerne").click()
    page.get_by_label("Emne").fill("Nytt rom")
    page.get_by_label("Tekst").fill("Vi er i rom 204 i andre etasje.")
    page.get_by_role("button", name="Forhåndsvis").click()

    assert (
        "Vi er i rom 204 i andre etasje."
        in page.locator(".message-preview").inner_text()
    )
    assert fits(page)
    assert serious_accessibility_violations(page) == []
    screenshot(page, tmp_path, "message-preview")
    page.get_by_role("button", name="Send til 6 adresser").click()

    assert "lagt i kø til de bekreftede deltakerne: 6 adresser" in page.inner_text(
        ".messagelist"
    )
    message = CourseDateMessage.objects.get()
    assert message.recipients == 6
    assert OutgoingEmail.objects.filter(kind="courses_participant_message").count() == 6
    screenshot(page, tmp_path, "message-sent")


def test_the_booking_and_phone_booking_pages_work_and_pass_axe(
    live_server, context_factory, django_user_model, tmp_path
):
    user, device = kurs_user(django_user_model)
    course_date = a_date_today()
    later = CourseDate.objects.create(
        course=course_date.course,
        starts_at=course_date.starts_at + timedelta(days=30),
        ends_at=course_date.ends_at + timedelta(days=30),
        place="Kulturhuset",
        capacity=4,
    )
    page = context_factory(viewport={"width": 1280, "height": 900}).new_page()
    admin_log_in(page, live_server, user, device)
    date_page = f"{live_server.url}/admin/courses/coursedate/{course_date.pk}/oversikt/"

    page.goto(date_page)
    page.get_by_role("link", name="Ny påmelding (tatt på telefon)").click()
    page.get_by_role("button", name="Lagre påmeldingen", exact=True).last.click()
    assert "Påmeldingen er ikke lagret." in page.inner_text("#content")
    assert serious_accessibility_violations(page) == []
    screenshot(page, tmp_path, "phone-booking-errors")

    page.goto(date_page)
    page.get_by_role("link", name="Flytt eller bytt deltaker").first.click()
    assert serious_accessibility_violations(page) == []
    screenshot(page, tmp_path, "booking")
    page.get_by_label("Ny dato").select_option(str(later.pk))
    page.get_by_role("button", name="Flytt", exact=True).click()

    told = page.inner_text(".messagelist")
    assert f"{later}: 2 av 4 plasser tatt, 2 ledige, 0 på venteliste." in told
    assert f"{course_date}: 4 av 12 plasser tatt, 8 ledige" in told
