# The course fixtures, for the staff overview's tests.
from tests.courses.conftest import (  # noqa: F401
    booking_factory,
    course_date_factory,
    course_factory,
    course_staff,
    staff_client,
    staff_factory,
)
