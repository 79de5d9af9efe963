from tests.browser.conftest import PageRecorder

PASSWORD = "et-langt-passord-123"


def test_admin_works_under_the_strict_csp(live_server, page, django_user_model):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = django_user_model.objects.create_user(
        "kari", "kari@glasoterapi.no", PASSWORD, is_staff=True, is_superuser=True
    )
    device = TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    recorder = PageRecorder(page)

    page.goto(live_server.url + "/admin/")
    page.get_by_label("Brukernavn").fill("kari")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Kode").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Logg inn").click()
    assert page.get_by_role("heading", name="Administrasjon").is_visible()

    for path in [
        "/admin/newsletter/subscriber/",
        "/admin/newsletter/subscriber/add/",
        "/admin/privacy/datasubjectrequest/",
        f"/admin/auth/user/{user.pk}/change/",
    ]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")

    assert recorder.console_errors == []
    assert recorder.third_party_requests() == []
