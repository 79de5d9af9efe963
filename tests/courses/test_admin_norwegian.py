"""Finding 5 of issue 14: the course admin in Norwegian, with the site's formats."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from courses.models import Course
from tests.contact.conftest import form_fields
from tests.courses.test_catalogue import text

OSLO = ZoneInfo("Europe/Oslo")
ADD_COURSE = reverse("admin:courses_course_add")


def course_form(**changes) -> dict:
    data = {
        "title": "Nytt kurs",
        "slug": "nytt-kurs",
        "summary": "Kort.",
        "description": "Lang.",
        "price": "5 900,50",
        "vat_rate": "25",
        "price_includes_vat": "on",
        "dates-TOTAL_FORMS": "0",
        "dates-INITIAL_FORMS": "0",
        "dates-MIN_NUM_FORMS": "0",
        "dates-MAX_NUM_FORMS": "1000",
    }
    return data | changes


def test_a_form_error_is_told_in_norwegian(staff_client):
    """Finding: "Please correct the error below." (Django's nb catalogue has it
    only without the plural form the admin templates ask for)."""
    page = text(staff_client.post(ADD_COURSE, course_form(title="")))

    assert "Please correct" not in page
    assert "Rett feilen nedenfor." in page


def test_the_history_counts_entries_in_norwegian(staff_client, course_factory):
    """Finding: "1 entry"."""
    course = course_factory()
    LogEntry.objects.create(
        user_id=staff_client.session["_auth_user_id"],
        content_type=ContentType.objects.get_for_model(Course),
        object_id=str(course.pk),
        object_repr=str(course),
        action_flag=ADDITION,
    )

    page = text(
        staff_client.get(reverse("admin:courses_course_history", args=[course.pk]))
    )

    assert "1 oppføring" in page
    assert "entry" not in page


def test_the_erasure_page_counts_records_in_norwegian(admin_client, db):
    """Finding: "1 poster"."""
    from newsletter.services import subscription_request

    subscription_request(
        name="Kari Nordmann", email="kari@example.no", source="newsletter_page"
    )
    person = reverse("admin:privacy_act_for_person")

    found = text(admin_client.post(person, {"email": "kari@example.no"}))
    asked = text(admin_client.post(person, {"email": "kari@example.no", "do": "erase"}))

    for page in (found, asked):
        assert "1 post" in page
        assert "1 poster" not in page


def test_the_courses_web_address_is_not_called_adresse(staff_client):
    """Finding: "Adresse" (the slug) next to "Sted" (where the course is held)."""
    html = staff_client.get(ADD_COURSE).content.decode()

    assert '<label class="required" for="id_slug">Nettadresse (slug):</label>' in html


def test_prices_on_the_form_are_written_as_everywhere_else(
    staff_client, course_factory
):
    """Finding: "5900.00" on the form, "kr 4 500" in the list."""
    course = course_factory(price=Decimal("5900.00"))
    url = reverse("admin:courses_course_change", args=[course.pk])

    html = staff_client.get(url).content.decode()

    assert 'name="price" value="5 900"' in html
    assert 'name="vat_rate" value="25"' in html
    response = staff_client.post(
        ADD_COURSE, course_form(slug="kurs-med-ore", price="5 900,50")
    )
    assert response.status_code == 302
    assert Course.objects.get(slug="kurs-med-ore").price == Decimal("5900.50")


def test_date_and_time_fields_show_the_lists_format(staff_client, course_date_factory):
    """Finding: "2027-01-05 / 12:00:00" beside "05.01.2027 kl. 12.00"."""
    course_date = course_date_factory(starts_at=datetime(2027, 1, 5, 12, tzinfo=OSLO))
    url = reverse("admin:courses_coursedate_change", args=[course_date.pk])

    html = staff_client.get(url).content.decode()

    assert 'name="starts_at_0" value="05.01.2027"' in html
    assert 'name="starts_at_1" value="12.00"' in html


def test_a_new_course_is_a_draft_until_published(staff_client):
    """Finding: a new course was published by default."""
    data = form_fields(staff_client.get(ADD_COURSE), "course_form")
    assert "is_published" not in data  # unticked

    response = staff_client.post(ADD_COURSE, course_form())

    assert response.status_code == 302
    assert Course.objects.get(slug="nytt-kurs").is_published is False
