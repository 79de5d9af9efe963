"""The production settings without the consent middleware, to measure what it costs.

When the middleware is not installed this is simply the production stack again;
the benchmark then reports the comparison as not applicable.
"""

from glasoterapi.settings import *  # noqa: F403
from glasoterapi.settings import MIDDLEWARE as PRODUCTION_MIDDLEWARE

CONSENT_MIDDLEWARE = "privacy.middleware.ConsentMiddleware"

MIDDLEWARE = [name for name in PRODUCTION_MIDDLEWARE if name != CONSENT_MIDDLEWARE]
