import email
import os
import socket
import threading
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache, caches
from django.db import connection
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

IN_CI = bool(os.environ.get("CI"))
MEASUREMENT_ID = "G-TEST12345"


@pytest.fixture(autouse=True)
def fast_test_settings(settings, tmp_path, tmp_path_factory):
    """Fast, isolated settings: MD5 hashing, a per-process cache, plain static, an
    erasure journal and uploaded images of the test's own."""
    settings.PRIVACY_ERASURE_JOURNAL = str(tmp_path / "erasure-journal.jsonl")
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    settings.SERVE_MEDIA = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MAIL_SEND_ON_COMMIT = False  # tests run the worker themselves
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "fragments",
        },
    }
    # Rate limits, counters and rendered fragments start afresh in every test.
    cache.clear()
    caches["fragments"].clear()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture
def analytics(settings):
    """Google Analytics configured, as in production."""
    settings.GA_MEASUREMENT_ID = MEASUREMENT_ID
    return MEASUREMENT_ID


# The business as production names it: unlike the DEBUG placeholders, so a test
# sees that the settings are read.
BUSINESS_IDENTITY = {
    "BUSINESS_LEGAL_NAME": "Glasoterapi AS",
    "BUSINESS_ORGNR": "310123455",
    "BUSINESS_ADDRESS": "Storgata 1, 0155 Oslo",
    "BUSINESS_PHONE": "+47 22 33 44 55",
    "BUSINESS_EMAIL": "post@glasoterapi.no",
}
# Who receives personal data, as production names them.
RECIPIENTS = {
    "PRIVACY_EMAIL_PROVIDER": "Postmann AS, Norge",
    "PRIVACY_ACCOUNTING_SYSTEM": "Regnskapshuset AS, Norge",
}


@pytest.fixture
def business_identity(settings):
    settings.BUSINESS_NAME = "Glasoterapi"
    for name, value in BUSINESS_IDENTITY.items():
        setattr(settings, name, value)


def login_with_second_factor(client, user):
    """Log `user` in as after both steps: password, then a confirmed authenticator
    app whose code was accepted (the session state django-otp's login leaves)."""
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="Testapp", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin client, past the second factor like real staff."""
    return login_with_second_factor(client, admin_user)


@pytest.fixture
def postgres(db):
    """For guarantees that only PostgreSQL gives (row locks between connections)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")


BROWSER_TESTS = Path(__file__).parent / "browser"


def pytest_collection_modifyitems(items):
    for item in items:
        if "postgres" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres_only)
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))
        restore_rows_made_by_migrations(item)


def restore_rows_made_by_migrations(item):
    """A transactional test empties every table when it ends, staff groups made by
    data migrations included; serialized rollback puts them back, so later tests
    (and the next run with --reuse-db) still have them."""
    marker = item.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        options = {**marker.kwargs, "serialized_rollback": True}
        # Prepended: pytest-django reads the closest (first) django_db marker.
        item.add_marker(pytest.mark.django_db(**options), append=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skipped browser test, or a skipped PostgreSQL test while running on
    PostgreSQL, is a failure: a missing Chromium must not pass as green."""
    report = yield
    if IN_CI and report.skipped and must_not_skip_in_ci(item):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which counts as a failure: {report.longrepr}"
    return report


def must_not_skip_in_ci(item) -> bool:
    if item.get_closest_marker("browser"):
        return True
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    return bool(item.get_closest_marker("postgres_only")) and on_postgres


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpSink:
    """A real SMTP server on loopback that keeps what it receives."""

    def __init__(self):
        self.messages: list[email.message.Message] = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


@pytest.fixture
def smtp_sink_factory(settings):
    """Start a real SMTP server on 127.0.0.1 and route the site's mail to it."""
    sinks = []

    def start() -> SmtpSink:
        sink = SmtpSink()
        sink.start()
        sinks.append(sink)
        use_smtp(settings, sink.port)
        return sink

    yield start
    for sink in sinks:
        sink.stop()


@pytest.fixture
def smtp_sink(smtp_sink_factory):
    return smtp_sink_factory()


@pytest.fixture
def smtp_down(settings):
    """Route the site's mail to a port where no server listens."""
    use_smtp(settings, free_port())


def run_at_once(task, times: int) -> list:
    """`task()` in `times` threads released together, each with its own database
    connection (for tests of what happens at the same moment): their results, in
    the order they finished. Fails the test if any of them raised."""
    start = threading.Barrier(times)
    results: list = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait(timeout=30)
            results.append(task())
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results
