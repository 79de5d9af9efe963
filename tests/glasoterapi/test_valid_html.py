"""Every kind of public page is valid HTML by the W3C Nu checker's rules (issue #17).

The pages are rendered with the test client on the demo content, written to files and
checked in one run of the Nu checker (vnu-jar from package-lock.json, `make
install-checks`), so the JVM starts once. Errors fail the test, each with its page,
line and message; warnings (the checker's "info" messages with subType "warning") are
listed with the errors but do not fail on their own; plain "info" messages are
advice about the checker itself and are dropped.
"""

import json
import os
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from courses.models import Booking
from courses.selectors import course_dates_upcoming
from tests.privacy.test_rights import OVERVIEW, verified_client

REPO = Path(__file__).resolve().parents[2]
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
IN_CI = bool(os.environ.get("CI"))

# A page the checker must refuse: proof, in the same run, that it checks at all.
CANARY = "<!DOCTYPE html><html lang=nb><title>x</title><p><div></p>"

pytestmark = pytest.mark.django_db


@pytest.fixture
def vnu() -> list[str]:
    """The command that runs the checker, or a skip (a failure in CI)."""
    java = shutil.which("java")
    missing = []
    if not java:
        missing.append("java (Java 11 or newer) is not on PATH")
    if not VNU_JAR.exists():
        missing.append(f"{VNU_JAR.relative_to(REPO)} is missing: make install-checks")
    if missing:
        reason = "the HTML check needs " + "; ".join(missing)
        if IN_CI:
            pytest.fail(f"in CI a missing checker is a failure: {reason}")
        pytest.skip(reason)
    return [java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always"]


@pytest.fixture
def demo_site(settings, business_identity, analytics):
    """The demo content, the business identity and Google Analytics configured, so
    that the consent banner shows on every page as a first-time visitor sees it."""
    call_command("seed_demo", stdout=StringIO())


def public_pages(client) -> dict[str, tuple[str, bytes]]:
    """File name -> (what was asked for, the HTML), for every kind of public page."""
    course_date = next(d for d in course_dates_upcoming() if not d.is_full)
    full_date = next(d for d in course_dates_upcoming() if d.is_full)
    course = reverse("courses:course_detail", args=[course_date.course.slug])
    signup = reverse("courses:signup", args=[course_date.course.slug, course_date.pk])
    waitlist = reverse("courses:signup", args=[full_date.course.slug, full_date.pk])
    gets = {
        "home": "/",
        "kurs": "/kurs/",
        "kurs-side": course,
        "pamelding": signup,
        "pamelding-venteliste": waitlist,
        "kontakt": "/kontakt/",
        "kontakt-takk": "/kontakt/takk/",
        "nyhetsbrev": "/nyhetsbrev/",
        "personvern": "/personvern/",
        "informasjonskapsler": "/personvern/informasjonskapsler/",
        "mine-data": "/personvern/mine-data/",
        "om-oss": "/om-oss/",
        "kjopsvilkar": "/kjopsvilkar/",
        "personvern-2026-12": "/personvern/versjoner/2026-12/",
        "personvern-2026-11": "/personvern/versjoner/2026-11/",
        "personvern-2023-02": "/personvern/versjoner/2023-02/",
    }
    pages = {}
    for name, path in gets.items():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        pages[name] = (f"GET {path}", response.content)

    not_found = client.get("/finnes-ikke/")
    assert not_found.status_code == 404
    pages["404"] = ("GET /finnes-ikke/ (404)", not_found.content)

    posts = {
        # A sign-up with nothing filled in: every required field has its error.
        "pamelding-feil": (signup, {"deltaker-TOTAL_FORMS": "1"}),
        "kontakt-feil": ("/kontakt/", {"email": "ikke-en-adresse", "message": ""}),
    }
    for name, (path, data) in posts.items():
        response = client.post(path, data)
        assert response.status_code == 200, (path, response.status_code)
        assert b'aria-invalid="true"' in response.content, path
        pages[name] = (f"POST {path} with errors", response.content)

    # Mine data for someone with a booking: the tables of their records.
    person = verified_client(Client(), email=Booking.objects.first().email)
    pages["mine-data-oversikt"] = (f"GET {OVERVIEW}", person.get(OVERVIEW).content)

    # After "Ja" to statistics: no banner, and Google's tag is on the page.
    client.post(
        "/personvern/informasjonskapsler/",
        {"choice": "accept", "next": "/", "source": "banner"},
    )
    pages["home-samtykke"] = ("GET / after consent", client.get("/").content)
    return pages


def checker_messages(command: list[str], files: list[Path]) -> list[dict]:
    run = subprocess.run(
        [*command, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # The JSON report goes to stderr (stdout stays empty with --format json).
    return json.loads(run.stderr or run.stdout)["messages"]


def describe(message: dict, names: dict[str, str]) -> str:
    page = names.get(Path(message.get("url", "")).name, message.get("url", "?"))
    kind = message.get("subType") or message["type"]
    return f"{page}, line {message.get('lastLine', '?')}: {kind}: {message['message']}"


def test_every_kind_of_public_page_is_valid_html(client, vnu, demo_site, tmp_path):
    pages = public_pages(client)
    assert b'class="consent' in pages["home"][1], "the banner should be shown"
    files, names = [], {}
    for name, (asked, html) in pages.items():
        file = tmp_path / f"{name}.html"
        file.write_bytes(html)
        files.append(file)
        names[file.name] = asked
    canary = tmp_path / "canary.html"
    canary.write_text(CANARY)

    messages = checker_messages(vnu, [*files, canary])

    assert any(
        m["type"] == "error" and m.get("url", "").endswith("canary.html")
        for m in messages
    ), "the checker did not refuse the invalid canary page: is it checking?"
    reported = [
        m
        for m in messages
        if not m.get("url", "").endswith("canary.html")
        and (m["type"] != "info" or m.get("subType") == "warning")
    ]
    if any(m["type"] != "info" for m in reported):
        pytest.fail("\n".join(describe(m, names) for m in reported), pytrace=False)
