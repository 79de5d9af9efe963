"""Hostile input in every field of the course sign-up: never a 500, nothing
half-saved, and what is stored shows escaped in staff pages."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courses.models import Booking
from tests.courses.conftest import CONTACT
from tests.glasoterapi.test_hostile_input import assert_answered, examples, hostile_text

pytestmark = pytest.mark.django_db


def signup_url(course_date) -> str:
    return f"/kurs/{course_date.course.slug}/{course_date.pk}/pamelding/"


@examples
@given(field=st.sampled_from(sorted(CONTACT)), value=hostile_text)
def test_sign_up_survives_anything_in_any_field(
    client, course_date, signup_data, field, value
):
    before = Booking.objects.count()

    response = client.post(signup_url(course_date), signup_data(**{field: value}))

    assert_answered(response)
    if response.status_code != 302:
        assert Booking.objects.count() == before  # nothing half-saved
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_stored_name_with_markup_is_escaped_in_the_participant_list(
    client, staff_client, course_date, signup_data
):
    script = "<script>alert(1)</script>"
    client.post(signup_url(course_date), signup_data(company=f"Firma {script}"))

    page = staff_client.get(
        f"/admin/courses/coursedate/{course_date.pk}/deltakerliste/"
    ).content.decode()

    assert script not in page
    assert "&lt;script&gt;" in page
