import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import run_at_once

pytestmark = pytest.mark.django_db
PASSWORD = "et-langt-passord-123"
ADMIN_PAGES = ["/admin/", "/admin/privacy/consentrecord/", "/admin/auth/user/"]


@pytest.fixture
def staff_user():
    return User.objects.create_user(
        "kari", "kari@glasoterapi.no", PASSWORD, is_staff=True, is_superuser=True
    )


def password_login(client):
    response = client.post("/admin/login/", {"username": "kari", "password": PASSWORD})
    assert response.status_code == 302
    return response


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="App", confirmed=True)


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_a_password_alone_never_reaches_an_admin_page(client, staff_user, page):
    enrolled(staff_user)
    password_login(client)

    response = client.get(page)

    assert response.status_code == 302
    assert response["Location"] == "/admin/2fa/"


def test_first_login_asks_to_enrol_an_app_with_a_qr_code(client, staff_user):
    password_login(client)

    response = client.get("/admin/", follow=True)

    content = response.content.decode()
    assert response.redirect_chain[-1][0] == "/admin/2fa/oppsett/"
    assert "<svg" in content
    assert "Skann QR-koden" in content
    device = TOTPDevice.objects.get(user=staff_user, confirmed=False)
    assert "otpauth://totp/" in device.config_url


def test_enrolling_with_a_correct_code_opens_the_admin_and_shows_backup_codes(
    client, staff_user
):
    password_login(client)
    client.get("/admin/2fa/oppsett/")
    device = TOTPDevice.objects.get(user=staff_user)

    response = client.post(
        "/admin/2fa/oppsett/", {"token": current_code(device)}, follow=True
    )

    codes = re.findall(r"<code>(\w+)</code>", response.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200
    # Shown once: a reload goes to the device page and makes no new codes.
    assert client.get("/admin/2fa/reservekoder/")["Location"] == "/admin/2fa/enheter/"
    assert StaticToken.objects.filter(token__in=codes).count() == 10


def test_a_wrong_code_does_not_enrol(client, staff_user):
    password_login(client)
    client.get("/admin/2fa/oppsett/")

    response = client.post("/admin/2fa/oppsett/", {"token": "000000"})

    assert "Koden stemmer ikke" in response.content.decode()
    assert not TOTPDevice.objects.get(user=staff_user).confirmed
    assert client.get("/admin/").status_code == 302


def test_a_correct_code_from_the_app_reaches_the_admin(client, staff_user):
    device = enrolled(staff_user)
    password_login(client)

    response = client.post("/admin/2fa/", {"token": current_code(device)})

    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused(client, staff_user):
    enrolled(staff_user)
    password_login(client)

    response = client.post("/admin/2fa/", {"token": "123456"})

    assert "Koden stemmer ikke" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_code_sent_again_at_once_after_a_wrong_one_is_told_to_wait(
    client, staff_user
):
    device = enrolled(staff_user)
    password_login(client)
    client.post("/admin/2fa/", {"token": "123456"})

    response = client.post("/admin/2fa/", {"token": current_code(device)})

    assert "Prøv igjen om 1 sekund," in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_backup_code_works_once(client, staff_user):
    device = enrolled(staff_user)
    from staff.twofactor import backup_codes_replace

    code = backup_codes_replace(user=device.user)[0]
    password_login(client)
    assert client.post("/admin/2fa/", {"token": code})["Location"] == "/admin/"
    client.post("/admin/logout/")
    device.refresh_from_db()
    device.throttle_reset()  # the app's pause after the code it did not match

    password_login(client)
    response = client.post("/admin/2fa/", {"token": code})

    assert response.status_code == 200
    assert "Koden stemmer ikke, eller den er brukt før." in response.content.decode()
    assert not StaticToken.objects.filter(token=code).exists()


def test_the_reset_command_makes_the_user_enrol_again(client, staff_user):
    enrolled(staff_user)
    out = StringIO()

    call_command("reset_2fa", "kari", stdout=out)

    assert "Fjernet 1 enhet og logget kari ut overalt" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=staff_user, confirmed=True).exists()
    password_login(client)
    assert client.get("/admin/")["Location"] == "/admin/2fa/oppsett/"


def test_the_2fa_pages_need_the_password_first(client):
    response = client.get("/admin/2fa/oppsett/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_createsuperuser_then_first_login_enrols(client):
    call_command(
        "createsuperuser",
        "--noinput",
        "--username=eier",
        "--email=eier@glasoterapi.no",
        stdout=StringIO(),
    )
    user = User.objects.get(username="eier")
    user.set_password(PASSWORD)
    user.save()

    client.post("/admin/login/", {"username": "eier", "password": PASSWORD})

    assert client.get("/admin/")["Location"] == "/admin/2fa/oppsett/"


def test_a_password_alone_cannot_enrol_a_new_app_over_a_confirmed_one(
    client, staff_user
):
    """Finding: with the password only, /admin/2fa/oppsett/ gave a fresh secret
    whose code opened the admin and replaced the owner's backup codes."""
    enrolled(staff_user)
    from staff.twofactor import backup_codes_replace

    owners_codes = backup_codes_replace(user=staff_user)
    password_login(client)

    shown = client.get("/admin/2fa/oppsett/")
    posted = client.post("/admin/2fa/oppsett/", {"token": "123456"})

    assert shown["Location"] == posted["Location"] == "/admin/2fa/"
    assert not TOTPDevice.objects.filter(user=staff_user, confirmed=False).exists()
    assert client.get("/admin/").status_code == 302
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(owners_codes)


def test_a_pending_app_from_a_confirmed_users_old_setup_cannot_be_confirmed(
    client, staff_user
):
    enrolled(staff_user)
    stale = TOTPDevice.objects.create(user=staff_user, name="Gammel", confirmed=False)
    password_login(client)

    client.post("/admin/2fa/oppsett/", {"token": current_code(stale)})

    stale.refresh_from_db()
    assert not stale.confirmed
    assert client.get("/admin/").status_code == 302


def test_a_secret_shown_in_another_login_never_confirms(client, staff_user):
    other = Client()
    password_login(client)
    client.get("/admin/2fa/oppsett/")
    first_secret = TOTPDevice.objects.get(user=staff_user, confirmed=False)
    password_login(other)
    other.get("/admin/2fa/oppsett/")

    response = client.post("/admin/2fa/oppsett/", {"token": current_code(first_secret)})

    assert "Koden stemmer ikke" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_verified_user_adds_an_app_with_a_code_from_the_new_one(client, staff_user):
    old = enrolled(staff_user)
    from staff.twofactor import backup_codes_replace

    codes = backup_codes_replace(user=staff_user)
    password_login(client)
    client.post("/admin/2fa/", {"token": current_code(old)})
    client.get("/admin/2fa/oppsett/")
    new = TOTPDevice.objects.get(user=staff_user, confirmed=False)

    refused = client.post("/admin/2fa/oppsett/", {"token": current_code(old)})
    new.refresh_from_db()
    new.throttle_reset()  # django-otp's pause after the wrong code
    added = client.post("/admin/2fa/oppsett/", {"token": current_code(new)})

    assert "Koden stemmer ikke" in refused.content.decode()
    assert added["Location"] == "/admin/2fa/enheter/"
    assert TOTPDevice.objects.filter(user=staff_user, confirmed=True).count() == 2
    assert StaticToken.objects.filter(token__in=codes).count() == len(codes)


def test_the_device_pages_need_a_verified_session(client, staff_user):
    device = enrolled(staff_user)
    password_login(client)

    for path in ["/admin/2fa/enheter/", "/admin/2fa/reservekoder/"]:
        assert client.get(path)["Location"] == "/admin/2fa/"
    removed = client.post(f"/admin/2fa/enheter/app/{device.pk}/fjern/")
    replaced = client.post("/admin/2fa/reservekoder/")

    assert removed["Location"] == replaced["Location"] == "/admin/2fa/"
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not StaticToken.objects.exists()


def test_a_passkey_cannot_be_registered_with_the_password_alone(client, staff_user):
    enrolled(staff_user)
    password_login(client)

    response = client.post("/admin/2fa/passnokkel/registration/begin/")

    assert response.status_code == 403
    assert response.json()["code"] == "user_not_verified"
    assert response.json()["detail"].startswith("Bekreft med koden eller passnøkkelen")


def test_the_passkey_scripts_speak_norwegian(client, staff_user):
    password_login(client)

    catalog = client.get("/admin/2fa/passnokkel/jsi18n/").content.decode()

    assert "Registreringen ble avbrutt." in catalog


def test_the_last_device_cannot_be_removed(client, staff_user):
    device = enrolled(staff_user)
    password_login(client)
    client.post("/admin/2fa/", {"token": current_code(device)})

    response = client.post(f"/admin/2fa/enheter/app/{device.pk}/fjern/", follow=True)

    assert "Du kan ikke fjerne den siste" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_a_verified_user_removes_an_app_and_sees_its_devices(client, staff_user):
    kept = enrolled(staff_user)
    lost = TOTPDevice.objects.create(user=staff_user, name="Gammel", confirmed=True)
    password_login(client)
    client.post("/admin/2fa/", {"token": current_code(kept)})

    response = client.post(f"/admin/2fa/enheter/app/{lost.pk}/fjern/", follow=True)

    content = response.content.decode()
    assert "Enheten er fjernet." in content
    assert "Registrer en passnøkkel" in content
    assert "Du har 0 ubrukte reservekoder." in content
    assert list(TOTPDevice.objects.filter(user=staff_user)) == [kept]


def test_the_2fa_pages_are_never_cached(client, staff_user):
    password_login(client)

    response = client.get("/admin/2fa/oppsett/")

    assert "no-store" in response["Cache-Control"]


def test_an_erasure_through_mine_data_keeps_a_staff_members_second_factor(
    client, staff_user
):
    """Finding: whoever read a staff member's mailbox could erase their app and
    passkeys through Mine data, then log in with the password and enrol their own."""
    from django_otp_webauthn.models import WebAuthnCredential

    from privacy.services.rights import subject_erase

    enrolled(staff_user)
    WebAuthnCredential.objects.create(
        user=staff_user,
        name="Telefon",
        confirmed=True,
        credential_id=b"id",
        public_key=b"key",
        sign_count=0,
    )

    report = subject_erase(email="kari@glasoterapi.no")

    assert TOTPDevice.objects.filter(user=staff_user).exists()
    assert WebAuthnCredential.objects.filter(user=staff_user).exists()
    assert "Passnøkler for ansattes innlogging i to trinn" in report.kept
    password_login(client)
    assert client.get("/admin/")["Location"] == "/admin/2fa/"


def test_a_reset_ends_every_session_of_the_user(client, staff_user):
    """Finding: after reset_2fa a session left open (verified, or stopped at the
    second step) could enrol the next device without a new login."""
    device = enrolled(staff_user)
    password_login(client)
    client.post("/admin/2fa/", {"token": current_code(device)})
    stalled = Client()
    password_login(stalled)
    other_user = User.objects.create_user("ola", "ola@glasoterapi.no", PASSWORD)
    bystander = Client()
    bystander.force_login(other_user)

    call_command("reset_2fa", "kari", stdout=StringIO())

    for session in (client, stalled):
        response = session.get("/admin/2fa/oppsett/")
        assert response["Location"].startswith("/admin/login/")
    assert "_auth_user_id" in bystander.session


def test_the_second_step_shows_nothing_of_what_the_account_may_open(client, staff_user):
    """Finding: with the password alone, the 2FA pages listed every model in the
    admin's sidebar."""
    enrolled(staff_user)
    password_login(client)

    content = client.get("/admin/2fa/").content.decode()

    assert "/admin/auth/user/" not in content
    assert "/admin/privacy/" not in content


def test_a_new_login_in_the_same_browser_gets_a_new_secret(client, staff_user):
    password_login(client)
    client.get("/admin/2fa/oppsett/")
    shown_before = TOTPDevice.objects.get(user=staff_user, confirmed=False)
    password_login(client)

    response = client.post("/admin/2fa/oppsett/", {"token": current_code(shown_before)})

    assert "Koden stemmer ikke" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_the_session_gets_a_new_key_when_the_second_step_is_passed(client, staff_user):
    device = enrolled(staff_user)
    password_login(client)
    before = client.session.session_key

    client.post("/admin/2fa/", {"token": current_code(device)})

    assert client.session.session_key != before
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_removing_two_devices_at_once_leaves_one(postgres, staff_user):
    """Finding: two removals sent together both saw a second device, and none was
    left."""
    first = enrolled(staff_user)
    second = TOTPDevice.objects.create(user=staff_user, name="B", confirmed=True)
    removals = iter(
        [
            (verified_with(first), f"/admin/2fa/enheter/app/{second.pk}/fjern/"),
            (verified_with(second), f"/admin/2fa/enheter/app/{first.pk}/fjern/"),
        ]
    )

    def remove() -> int:
        browser, path = next(removals)
        return browser.post(path).status_code

    assert run_at_once(remove, 2) == [302, 302]
    assert TOTPDevice.objects.filter(user=staff_user, confirmed=True).count() == 1


def verified_with(device: TOTPDevice) -> Client:
    browser = Client()
    browser.force_login(device.user)
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return browser


def test_removing_asks_first_and_names_the_device(client, staff_user):
    kept = enrolled(staff_user)
    other = TOTPDevice.objects.create(user=staff_user, name="Gammel", confirmed=True)
    password_login(client)
    client.post("/admin/2fa/", {"token": current_code(kept)})

    asked = client.get(f"/admin/2fa/enheter/app/{other.pk}/fjern/")

    assert "Vil du fjerne autentiseringsapp «gammel» lagt til" in (
        asked.content.decode()
    )
    assert TOTPDevice.objects.filter(pk=other.pk).exists()


def test_the_device_this_session_was_verified_with_cannot_be_removed(
    client, staff_user
):
    """Removing it ended the session under a message that it was removed."""
    kept = enrolled(staff_user)
    TOTPDevice.objects.create(user=staff_user, name="Gammel", confirmed=True)
    password_login(client)
    client.post("/admin/2fa/", {"token": current_code(kept)})

    response = client.post(f"/admin/2fa/enheter/app/{kept.pk}/fjern/", follow=True)

    assert "Du er logget inn med denne nå" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=kept.pk).exists()
    assert client.get("/admin/").status_code == 200


def test_new_backup_codes_are_not_replaced_again_by_a_reload(client, staff_user):
    device = enrolled(staff_user)
    password_login(client)
    client.post("/admin/2fa/", {"token": current_code(device)})

    shown = client.post("/admin/2fa/reservekoder/", follow=True)
    reloaded = client.get("/admin/2fa/reservekoder/")

    codes = re.findall(r"<code>(\w+)</code>", shown.content.decode())
    assert "De gamle reservekodene virker ikke lenger." in shown.content.decode()
    assert reloaded["Location"] == "/admin/2fa/enheter/"
    assert StaticToken.objects.filter(token__in=codes).count() == 10


def test_a_backup_code_during_the_pause_is_told_to_wait(client, staff_user):
    """Finding: a right backup code sent just after wrong ones was called wrong."""
    from staff.twofactor import backup_codes_replace

    (code, *_) = backup_codes_replace(user=staff_user)
    password_login(client)
    client.post("/admin/2fa/", {"token": "feilkode"})

    response = client.post("/admin/2fa/", {"token": code})

    assert "Prøv igjen om" in response.content.decode()
