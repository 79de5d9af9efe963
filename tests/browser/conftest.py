"""Real-browser tests: Debian's Chromium, headless, driven by Playwright.

Playwright is given the browser's path and never downloads one of its own.
"""

import os
import shutil
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

# Playwright's sync API runs an event loop in this thread; the tests still touch the
# database synchronously between browser steps, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
SERIOUS_IMPACTS = {"serious", "critical"}


# tests/conftest.py marks every test here `browser` and transactional.


@pytest.fixture(scope="session")
def groups_made_by_migrations(django_db_setup, django_db_blocker) -> dict:
    """The staff groups as the data migrations made them, read before any test
    ran: name -> the (app label, codename) of each of its permissions."""
    from django.contrib.auth.models import Group

    with django_db_blocker.unblock():
        return {
            group.name: list(
                group.permissions.values_list("content_type__app_label", "codename")
            )
            for group in Group.objects.prefetch_related("permissions")
        }


@pytest.fixture(autouse=True)
def staff_groups(transactional_db, groups_made_by_migrations):
    """Every test here finds the staff groups as migrated. Serialized rollback does
    not bring them back once Playwright runs: Django then hands this thread a new
    connection object without the serialized test database (pytest-django 4.14,
    Django 5.2), so a flush after a test empties them for the next, or leaves
    them pointing at permissions made again under other keys."""
    groups_restore(groups_made_by_migrations)


def groups_restore(groups: dict) -> None:
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.management import create_contenttypes
    from django.db.models import Q

    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)
    for name, permissions in groups.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = Q(pk__in=[])
        for app_label, codename in permissions:
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    path = chromium_path()
    if not path:
        pytest.skip("Chromium not installed: apt-get install chromium chromium-driver")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class PageRecorder:
    """Every request and console error a page makes, for assertions."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def _on_console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)

    def third_party_requests(self) -> list[str]:
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(url).hostname not in LOCAL_HOSTS
        ]


@pytest.fixture
def context_factory(browser):
    """New, isolated browser contexts (a fresh cookie jar each)."""
    contexts = []

    def make(**options):
        context = browser.new_context(locale="nb-NO", **options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(context_factory):
    return context_factory().new_page()


@pytest.fixture
def recorder(page):
    return PageRecorder(page)


def serious_accessibility_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']} "
        f"({[node['target'] for node in violation['nodes']]})"
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS_IMPACTS
    ]


# The password the admin tests give their staff users.
STAFF_PASSWORD = "et-langt-passord-123"


def admin_log_in(page, live_server, user, device):
    """Both steps of the staff login, as staff do it: password, then the code from
    the authenticator app `device`."""
    from django_otp.oath import TOTP

    page.goto(live_server.url + "/admin/")
    page.get_by_label("Brukernavn").fill(user.username)
    page.get_by_label("Passord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Kode").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Logg inn").click()
