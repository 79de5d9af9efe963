"""A Personvern staff member handles a correction from arrival to answer in a real
browser, at the 1280 px a laptop shows (issue #15)."""

import os
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command

from contact.models import Inquiry
from privacy.models import DataSubjectRequest
from privacy.services.rights import request_record
from tests.browser.conftest import STAFF_PASSWORD as PASSWORD
from tests.browser.conftest import admin_log_in as log_in
from tests.browser.conftest import serious_accessibility_violations

WIDTH = 1280  # STYLE.md: lists show what staff need within 1280 px


@pytest.fixture
def personvern_group():
    return Group.objects.get(name="Personvern")


def test_personvern_corrects_and_answers_a_request(
    live_server, context_factory, django_user_model, personvern_group
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = django_user_model.objects.create_user(
        "pia", "pia@glasoterapi.no", PASSWORD, is_staff=True
    )
    user.groups.add(personvern_group)
    device = TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    inquiry = Inquiry.objects.create(
        first_name="Kari", last_name="Nordman", email="kari@example.no", message="Hei"
    )
    request_record(
        kind=DataSubjectRequest.Kind.RECTIFICATION,
        email="kari@example.no",
        channel=DataSubjectRequest.Channel.SELF_SERVICE,
        done=False,
        details="Etternavnet mitt er Nordmann, med to n.",
        record=("contact.inquiry", inquiry.pk),
    )
    page = context_factory(viewport={"width": WIDTH, "height": 900}).new_page()
    log_in(page, live_server, user, device)

    page.goto(live_server.url + "/admin/privacy/datasubjectrequest/")
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=f"{os.environ['SCREENSHOT_DIR']}/requests-queue.png")
    # Inside the window, and not cut off by the table's own scrolling box.
    deadline = page.locator("#result_list td.field-due").first
    shown = deadline.evaluate(
        """cell => {
            const own = cell.getBoundingClientRect();
            const box = cell.closest(".results").getBoundingClientRect();
            return own.right <= Math.min(box.right, window.innerWidth);
        }"""
    )
    assert shown
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="Retting (art. 16) #").click()
    main = page.locator("#content").inner_text()
    assert "kari@example.no" in main
    assert "Besvare henvendelser og følge opp kundeforhold" in main
    # The records' links ("nr. 1") in the list were told apart by colour alone.
    assert serious_accessibility_violations(page) == []
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(
            path=f"{os.environ['SCREENSHOT_DIR']}/request-page.png", full_page=True
        )
    page.get_by_label("Felt som skal rettes").select_option(label="Etternavn")
    page.get_by_label("Riktig verdi").fill("Nordmann")
    page.get_by_role("button", name="Rett opplysningen").click()
    assert "Opplysningen er rettet" in page.locator(".messagelist").inner_text()

    page.get_by_role("link", name="Svar og lukk henvendelsen").click()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Utført").check()
    page.get_by_label("Svar til personen").fill("Vi har rettet etternavnet ditt.")
    page.get_by_role("button", name="Send svaret og lukk henvendelsen").click()

    assert "Henvendelsen er lukket" in page.locator(".messagelist").inner_text()
    inquiry.refresh_from_db()
    assert inquiry.last_name == "Nordmann"
    call_command("send_queued_mail", stdout=StringIO())
    (answer,) = [m for m in mail.outbox if m.to == ["kari@example.no"]]
    assert "Vi har rettet etternavnet ditt." in answer.body
    assert DataSubjectRequest.objects.get().email == ""


def test_personvern_answers_an_access_request_that_came_by_mail(
    live_server, context_factory, django_user_model, personvern_group
):
    """Kari wrote to ask what we hold about her: Personvern registers the request,
    looks over what was found and answers with a copy, in a real browser."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = django_user_model.objects.create_user(
        "pia", "pia@glasoterapi.no", PASSWORD, is_staff=True
    )
    user.groups.add(personvern_group)
    device = TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    Inquiry.objects.create(
        first_name="Kari",
        last_name="Nordman",
        email="kari@example.no",
        message="Hva koster grunnkurset?",
    )
    page = context_factory(viewport={"width": WIDTH, "height": 900}).new_page()
    log_in(page, live_server, user, device)

    page.goto(live_server.url + "/admin/privacy/datasubjectrequest/person/")
    page.get_by_label("E-postadresse").fill("kari@example.no")
    page.get_by_role("button", name="Finn").click()
    assert "Besvare henvendelser" in page.locator("#content").inner_text()
    assert serious_accessibility_violations(page) == []
    page.get_by_role(
        "button", name="Registrer krav om innsyn og svar på e-post"
    ).click()

    assert "Kravet om innsyn er registrert" in page.locator(".messagelist").inner_text()
    assert "kari@example.no" in page.locator("#content").inner_text()
    page.get_by_role("link", name="Svar og lukk henvendelsen").click()
    assert page.get_by_label("Legg ved en kopi av opplysningene").is_checked()
    page.get_by_label("Utført").check()
    page.get_by_label("Svar til personen").fill("Her er det vi har om deg.")
    page.get_by_role("button", name="Send svaret og lukk henvendelsen").click()

    assert "Henvendelsen er lukket" in page.locator(".messagelist").inner_text()
    call_command("send_queued_mail", stdout=StringIO())
    (answer,) = [m for m in mail.outbox if m.to == ["kari@example.no"]]
    ((_, content, _),) = answer.attachments
    assert "Hva koster grunnkurset?" in content.decode("utf-8")  # UTF-8 bytes
    assert DataSubjectRequest.objects.get().email == ""
