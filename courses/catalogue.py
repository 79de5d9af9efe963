"""A version of the course catalogue, for caching the pages that list it.

Every change to a course, a date or a booking gives the catalogue a new version, so
a cached course list is never shown after the seats it counts have changed. The
version lives in the shared cache (one value for every gunicorn process), and is
random rather than a counter, so that a version lost from the cache can never come
back as one an old page was stored under.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from courses.models import Booking, Course, CourseDate

logger = logging.getLogger(__name__)

VERSION_KEY = "courses:catalogue-version"


def catalogue_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY, "")
    return version


def catalogue_changed(**kwargs) -> None:
    # Now, for this process's next request, and again once the change is committed:
    # a request in between may have stored what it read before the commit under the
    # first new version.
    new_catalogue_version()
    transaction.on_commit(new_catalogue_version, robust=True)


def new_catalogue_version() -> None:
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        # A booking must never fail because the cache does; the course list is then
        # at most COURSE_LIST_CACHE_SECONDS old.
        logger.exception("event=catalogue_version_not_saved")


def connect_signals() -> None:
    """Signals, as contrib.sites clears its cache: every write path is covered, from
    services, admin and erasure alike. Bulk `update()`s of bookings change no seats."""
    for model in (Course, CourseDate, Booking):
        uid = f"catalogue-version-{model._meta.label}"
        post_save.connect(catalogue_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(catalogue_changed, sender=model, dispatch_uid=uid)
