import re

import pytest

from privacy.registry import CookieCategory, registry
from tests.browser.conftest import PageRecorder, serious_accessibility_violations

GOOGLE = re.compile(
    r"https://[^/]*(googletagmanager|google-analytics|analytics\.google)"
)


@pytest.fixture(autouse=True)
def analytics_on(analytics):
    """Every test here is about the banner, which shows only with analytics on."""


@pytest.fixture
def google_requests(page):
    """Requests to Google, answered at once with an empty script (this machine is
    offline): that they are made is what counts."""
    seen = []

    def answer_empty(route):
        seen.append(route.request.url)
        route.fulfill(status=200, content_type="text/javascript", body="")

    page.context.route(GOOGLE, answer_empty)
    return seen


def accept_statistics(page):
    page.get_by_role("button", name="Ja, det er greit").click()
    page.locator("[data-consent-banner]").wait_for(state="hidden")


def cookie_names(page) -> set[str]:
    return {cookie["name"] for cookie in page.context.cookies()}


def necessary_cookie_names() -> set[str]:
    return {c.name for c in registry.cookies_in(CookieCategory.NECESSARY)}


def test_first_visit_sets_only_necessary_cookies_and_stays_local(
    live_server, page, recorder
):
    page.goto(live_server.url + "/")

    assert page.locator("#cookie-consent").is_visible()
    assert cookie_names(page) <= necessary_cookie_names()
    assert recorder.third_party_requests() == []


def test_accepting_loads_google_analytics_and_only_then(
    live_server, page, google_requests
):
    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    assert google_requests == []

    accept_statistics(page)
    page.wait_for_load_state("networkidle")
    assert google_requests == []  # the page the choice was made on stays clean

    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    assert any(
        "googletagmanager.com/gtag/js?id=G-TEST12345" in u for u in google_requests
    )


def test_banner_closes_without_reload_and_returns_focus(live_server, page):
    page.goto(live_server.url + "/")
    page.evaluate("window.notReloaded = true")

    page.get_by_role("button", name="Nei takk").focus()
    page.keyboard.press("Enter")

    page.locator("[data-consent-banner]").wait_for(state="hidden")
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("document.activeElement.id") == "innhold"
    assert "samtykke" in cookie_names(page)


def test_withdrawal_deletes_planted_analytics_cookies_and_stops_google(
    live_server, page, google_requests
):
    page.goto(live_server.url + "/")
    accept_statistics(page)
    page.goto(live_server.url + "/")
    page.context.add_cookies(
        [
            {"name": "_ga", "value": "GA1.1.1.1", "url": live_server.url},
            {"name": "_ga_TEST12345", "value": "GS1.1.1", "url": live_server.url},
        ]
    )
    assert {"_ga", "_ga_TEST12345"} <= cookie_names(page)

    page.get_by_role("button", name="Trekk tilbake samtykke til statistikk").click()
    page.wait_for_load_state("networkidle")
    google_requests.clear()
    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")

    assert not {"_ga", "_ga_TEST12345"} & cookie_names(page)
    assert google_requests == []


def test_banner_works_with_javascript_disabled(live_server, context_factory):
    page = context_factory(java_script_enabled=False).new_page()
    page.goto(live_server.url + "/personvern/")

    page.get_by_role("button", name="Nei takk").click()

    assert page.url == live_server.url + "/personvern/"
    assert page.locator("#cookie-consent").count() == 0
    assert "samtykke" in cookie_names(page)


def test_every_cookie_after_a_full_visit_is_declared(
    live_server, page, google_requests
):
    for path in ["/kurs/", "/kontakt/", "/"]:
        page.goto(live_server.url + path)
    accept_statistics(page)
    page.goto(live_server.url + "/personvern/informasjonskapsler/")
    page.goto(live_server.url + "/")

    undeclared = [n for n in cookie_names(page) if registry.declared_cookie(n) is None]
    assert undeclared == []


def test_banner_and_settings_page_are_accessible(live_server, page):
    page.goto(live_server.url + "/")
    assert serious_accessibility_violations(page) == []

    page.goto(live_server.url + "/personvern/informasjonskapsler/")
    assert serious_accessibility_violations(page) == []

    page.goto(live_server.url + "/personvern/")
    assert serious_accessibility_violations(page) == []


@pytest.mark.parametrize(
    "path",
    [
        "/kjopsvilkar/",
        "/personvern/versjoner/2026-12/",
        "/personvern/versjoner/2026-11/",
        "/personvern/versjoner/2023-02/",
    ],
)
def test_the_terms_and_earlier_statements_are_accessible(live_server, page, path):
    page.goto(live_server.url + path)
    assert serious_accessibility_violations(page) == []


def test_settings_page_saves_a_choice_with_the_keyboard(
    live_server, page, google_requests
):
    recorder = PageRecorder(page)
    page.goto(live_server.url + "/personvern/informasjonskapsler/")

    page.get_by_role("checkbox", name="Statistikk").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Lagre valget").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")

    assert "statistikk: ja" in page.locator("main").inner_text()
    assert recorder.console_errors == []


def test_cookie_tables_fit_a_phone_with_every_column_named(
    live_server, context_factory
):
    page = context_factory(viewport={"width": 390, "height": 844}).new_page()
    page.goto(live_server.url + "/personvern/informasjonskapsler/")

    for wrap in page.locator(".table-wrap").all():
        assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth")
    last_cell = page.locator(".table--stacked tbody tr").first.locator("td").last
    shown_label = last_cell.evaluate(
        "td => getComputedStyle(td, '::before').getPropertyValue('content')"
    )
    assert shown_label.startswith('"Varighet"')
    # Still a table to screen readers, with its four columns.
    table = page.get_by_role("table").first
    assert table.get_by_role("columnheader").count() == 4
    assert table.get_by_role("cell").first.is_visible()
    assert serious_accessibility_violations(page) == []


PHONE = {"width": 390, "height": 844}


def test_banner_takes_at_most_a_quarter_of_a_phone_screen_with_equal_choices(
    live_server, context_factory
):
    page = context_factory(viewport=PHONE).new_page()
    page.goto(live_server.url + "/")

    banner = page.locator("[data-consent-banner]").bounding_box()
    assert banner["height"] <= PHONE["height"] * 0.25
    accept = page.get_by_role("button", name="Ja, det er greit")
    reject = page.get_by_role("button", name="Nei takk")
    accept_box, reject_box = accept.bounding_box(), reject.bounding_box()
    assert (accept_box["width"], accept_box["height"]) == (
        reject_box["width"],
        reject_box["height"],
    )
    look = (
        "b => ['backgroundColor', 'color', 'fontSize', 'fontWeight', 'border']"
        ".map(name => getComputedStyle(b)[name])"
    )
    assert accept.evaluate(look) == reject.evaluate(look)
