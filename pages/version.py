"""The version of the site's content, for the page cache: every save or delete of a
text, person, testimonial, question or image gives it a new one, so a cached page
never outlives an edit (core/page_versions.py)."""

from core.page_versions import PageVersion
from pages.models import Image, Page, Person, Question, Testimonial

# Read at most once a second per process: an edit shows within a second everywhere.
content_version = PageVersion("content:version", read_every_seconds=1)


def connect_signals() -> None:
    content_version.follow(Image, Page, Person, Question, Testimonial)
