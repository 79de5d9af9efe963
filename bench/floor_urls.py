"""URLs of the floor server: a fixed small response, plus the health check that the
benchmark polls to know the server is up."""

from django.http import HttpResponse
from django.urls import path

from glasoterapi.views import health

BODY = b"<!doctype html><title>floor</title><p>ok</p>\n"


def floor(request):
    return HttpResponse(BODY)


urlpatterns = [
    path("", floor),
    path("helse/", health),
]
