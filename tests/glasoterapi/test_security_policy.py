"""CSRF on every POST, and a CSP without unsafe-inline or unsafe-eval on every page,
admin included."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import login_with_second_factor

pytestmark = pytest.mark.django_db

# Public forms, and the one form that is deliberately exempt.
CSRF_PROTECTED = [
    "/kontakt/",
    "/nyhetsbrev/",
    "/personvern/informasjonskapsler/",
    "/personvern/mine-data/",
    "/admin/login/",
]
# RFC 8058 one-click unsubscribe is posted by mail clients without a form; the
# signed token in the URL is the proof.
CSRF_EXEMPT = {"newsletter.views.unsubscribe"}


@pytest.mark.parametrize("path", CSRF_PROTECTED)
def test_a_post_without_a_csrf_token_is_refused(path):
    response = Client(enforce_csrf_checks=True).post(path, {"email": "a@example.no"})

    assert response.status_code == 403


def all_views(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from all_views(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_only_the_one_click_unsubscribe_is_csrf_exempt():
    exempt = {
        f"{callback.__module__}.{callback.__name__}"
        for _, callback in all_views()
        if getattr(callback, "csrf_exempt", False)
    }

    assert exempt == CSRF_EXEMPT


PAGES = [
    "/",
    "/kurs/",
    "/kontakt/",
    "/kontakt/takk/",
    "/nyhetsbrev/",
    "/personvern/",
    "/personvern/informasjonskapsler/",
    "/personvern/mine-data/",
    "/finnes-ikke/",
]
ADMIN_PAGES = [
    "/admin/",
    "/admin/contact/inquiry/",
    "/admin/courses/course/add/",
    "/admin/courses/booking/",
    "/admin/newsletter/subscriber/",
    "/admin/newsletter/subscriber/add/",
    "/admin/privacy/datasubjectrequest/person/",
    "/admin/auth/user/",
]


def assert_strict_csp(response):
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "default-src 'self'" in policy


@pytest.mark.parametrize("path", PAGES)
def test_every_public_page_has_a_strict_csp(client, path):
    assert_strict_csp(client.get(path))


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_every_admin_page_has_a_strict_csp(admin_user, path):
    response = login_with_second_factor(Client(), admin_user).get(path)

    assert response.status_code == 200
    assert_strict_csp(response)
