"""Passkeys in headless Chromium, with the DevTools protocol's virtual authenticator
standing in for a phone or security key (the real WebAuthn ceremony, no mock)."""

import re

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from tests.browser.conftest import PageRecorder, serious_accessibility_violations

PASSWORD = "et-langt-passord-123"


@pytest.fixture
def passkey_site(settings, live_server):
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    assert live_server.url.startswith("http://localhost:")
    return live_server.url


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "kari", "kari@glasoterapi.no", PASSWORD, is_staff=True, is_superuser=True
    )


def with_virtual_authenticator(page) -> None:
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def log_in_with_password(page, site: str) -> None:
    page.goto(site + "/admin/")
    page.get_by_label("Brukernavn").fill("kari")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()


def test_staff_enrol_a_passkey_at_first_login_and_log_in_with_it(
    passkey_site, page, staff
):
    with_virtual_authenticator(page)
    recorder = PageRecorder(page)

    log_in_with_password(page, passkey_site)
    assert page.url.endswith("/admin/2fa/oppsett/")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Registrer en passnøkkel").click()
    page.wait_for_url(re.compile(r"/admin/2fa/reservekoder/$"))
    assert page.locator(".backup-codes code").count() == 10
    assert WebAuthnCredential.objects.filter(user=staff, confirmed=True).count() == 1

    page.get_by_role("button", name="Logg ut").click()
    log_in_with_password(page, passkey_site)
    assert page.url.endswith("/admin/2fa/")
    page.get_by_role("button", name="Logg inn med passnøkkel").click()
    page.wait_for_url(re.compile(r"/admin/$"))

    assert page.get_by_role("heading", name="Administrasjon").is_visible()
    assert recorder.console_errors == []
    assert recorder.third_party_requests() == []


def test_a_verified_staff_member_adds_a_passkey_beside_the_app(
    passkey_site, page, staff
):
    device = TOTPDevice.objects.create(user=staff, name="App", confirmed=True)
    with_virtual_authenticator(page)
    log_in_with_password(page, passkey_site)
    page.get_by_label("Kode").fill(code_from(device))
    page.get_by_role("button", name="Logg inn").click()

    page.get_by_role("link", name="Innlogging i to trinn").click()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Registrer en passnøkkel").click()
    page.get_by_text("Passnøkkelen er lagt til.").wait_for()

    assert WebAuthnCredential.objects.filter(user=staff, confirmed=True).count() == 1
    devices = page.locator(".two-factor__devices").inner_text()
    assert "Passnøkkel lagt til" in devices
    assert "Autentiseringsapp «App» lagt til" in devices
    assert serious_accessibility_violations(page) == []


def test_the_device_page_fits_a_phone(passkey_site, context_factory, staff):
    first = TOTPDevice.objects.create(user=staff, name="App", confirmed=True)
    TOTPDevice.objects.create(user=staff, name="Gammel telefon", confirmed=True)
    page = context_factory(viewport={"width": 390, "height": 844}).new_page()
    log_in_with_password(page, passkey_site)
    page.get_by_label("Kode").fill(code_from(first))
    page.get_by_role("button", name="Logg inn").click()

    page.goto(passkey_site + "/admin/2fa/enheter/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.get_by_role("link", name="Fjern autentiseringsapp «gammel").is_visible()
    assert serious_accessibility_violations(page) == []


def code_from(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"
