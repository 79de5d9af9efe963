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
