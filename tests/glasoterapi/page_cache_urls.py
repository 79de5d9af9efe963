"""Views that opt in to the page cache, to show what it does with a nonce and with a
cookie: the site's own cached pages use neither."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from core.visitor_cache import cache_for_visitors

PAGE = engines["django"].from_string(
    '<!doctype html><title>t</title><script nonce="{{ request.csp_nonce }}">1</script>'
    "<form method=post>{% csrf_token %}</form>"
)


TOKEN_IN_META = engines["django"].from_string(
    '<!doctype html><title>t</title><meta name="csrf" content="{{ csrf_token }}">'
)


def a_minute() -> int:
    return 60


@cache_for_visitors(seconds=a_minute)
def with_nonce(request):
    return HttpResponse(PAGE.render({}, request))


@cache_for_visitors(seconds=a_minute)
def with_cookie(request):
    response = HttpResponse(PAGE.render({}, request))
    response.set_cookie("visit", "1")
    return response


@cache_for_visitors(seconds=a_minute)
def with_token_in_meta(request):
    return HttpResponse(TOKEN_IN_META.render({}, request))


urlpatterns = [
    path("token-in-meta/", with_token_in_meta),
    path("nonce/", with_nonce),
    path("cookie/", with_cookie),
]
