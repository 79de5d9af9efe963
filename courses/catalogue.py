"""The version of the course catalogue, for the cached pages that list it: every
change to a course, a date or a booking gives it a new one, so a cached course list
never shows seats that have changed (core/page_versions.py)."""

from core.page_versions import PageVersion
from courses.models import Booking, Course, CourseDate

# Read for every visitor: a booking or an edit shows at once on every instance.
catalogue_version = PageVersion("courses:catalogue-version")


def connect_signals() -> None:
    # Bulk `update()`s of bookings change no seats.
    catalogue_version.follow(Course, CourseDate, Booking)
