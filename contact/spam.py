"""Spam protection for the contact form, with no third party involved.

Three independent checks: a honeypot field that people never see, a signed
timestamp that proves the form was shown at least `CONTACT_MIN_FILL_SECONDS`
before it came back, and a limit on submissions per client per hour, counted in
the shared cache so that it holds across every gunicorn process and host.
"""

import time

from django.conf import settings
from django.core import signing

from core.ratelimit import client_rate_limited

HONEYPOT_FIELD = "website"
STARTED_FIELD = "started"
STARTED_SALT = "contact.form.started"
# A form left open longer than this is shown again with a fresh timestamp, so an
# old copied token cannot be replayed by a bot for ever.
MAX_FORM_AGE_SECONDS = 24 * 60 * 60
# Clocks on different hosts may disagree a little.
CLOCK_SKEW_SECONDS = 60
RATE_WINDOW_SECONDS = 60 * 60


def started_token(*, now: float | None = None) -> str:
    """A signed "the form was shown at" timestamp for the hidden field."""
    return signing.dumps(time.time() if now is None else now, salt=STARTED_SALT)


def fill_time_problem(token: str | None, *, now: float | None = None) -> str | None:
    """Why the form's timestamp is unacceptable ("too_fast", "expired", "invalid"),
    or None when the form was filled in at a human pace."""
    now = time.time() if now is None else now
    try:
        started = float(signing.loads(token or "", salt=STARTED_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return "invalid"
    age = now - started
    if age < -CLOCK_SKEW_SECONDS:
        return "invalid"
    if age > MAX_FORM_AGE_SECONDS:
        return "expired"
    if age < settings.CONTACT_MIN_FILL_SECONDS:
        return "too_fast"
    return None


def contact_rate_limited(request) -> bool:
    """Count one submission from this client; True when it is over the limit of
    `CONTACT_RATE_LIMIT` per hour (core.ratelimit: shared cache, keyed hash
    of the IP address, lets the submission through if the cache is down)."""
    return client_rate_limited(
        request,
        scope="contact",
        limit=settings.CONTACT_RATE_LIMIT,
        window_seconds=RATE_WINDOW_SECONDS,
    )
