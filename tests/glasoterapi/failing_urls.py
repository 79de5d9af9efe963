"""URLs whose views fail, to show what a visitor sees when something breaks."""

from django.db import OperationalError
from django.urls import path

from glasoterapi.urls import handler500  # noqa: F401  (the site's own handler)


def database_down(request):
    raise OperationalError("connection to server at 127.0.0.1 failed")


def programming_error(request):
    raise ValueError("a bug")


def bug_quoting_input(request):
    raise ValueError(f"no booking for {request.POST.get('email')}")


urlpatterns = [
    path("database-down/", database_down),
    path("bug/", programming_error),
    path("bug-quoting-input/", bug_quoting_input),
]
