"""A version of the site's content, for the page cache: every save or delete of a
text, person, testimonial, question or image gives it a new one, so a cached page
never outlives an edit (as courses/catalogue.py does for the catalogue)."""

import logging
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from pages.models import Image, Page, Person, Question, Testimonial

logger = logging.getLogger(__name__)

VERSION_KEY = "content:version"


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY, "")
    return version


def content_changed(**kwargs) -> None:
    # Now, and again once committed: a request in between may have stored what it
    # read before the commit under the first new version.
    new_content_version()
    transaction.on_commit(new_content_version, robust=True)


def new_content_version() -> None:
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        # An edit must never fail because the cache does; pages are then at most
        # their cache lifetime old.
        logger.exception("event=content_version_not_saved")


def connect_signals() -> None:
    """Signals, as courses/catalogue.py: every write path (admin, services,
    erasure) is covered; they only renew the version."""
    for model in (Image, Page, Person, Question, Testimonial):
        uid = f"content-version-{model._meta.label}"
        post_save.connect(content_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(content_changed, sender=model, dispatch_uid=uid)
