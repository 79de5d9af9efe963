"""Versions of the data that cached pages show (the course catalogue, the site's
texts), for the keys of the visitor page cache (core/visitor_cache.py).

A version lives in the shared cache, one value for every gunicorn process, and every
change to its data gives it a new one, so a cached page never outlives the change.
It is random rather than a counter, so that a version lost from the cache can never
come back as one an old page was stored under.

A version may be read by each process at most once every `read_every_seconds`
(reading the site's texts' version for every visitor cost more than the rest of a
cached home page). A change then shows in other processes' cached pages up to that
long after it is committed, and at once in the process that made it.
"""

from __future__ import annotations

import logging
import time
import uuid

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)


class PageVersion:
    def __init__(self, key: str, *, read_every_seconds: float = 0):
        self.key = key
        self.read_every_seconds = read_every_seconds
        # (version, when it was read): one attribute, so that a thread never sees
        # the one without the other.
        self.last_read: tuple[str, float] | None = None

    def __call__(self) -> str:
        now = time.monotonic()
        if self.last_read and 0 <= now - self.last_read[1] < self.read_every_seconds:
            return self.last_read[0]
        version = cache.get(self.key)
        if version is None:
            cache.add(self.key, uuid.uuid4().hex, timeout=None)
            version = cache.get(self.key, "")
        self.last_read = (version, now)
        return version

    def renew(self) -> None:
        version = uuid.uuid4().hex
        self.last_read = (version, time.monotonic())
        try:
            cache.set(self.key, version, timeout=None)
        except Exception:
            # A change must never fail because the cache does; other processes'
            # pages are then at most their cache lifetime old.
            logger.exception("event=page_version_not_saved key=%s", self.key)

    def changed(self, **kwargs) -> None:
        """Receives the models' signals: a new version now, for this process's next
        request, and again once the change is committed, because a request in
        between may have stored what it read before the commit under the first."""
        self.renew()
        transaction.on_commit(self.renew, robust=True)

    def follow(self, *model_classes: type[models.Model]) -> None:
        """A new version on every save or delete of these models, from services,
        admin and erasure alike (signals, as contrib.sites clears its cache). Bulk
        `update()`s send no signal."""
        for model in model_classes:
            uid = f"{self.key}-{model._meta.label}"
            post_save.connect(self.changed, sender=model, dispatch_uid=uid)
            post_delete.connect(self.changed, sender=model, dispatch_uid=uid)
