"""How a view opts in to the project's page cache for anonymous visitors
(glasoterapi/pagecache.py, which reads the mark this leaves on the view)."""

import dataclasses
from collections.abc import Callable, Mapping

from django.conf import settings


@dataclasses.dataclass(frozen=True)
class VisitorCache:
    seconds: Callable[[], int]
    # Part of the cache key: a value that changes whenever the page's data does.
    version: Callable[[], str] | None = None
    # Hidden inputs whose value each visitor gets new: name -> what makes one.
    fresh_inputs: Mapping[str, Callable[[], str]] = dataclasses.field(
        default_factory=dict
    )


def content_page_seconds() -> int:
    """How long a page whose data changes only when staff edit it (or never) is
    kept: the content pages, the empty contact form, the privacy statement."""
    return settings.CONTENT_PAGE_CACHE_SECONDS


def cache_for_visitors(
    *,
    seconds: Callable[[], int],
    version: Callable[[], str] | None = None,
    fresh_inputs: Mapping[str, Callable[[], str]] | None = None,
):
    """Lets `VisitorPageCacheMiddleware` keep this view's page for `seconds()`.

    Only for views whose page depends on nothing but the path, whether the visitor
    has made a cookie choice, the time and `version()`, except for the values of
    the hidden inputs named in `fresh_inputs` (a form's signed timestamp, say),
    which every visitor gets made anew.
    """

    def decorator(view):
        view.visitor_cache = VisitorCache(
            seconds=seconds, version=version, fresh_inputs=fresh_inputs or {}
        )
        return view

    return decorator
