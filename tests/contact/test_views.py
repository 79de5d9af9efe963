import re
import time

import pytest
from django.core import mail
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from contact.models import Inquiry
from contact.spam import started_token
from newsletter.models import Subscriber
from outbox.models import OutgoingEmail

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return response.content.decode()


def field_tag(response, name: str) -> str:
    html = page_text(response)
    match = re.search(rf'<(input|textarea)[^>]*name="{name}"[^>]*>', html)
    assert match, f"no field {name}"
    return match.group(0)


def test_contact_page_shows_a_labelled_form_and_what_happens_to_the_data(client):
    response = client.get("/kontakt/")

    html = page_text(response)
    assert response.status_code == 200
    for label in ("Fornavn", "Etternavn", "E-postadresse", "Melding"):
        assert f">{label}</label>" in html
    assert "Telefon (valgfritt)" in html
    assert "Firma eller tilknytning (valgfritt)" in html
    assert 'href="/personvern/"' in html
    assert "sletter dem 1 år etter at henvendelsen er lukket" in html
    assert "Ikke send sensitive opplysninger" in html
    assert "nyhetsbrev" not in field_names(html)
    assert (
        "no-cache" in response["Cache-Control"]
        or "max-age=0" in (response["Cache-Control"])
    )


def field_names(html: str) -> set[str]:
    return set(re.findall(r'name="([^"]+)"', html))


def test_honeypot_is_hidden_from_people_screen_readers_and_the_tab_key(client):
    html = page_text(client.get("/kontakt/"))

    honeypot = re.search(r'<div class="contact-hp"[^>]*>.*?</div>', html, re.S)
    assert honeypot
    assert 'aria-hidden="true"' in honeypot.group(0)
    assert 'tabindex="-1"' in honeypot.group(0)
    assert 'autocomplete="off"' in honeypot.group(0)
    assert "style=" not in html


def test_valid_submission_saves_one_inquiry_and_queues_two_mails(
    client, submit, settings
):
    settings.CONTACT_NOTIFY_EMAILS = ["salg@glasoterapi.no"]

    response = submit()

    assert response.status_code == 302
    assert response["Location"] == "/kontakt/takk/"
    inquiry = Inquiry.objects.get()
    assert inquiry.first_name == "Åse"
    assert inquiry.last_name == "Ørjasæter"
    assert inquiry.email == "ase.orjasaeter@example.no"
    assert inquiry.phone == "+4791234567"
    assert inquiry.company == "Glassverkstedet AS"
    assert inquiry.status == Inquiry.Status.NEW
    receipt, notification = OutgoingEmail.objects.order_by("kind").reverse()
    assert (receipt.kind, receipt.to) == ("contact_receipt", inquiry.email)
    assert (notification.kind, notification.to) == (
        "contact_notification",
        "salg@glasoterapi.no",
    )


def test_thank_you_page_has_no_personal_data_in_its_address(client, submit):
    response = submit()
    thanks = client.get(response["Location"])

    assert "?" not in response["Location"]
    assert thanks.status_code == 200
    assert "Takk for henvendelsen" in page_text(thanks)
    assert "Åse" not in page_text(thanks)


def test_receipt_repeats_nothing_the_visitor_typed(submit):
    submit(message="Kjøp billige klokker på https://spam.example")
    call_command("send_queued_mail")

    (receipt,) = mail.outbox
    assert receipt.to == ["ase.orjasaeter@example.no"]
    assert receipt.subject == "Vi har mottatt henvendelsen din"
    assert f"saksnummer {Inquiry.objects.get().pk}" in receipt.body
    for typed in ("Åse", "Ørjasæter", "klokker", "spam.example", "Glassverkstedet"):
        assert typed not in receipt.body


def test_staff_notification_links_to_the_lead_in_admin_without_the_message(
    submit, settings
):
    settings.CONTACT_NOTIFY_EMAILS = ["salg@glasoterapi.no"]
    submit()
    call_command("send_queued_mail")

    (notification,) = [m for m in mail.outbox if m.to == ["salg@glasoterapi.no"]]
    inquiry = Inquiry.objects.get()
    assert (
        f"{settings.SITE_URL}/{settings.ADMIN_URL}contact/inquiry/{inquiry.pk}/change/"
        in notification.body
    )
    assert "kurs for 12 ansatte" not in notification.body
    assert "Åse" not in notification.body


INVALID_INPUT = [
    ("first_name", "", "Skriv fornavnet ditt."),
    ("first_name", "x" * 101, "Fornavn kan ha høyst 100 tegn."),
    ("first_name", "1234", "Navnet må inneholde bokstaver."),
    ("last_name", "   ", "Skriv etternavnet ditt."),
    ("email", "", "Skriv e-postadressen din, så vi kan svare deg."),
    ("email", "ase@", "Skriv en gyldig e-postadresse, for eksempel navn@firma.no."),
    ("phone", "912 34 56", "Skriv et telefonnummer med åtte sifre"),
    ("phone", "012 34 567", "Skriv et telefonnummer med åtte sifre"),
    ("phone", "+47 912 34 5678", "Skriv et telefonnummer med åtte sifre"),
    ("phone", "ring meg", "Skriv et telefonnummer med åtte sifre"),
    ("company", "x" * 201, "Firmanavnet kan ha høyst 200 tegn."),
    ("message", "", "Skriv hva henvendelsen gjelder."),
    ("message", "x" * 5001, "Meldingen kan ha høyst 5000 tegn."),
]


@pytest.mark.parametrize(("field", "value", "message"), INVALID_INPUT)
def test_each_invalid_field_gets_its_message_and_nothing_is_saved(
    submit, field, value, message
):
    response = submit(**{field: value})

    html = page_text(response)
    assert response.status_code == 200
    error_list = re.search(
        rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html
    )
    assert error_list, f"no error list next to {field}"
    assert message in error_list.group(1)
    tag = field_tag(response, field)
    assert 'aria-invalid="true"' in tag
    assert f"id_{field}_error" in tag
    assert "<title>Feil: Kontakt oss" in html
    assert Inquiry.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0


def test_the_other_input_is_kept_when_one_field_is_wrong(submit):
    html = page_text(submit(phone="ring meg"))

    assert 'value="Åse"' in html
    assert 'value="Ørjasæter"' in html
    assert 'value="Ase.Orjasaeter@Example.NO"' in html
    assert 'value="Glassverkstedet AS"' in html
    assert "kurs for 12 ansatte i Bodø?</textarea>" in html


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("91234567", "+4791234567"),
        ("912 34 567", "+4791234567"),
        ("+47 912 34 567", "+4791234567"),
        ("0047 91 23 45 67", "+4791234567"),
        ("22 12 34 56", "+4722123456"),
        ("+46 70 123 45 67", "+46701234567"),
        ("0046-70-123 45 67", "+46701234567"),
        ("+1 202 555 0143", "+12025550143"),
    ],
)
def test_phone_numbers_are_stored_in_one_international_form(submit, typed, stored):
    submit(phone=typed)

    assert Inquiry.objects.get().phone == stored


def test_names_are_trimmed_and_control_characters_stripped(submit):
    submit(
        first_name="  Åse\x00 \u202eMarie  ",
        last_name="\tØrjasæter\x07",
        company=" Glass\x1b  AS ",
        message="  Linje én\r\nLinje\x0b to\x00\n  ",
    )

    inquiry = Inquiry.objects.get()
    assert inquiry.first_name == "Åse Marie"
    assert inquiry.last_name == "Ørjasæter"
    assert inquiry.company == "Glass AS"
    assert inquiry.message == "Linje én\nLinje to"


def test_message_of_exactly_the_maximum_length_is_accepted(submit):
    submit(message="æ" * 5000)

    assert len(Inquiry.objects.get().message) == 5000


def test_email_address_is_stored_normalised(submit):
    submit(email="  Ola.Nordmann@EXAMPLE.no ")

    assert Inquiry.objects.get().email == "ola.nordmann@example.no"


def test_honeypot_submission_is_refused_with_a_generic_message_and_input_kept(
    submit, settings
):
    response = submit(website="https://spam.example")

    html = page_text(response)
    assert "Vi kunne ikke ta imot henvendelsen." in html
    assert settings.BUSINESS_EMAIL in html
    assert "nettside" not in html.split("Vi kunne ikke ta imot")[1].split("</p>")[0]
    assert 'value="Åse"' in html
    assert 'value="https://spam.example"' not in html
    assert Inquiry.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0


def test_a_form_sent_too_fast_keeps_the_input_and_can_be_sent_again_at_once(
    client, form_data
):
    """Finding: a form filled in by the browser's autofill and sent after about
    2 s was refused as too fast."""
    just_shown = started_token(now=time.time() - 1)

    refused = client.post("/kontakt/", form_data(started=just_shown))
    html = page_text(refused)
    again = re.search(r'name="started" value="([^"]+)"', html).group(1)
    sent = client.post("/kontakt/", form_data(started=again))

    assert "send det igjen" in html
    assert 'value="Åse"' in html
    assert sent["Location"] == "/kontakt/takk/"
    assert Inquiry.objects.count() == 1


def test_a_form_sent_empty_at_once_shows_the_field_errors_and_no_bot_warning(client):
    just_shown = started_token(now=time.time() - 1)

    response = client.post("/kontakt/", {"started": just_shown})

    html = page_text(response)
    assert "Skriv fornavnet ditt." in html
    assert "raskere" not in html
    assert Inquiry.objects.count() == 0


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("", "Noe gikk galt med skjemaet."),
        ("1700000000", "Noe gikk galt med skjemaet."),
        (
            started_token(now=time.time() - 2 * 24 * 3600),
            "Skjemaet har vært åpent så lenge",
        ),
    ],
    ids=["missing", "forged", "expired"],
)
def test_submission_without_a_good_timestamp_is_refused_with_a_fresh_one(
    client, form_data, token, message
):
    response = client.post("/kontakt/", form_data(started=token))

    html = page_text(response)
    assert message in html
    fresh = re.search(r'name="started" value="([^"]+)"', html).group(1)
    assert fresh != token
    assert Inquiry.objects.count() == 0


def test_rate_limited_client_is_refused_with_a_message(client, submit, settings):
    settings.CONTACT_RATE_LIMIT = 2
    submit()
    submit()

    response = submit()

    assert response.status_code == 429
    assert "Du har sendt mange henvendelser på kort tid." in page_text(response)
    assert 'value="Åse"' in page_text(response)
    assert Inquiry.objects.count() == 2


def test_rate_limit_counts_each_client_separately(submit, settings):
    settings.CONTACT_RATE_LIMIT = 1
    submit()
    assert submit().status_code == 429

    other = submit(client=Client(REMOTE_ADDR="10.0.0.2"))

    assert other.status_code == 302
    assert Inquiry.objects.count() == 2


def test_the_rate_limit_never_keeps_the_ip_address(submit):
    submit(client=Client(REMOTE_ADDR="203.0.113.7"))

    keys = list(caches["default"]._cache)
    assert keys
    assert not any("203.0.113.7" in key for key in keys)


def test_mail_server_failure_still_saves_the_inquiry_and_a_later_send_succeeds(
    submit, settings, smtp_down, smtp_sink_factory
):
    settings.CONTACT_NOTIFY_EMAILS = ["salg@glasoterapi.no"]

    assert submit().status_code == 302
    call_command("send_queued_mail")

    assert Inquiry.objects.count() == 1
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {
        OutgoingEmail.Status.QUEUED
    }
    sink = smtp_sink_factory()
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    call_command("send_queued_mail")

    assert sorted(message["To"] for message in sink.messages) == [
        "ase.orjasaeter@example.no",
        "salg@glasoterapi.no",
    ]
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {
        OutgoingEmail.Status.SENT
    }


def test_contact_form_refuses_other_methods(client):
    assert client.put("/kontakt/").status_code == 405


def test_the_newsletter_box_is_separate_and_unticked(client):
    page = client.get("/kontakt/").content.decode()

    box = page.split('name="newsletter"')[1].split(">")[0]
    assert "checked" not in box
    assert "Ja, send meg også nyhetsbrevet om nye kurs" in page


def test_ticking_the_newsletter_box_starts_the_double_opt_in(submit):
    submit(newsletter="on")

    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.source == Subscriber.Source.CONTACT_FORM
    assert subscriber.email == "ase.orjasaeter@example.no"
    assert OutgoingEmail.objects.filter(kind="newsletter.confirm").exists()


def test_the_thank_you_page_mentions_the_newsletter_mail_when_the_box_was_ticked(
    client, submit
):
    submit(newsletter="on")
    ticked = client.get("/kontakt/takk/").content.decode()
    submit(message="Og en ting til.")
    unticked = client.get("/kontakt/takk/").content.decode()

    assert "bekrefter at du vil ha nyhetsbrevet" in ticked
    assert "nyhetsbrevet" not in unticked


def test_without_the_box_there_is_no_newsletter(submit):
    submit()

    assert not Subscriber.objects.exists()


def test_the_thank_you_page_is_never_kept_in_the_browser_cache(client):
    response = client.get("/kontakt/takk/")

    assert "no-store" in response["Cache-Control"]


def test_the_phone_number_is_optional(submit):
    """Finding: the contact form required a phone number, though the answer goes
    by e-mail."""
    response = submit(phone="")

    assert response["Location"] == "/kontakt/takk/"
    assert Inquiry.objects.get().phone == ""


def test_the_newsletter_checkbox_sits_before_its_label_like_every_other(client):
    """Found: on the contact form the newsletter checkbox sat below its label."""
    page = client.get("/kontakt/").content.decode()

    checkbox = page.index('type="checkbox" name="newsletter"')
    label = page.index('<label for="id_newsletter">')
    assert checkbox < label
    assert '<div class="field checkbox">' in page[:checkbox][-400:]
