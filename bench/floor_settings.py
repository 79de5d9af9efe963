"""The floor: the same settings with no middleware and one fixed view (floor_urls).

What the stack (gunicorn, WSGI, Django's handler and URL resolver) costs before the
site does any work of its own; each page is measured as a share of it.
"""

from glasoterapi.settings import *  # noqa: F403

MIDDLEWARE = []
ROOT_URLCONF = "bench.floor_urls"
