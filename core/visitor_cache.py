"""How a view opts in to the project's page cache for anonymous visitors
(glasoterapi/pagecache.py, which reads the mark this leaves on the view)."""

import dataclasses
from collections.abc import Callable


@dataclasses.dataclass(frozen=True)
class VisitorCache:
    seconds: Callable[[], int]
    # Part of the cache key: a value that changes whenever the page's data does.
    version: Callable[[], str] | None = None


def cache_for_visitors(
    *, seconds: Callable[[], int], version: Callable[[], str] | None = None
):
    """Lets `VisitorPageCacheMiddleware` keep this view's page for `seconds()`.

    Only for views whose page depends on nothing but the path, whether the visitor
    has made a cookie choice, the time and `version()`.
    """

    def decorator(view):
        view.visitor_cache = VisitorCache(seconds=seconds, version=version)
        return view

    return decorator
