from newsletter.models import Subscriber
from tests.browser.conftest import serious_accessibility_violations


def test_newsletter_sign_up_works_with_javascript_off(live_server, context_factory):
    page = context_factory(java_script_enabled=False).new_page()
    page.goto(live_server.url + "/nyhetsbrev/")

    page.get_by_label("Navn").fill("Kari Nordmann")
    page.get_by_label("E-postadresse").fill("kari@example.no")
    page.get_by_role("button", name="Meld meg på").click()
    assert "Kryss av for å bekrefte" in page.locator("main").inner_text()
    assert page.get_by_label("E-postadresse").input_value() == "kari@example.no"

    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Meld meg på").click()

    assert page.locator("h1").inner_text() == "Sjekk e-posten din"
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_newsletter_page_is_accessible_also_with_errors(live_server, page):
    page.goto(live_server.url + "/nyhetsbrev/")
    assert serious_accessibility_violations(page) == []

    page.get_by_role("button", name="Meld meg på").click()
    assert serious_accessibility_violations(page) == []
