import pytest
from django.core.cache import cache

from contact.models import Inquiry
from outbox.models import OutgoingEmail
from tests.browser.conftest import serious_accessibility_violations

TYPED = {
    "first_name": "Åse",
    "last_name": "Ørjasæter",
    "email": "ase@example.no",
    "phone": "912 34 567",
    "company": "Glassverkstedet AS",
    "message": "Hei! Har dere kurs i Bodø i vår?",
}


@pytest.fixture(autouse=True)
def form_can_be_sent_at_once(settings):
    """The keyboard is faster than the minimum fill time; that check has its own
    tests in tests/contact."""
    settings.CONTACT_MIN_FILL_SECONDS = 0
    cache.clear()


def focused_field(page) -> str:
    return page.evaluate(
        "document.activeElement.name || document.activeElement.tagName"
    )


def tab_to(page, name: str) -> None:
    for _ in range(30):
        page.keyboard.press("Tab")
        if focused_field(page) == name:
            return
    raise AssertionError(f"Tab never reached {name}")


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_contact_form_can_be_filled_in_and_sent_with_the_keyboard_alone(
    live_server, context_factory, javascript
):
    page = context_factory(java_script_enabled=javascript).new_page()
    page.goto(live_server.url + "/kontakt/")

    tab_to(page, "first_name")
    for name, text in TYPED.items():
        assert focused_field(page) == name
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    # The unticked newsletter box, then the button: the honeypot is not in the way.
    assert focused_field(page) == "newsletter"
    page.keyboard.press("Tab")
    assert focused_field(page) == "BUTTON"
    page.keyboard.press("Enter")
    page.wait_for_url("**/kontakt/takk/")

    assert page.locator("h1").inner_text() == "Takk for henvendelsen"
    inquiry = Inquiry.objects.get()
    assert (inquiry.first_name, inquiry.phone) == ("Åse", "+4791234567")
    assert inquiry.message == TYPED["message"]
    assert OutgoingEmail.objects.filter(to="ase@example.no").count() == 1


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_mistakes_are_shown_next_to_the_field_and_the_rest_is_kept(
    live_server, context_factory, javascript
):
    page = context_factory(java_script_enabled=javascript).new_page()
    page.goto(live_server.url + "/kontakt/")
    for name, text in TYPED.items():
        page.fill(f"[name={name}]", "12" if name == "phone" else text)
    page.click("button[type=submit]")
    page.wait_for_load_state()

    phone = page.get_by_label("Telefon")
    assert phone.get_attribute("aria-invalid") == "true"
    assert "id_phone_error" in phone.get_attribute("aria-describedby")
    assert (
        "Skriv et telefonnummer med åtte sifre"
        in page.locator("#id_phone_error").inner_text()
    )
    assert page.get_by_label("Fornavn").input_value() == "Åse"
    assert page.get_by_label("Melding").input_value() == TYPED["message"]
    assert page.title().startswith("Feil:")
    assert Inquiry.objects.count() == 0


def test_every_invalid_field_is_marked_like_the_others(live_server, page):
    """Finding: only the message box got the red border; the input rule outranked
    the one for aria-invalid."""
    page.goto(live_server.url + "/kontakt/")
    page.fill("[name=phone]", "12")
    page.fill("[name=email]", "ikke-en-adresse")
    page.evaluate("document.querySelector('form').noValidate = true")
    page.click("button[type=submit]")
    page.wait_for_load_state()

    def border(name):
        return page.eval_on_selector(
            f"[name={name}]", "field => getComputedStyle(field).borderTopColor"
        )

    invalid = [border(name) for name in ("first_name", "email", "phone", "message")]
    assert page.get_by_label("Telefon").get_attribute("aria-invalid") == "true"
    assert len(set(invalid)) == 1
    assert invalid[0] != border("company")  # valid (empty and optional)


def test_honeypot_is_out_of_sight(live_server, page):
    page.goto(live_server.url + "/kontakt/")

    box = page.locator("#id_website").bounding_box()
    assert box is None or box["x"] + box["width"] <= 0


def test_contact_form_has_no_serious_accessibility_violations(live_server, page):
    page.goto(live_server.url + "/kontakt/")
    assert serious_accessibility_violations(page) == []

    page.click("button[type=submit]")  # everything empty: every required field
    page.wait_for_load_state()
    assert page.locator(".errorlist").count() >= 4
    assert serious_accessibility_violations(page) == []


def test_thank_you_page_has_no_serious_accessibility_violations(live_server, page):
    page.goto(live_server.url + "/kontakt/takk/")

    assert serious_accessibility_violations(page) == []


def test_contact_pages_load_nothing_from_third_parties(live_server, page, recorder):
    page.goto(live_server.url + "/kontakt/")
    page.wait_for_load_state("networkidle")

    assert recorder.third_party_requests() == []
    assert recorder.console_errors == []


def test_after_a_failed_send_the_error_summary_has_the_focus(
    live_server, context_factory
):
    page = context_factory(viewport={"width": 390, "height": 844}).new_page()
    page.goto(live_server.url + "/kontakt/")
    page.get_by_role("button", name="Send").click()

    # Autofocus happens at the first rendering after load: wait for it (5 s at most).
    page.wait_for_function(
        "document.activeElement.className === 'error-summary'", timeout=5000
    )
    assert "Henvendelsen ble ikke sendt" in page.locator(".error-summary").inner_text()
    assert serious_accessibility_violations(page) == []
