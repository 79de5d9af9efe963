import pytest
from django.core.cache import caches
from django.core.management import call_command

from core.ratelimit import client_ip, rate_limit_exceeded
from tests.conftest import run_at_once


def attempt(**overrides):
    options = {"scope": "test", "key": "klient", "limit": 3, "window_seconds": 3600}
    return rate_limit_exceeded(**(options | overrides))


@pytest.mark.django_db
def test_attempts_over_the_limit_are_refused():
    assert [attempt() for _ in range(5)] == [False, False, False, True, True]


@pytest.mark.django_db
def test_the_limit_is_per_key_and_per_window():
    for _ in range(3):
        attempt(now=1000.0)

    assert attempt(now=1000.0) is True
    assert attempt(key="en-annen", now=1000.0) is False
    assert attempt(now=1000.0 + 3600) is False


@pytest.fixture
def database_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "test_ratelimit_cache",
        }
    }
    call_command("createcachetable", verbosity=0)
    yield caches["default"]
    caches["default"].clear()


@pytest.mark.django_db(transaction=True)
def test_a_burst_is_counted_exactly_on_the_shared_database_cache(
    postgres, database_cache
):
    """The production default: every gunicorn process shares this cache."""
    results = run_at_once(lambda: attempt(limit=20), 30)

    assert results.count(False) == 20
    assert results.count(True) == 10


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.1"),  # no proxy: the header is anyone's claim
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # a forged entry is ignored
        (2, "203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (1, "", "10.0.0.1"),
    ],
)
def test_behind_a_proxy_the_visitors_own_address_is_used(
    rf, settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected
