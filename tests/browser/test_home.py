from io import StringIO

import pytest
from django.core.management import call_command

from tests.browser.conftest import serious_accessibility_violations


def test_home_page_loads_nothing_from_third_parties(live_server, page, recorder):
    page.goto(live_server.url + "/")

    assert page.locator("h1").inner_text() == "Kurs og seminarer i glasoterapi"
    assert recorder.requests, "the recorder saw no request at all"
    assert recorder.third_party_requests() == []


def test_home_page_has_no_console_errors(live_server, page, recorder):
    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")

    assert recorder.console_errors == []


def test_home_page_has_no_serious_accessibility_violations(live_server, page):
    page.goto(live_server.url + "/")

    assert serious_accessibility_violations(page) == []


def test_skip_link_moves_focus_to_main_content(live_server, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == (
        "Hopp til hovedinnholdet"
    )
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "innhold"


@pytest.fixture
def demo_content(db):
    call_command("seed_demo", stdout=StringIO())


@pytest.mark.parametrize("path", ["/", "/om-oss/", "/kjopsvilkar/"])
def test_content_pages_have_no_serious_accessibility_violations(
    live_server, page, recorder, demo_content, path
):
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")

        assert serious_accessibility_violations(page) == [], (path, width)
    assert recorder.console_errors == []
    assert recorder.third_party_requests() == []


def test_the_home_page_image_loads_as_webp_with_its_size_reserved(
    live_server, page, demo_content
):
    page.goto(live_server.url + "/")
    image = page.locator(".hero__image img")
    image.wait_for()

    assert page.evaluate(
        "document.querySelector('.hero__image img').currentSrc"
    ).endswith(".webp")
    assert image.get_attribute("width") == "960"
    assert image.get_attribute("height") == "600"
    assert page.evaluate("document.querySelector('.hero__image img').naturalWidth") > 0
