from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from courses.forms import NEWSLETTER_NOTICE_VERSION, newsletter_notice
from courses.models import Booking, Participant
from outbox.models import OutgoingEmail
from tests.courses.conftest import mails
from tests.courses.test_catalogue import text
from tests.glasoterapi.test_page_cache import hidden_inputs, rendered


def signup_url(course_date) -> str:
    return f"/kurs/{course_date.course.slug}/{course_date.pk}/pamelding/"


def test_signup_form_shows_the_date_the_price_and_the_unticked_opt_out(
    client, course_date
):
    response = client.get(signup_url(course_date))
    html = response.content.decode()

    assert response.status_code == 200
    assert "kr 4 500 inkl. mva per deltaker" in text(response)
    assert newsletter_notice() in html
    assert "Nei takk, jeg vil ikke ha e-post om lignende kurs" in html
    assert 'name="newsletter_declined" id="id_newsletter_declined">' in html
    assert 'name="newsletter_declined" checked' not in html


def test_signup_form_asks_for_no_special_category_data(client, course_date):
    page = text(client.get(signup_url(course_date))).lower()

    for word in ("allergi", "diett", "kost", "helse:", "fødselsnummer"):
        assert word not in page


def test_a_valid_signup_for_one_confirms_a_seat_and_queues_the_confirmation(
    client, course_date, signup_data
):
    response = client.post(signup_url(course_date), signup_data())

    assert response.status_code == 302
    assert response["Location"] == signup_url(course_date) + "bekreftet/"
    booking = Booking.objects.get()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.seats == 1
    assert booking.email == "ase.orjasaeter@example.no"
    assert booking.invoice_email == "faktura@glassverkstedet.no"
    assert booking.orgnr == "974760673"
    assert booking.unit_price == Decimal(4500)
    assert booking.newsletter_declined is False
    assert booking.newsletter_notice_version == NEWSLETTER_NOTICE_VERSION
    participant = booking.participants.get()
    assert (participant.first_name, participant.last_name) == ("Åse", "Ørjasæter")
    [mail] = mails()
    assert mail.kind == "courses_booking_confirmed"
    assert mail.to == "ase.orjasaeter@example.no"
    assert mail.attachments[0]["filename"] == "kurs.ics"

    done = client.get(response["Location"])
    assert "Påmeldingen er bekreftet" in text(done)
    assert "orjasaeter" not in done.content.decode().lower()


def test_a_valid_signup_for_several_participants_puts_them_on_one_booking(
    client, course_date, signup_data
):
    data = signup_data(
        booker_attends=None,  # the contact books for colleagues only
        others=[
            ("Per", "Ås", "Per@Example.no"),
            ("Ragnhild", "Øvrebø", "ragnhild@example.no"),
            ("Tor", "Li", "tor@example.no"),
        ],
    )

    response = client.post(signup_url(course_date), data)

    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.seats == 3
    assert booking.amounts.total == Decimal(13500)
    assert [p.email for p in booking.participants.all()] == [
        "per@example.no",
        "ragnhild@example.no",
        "tor@example.no",
    ]
    # One booking, one confirmation; each colleague is told (GDPR art. 14).
    assert OutgoingEmail.objects.filter(kind="courses_booking_confirmed").count() == 1
    assert sorted(
        OutgoingEmail.objects.filter(kind="courses_participant_notice").values_list(
            "to", flat=True
        )
    ) == ["per@example.no", "ragnhild@example.no", "tor@example.no"]


def test_the_contact_who_attends_is_counted_with_the_others(
    client, course_date, signup_data
):
    client.post(
        signup_url(course_date),
        signup_data(others=[("Per", "Ås", "per@example.no")]),
    )

    booking = Booking.objects.get()
    assert booking.seats == 2
    assert [p.first_name for p in booking.participants.all()] == ["Åse", "Per"]


def test_newsletter_opt_out_is_recorded_with_the_wording_version(
    client, course_date, signup_data
):
    client.post(signup_url(course_date), signup_data(newsletter_declined="on"))

    booking = Booking.objects.get()
    assert booking.newsletter_declined is True
    assert booking.newsletter_notice_version == NEWSLETTER_NOTICE_VERSION


def test_blank_invoice_email_means_the_contacts_address_and_ehf_needs_none(
    client, course_date_factory, signup_data
):
    by_email = course_date_factory()
    by_ehf = course_date_factory()

    client.post(signup_url(by_email), signup_data(invoice_email=""))
    client.post(
        signup_url(by_ehf), signup_data(invoice_method="ehf", invoice_email="x@y.no")
    )

    assert Booking.objects.get(course_date=by_email).invoice_email == (
        "ase.orjasaeter@example.no"
    )
    ehf = Booking.objects.get(course_date=by_ehf)
    assert (ehf.invoice_method, ehf.invoice_email) == ("ehf", "")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("orgnr", "974760674", "Organisasjonsnummeret må ha ni sifre og være gyldig"),
        ("orgnr", "12345678", "Organisasjonsnummeret må ha ni sifre og være gyldig"),
        ("invoice_postcode", "800", "Postnummeret må ha fire sifre."),
        ("invoice_postcode", "80O6", "Postnummeret må ha fire sifre."),
        ("invoice_postcode", "", "Skriv postnummeret (fire sifre), eller"),
        ("email", "ase@", "Skriv en gyldig e-postadresse"),
        ("email", "", "Skriv e-postadressen din."),
        ("invoice_email", "faktura.example.no", "Skriv en gyldig e-postadresse"),
        ("first_name", "", "Skriv fornavnet ditt."),
        ("last_name", "1234", "Navnet må inneholde bokstaver."),
        ("invoice_name", "", "Skriv hvem fakturaen skal til"),
        ("invoice_street", "", "Skriv gateadressen eller postboksen"),
        ("invoice_place", "", "Skriv poststedet, eller organisasjonsnummeret"),
        ("invoice_method", "", "Velg hvordan du vil ha fakturaen."),
    ],
)
def test_an_invalid_field_is_explained_next_to_it_and_nothing_is_saved(
    client, course_date, signup_data, field, value, message
):
    # An address is needed only without an organisation number.
    address = field in ("invoice_street", "invoice_postcode", "invoice_place")
    data = signup_data(**{field: value}, **({"orgnr": ""} if address else {}))
    response = client.post(signup_url(course_date), data)
    html = response.content.decode()

    assert response.status_code == 200
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert "Påmeldingen ble ikke sendt" in html
    if field != "invoice_method":  # radio buttons: the error is on the fieldset
        assert 'aria-invalid="true"' in html
    assert Booking.objects.count() == 0
    assert Participant.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0
    # The rest of the input is kept.
    assert 'value="Storgata 12"' in html or field == "invoice_street"
    assert 'value="Prosjekt Ærfugl 42"' in html


def test_ehf_without_an_organisation_number_is_refused(
    client, course_date, signup_data
):
    response = client.post(
        signup_url(course_date), signup_data(invoice_method="ehf", orgnr="")
    )

    assert "EHF sendes til organisasjonsnummeret" in response.content.decode()
    assert Booking.objects.count() == 0


def test_a_half_filled_participant_row_is_refused_with_its_message(
    client, course_date, signup_data
):
    response = client.post(
        signup_url(course_date),
        signup_data(others=[("Per", "", "per@")]),
    )
    html = response.content.decode()

    assert "Skriv deltakerens etternavn." in html
    assert "Deltaker 1, e-postadresse: Skriv en gyldig e-postadresse" in html
    assert 'id="id_deltaker-0-last_name_error"' in html
    assert Booking.objects.count() == 0


def test_a_signup_without_participants_is_refused(client, course_date, signup_data):
    response = client.post(signup_url(course_date), signup_data(booker_attends=None))

    assert "Påmeldingen har ingen deltakere" in response.content.decode()
    assert Booking.objects.count() == 0


def test_a_signup_with_more_participants_than_allowed_is_refused(
    client, course_date, signup_data, settings
):
    settings.COURSES_MAX_PARTICIPANTS_PER_BOOKING = 2
    others = [("Per", "Ås", "per@example.no"), ("Tor", "Li", "tor@example.no")]

    response = client.post(signup_url(course_date), signup_data(others=others))

    assert "Én påmelding kan ha høyst 2 deltakere" in response.content.decode()
    assert Booking.objects.count() == 0


def test_add_participant_shows_one_more_row_and_keeps_the_input_without_errors(
    client, course_date, signup_data
):
    data = signup_data(others=[("Per", "Ås", "per@example.no")], first_name="")
    data["add_participant"] = "1"

    response = client.post(signup_url(course_date), data)
    html = response.content.decode()

    assert response.status_code == 200
    assert 'name="deltaker-TOTAL_FORMS" value="3"' in html
    assert 'name="deltaker-2-first_name"' in html
    assert 'value="Per"' in html
    assert 'value="Storgata 12"' in html
    assert 'name="booker_attends" id="id_booker_attends" checked' in html
    assert "Påmeldingen ble ikke sendt" not in html
    assert 'aria-invalid="true"' not in html
    assert Booking.objects.count() == 0


def test_signup_after_the_deadline_is_refused_and_nothing_is_saved(
    client, course_date_factory, signup_data
):
    course_date = course_date_factory(
        signup_deadline=timezone.now() - timedelta(minutes=1)
    )

    response = client.post(signup_url(course_date), signup_data())

    assert "Påmeldingen er stengt: fristen var" in text(response)
    assert Booking.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0
    assert "Påmeldingen er stengt" in text(client.get(signup_url(course_date)))


def test_signup_for_a_cancelled_date_is_refused_and_nothing_is_saved(
    client, course_date_factory, signup_data
):
    course_date = course_date_factory(cancelled_at=timezone.now())

    response = client.post(signup_url(course_date), signup_data())

    assert "Denne kursdatoen er avlyst" in text(response)
    assert Booking.objects.count() == 0


def test_signup_for_a_date_that_has_started_is_refused(
    client, course_date_factory, signup_data
):
    course_date = course_date_factory(days=-0.01, hours=8)

    client.post(signup_url(course_date), signup_data())

    assert Booking.objects.count() == 0


def test_a_full_date_puts_the_signup_on_the_waitlist(
    client, course_date_factory, booking_factory, signup_data
):
    course_date = course_date_factory(capacity=1)
    booking_factory(course_date)
    OutgoingEmail.objects.all().delete()
    form_page = client.get(signup_url(course_date))
    assert "Kurset er fullt." in text(form_page)
    assert 'name="waitlist" value="yes"' in form_page.content.decode()

    response = client.post(signup_url(course_date), signup_data(waitlist="yes"))

    assert response["Location"] == signup_url(course_date) + "venteliste/"
    booking = Booking.objects.get(email="ase.orjasaeter@example.no")
    assert booking.status == Booking.Status.WAITLISTED
    [mail] = mails()
    assert mail.kind == "courses_booking_waitlisted"
    assert mail.attachments == []
    assert "Du står på ventelisten" in text(client.get(response["Location"]))


def test_too_few_seats_for_the_whole_booking_asks_first_and_saves_nothing(
    client, course_date_factory, booking_factory, signup_data
):
    course_date = course_date_factory(capacity=4)
    booking_factory(course_date, seats=2)
    data = signup_data(
        others=[("Per", "Ås", "per@example.no"), ("Tor", "Li", "tor@example.no")]
    )

    response = client.post(signup_url(course_date), data)
    page = text(response)

    assert "Det er bare 2 plasser igjen, og påmeldingen har 3 deltakere." in page
    assert "Vi melder ikke på bare noen av dere" in page
    assert Booking.objects.filter(email="ase.orjasaeter@example.no").count() == 0

    response = client.post(signup_url(course_date), {**data, "waitlist": "yes"})

    booking = Booking.objects.get(email="ase.orjasaeter@example.no")
    assert booking.status == Booking.Status.WAITLISTED
    assert booking.participants.count() == 3
    assert (
        Booking.objects.filter(status=Booking.Status.CONFIRMED).values_list(
            "seats", flat=True
        )
    ).get() == 2


def test_a_waitlist_choice_still_gets_a_seat_when_one_has_come_free(
    client, course_date, signup_data
):
    client.post(signup_url(course_date), signup_data(waitlist="yes"))

    assert Booking.objects.get().status == Booking.Status.CONFIRMED


def test_signup_page_for_an_unknown_date_is_not_found(client, course_date):
    assert (
        client.get(f"/kurs/{course_date.course.slug}/999/pamelding/").status_code == 404
    )
    assert (
        client.get(f"/kurs/annet-kurs/{course_date.pk}/pamelding/").status_code == 404
    )


def test_sign_ups_from_one_client_are_rate_limited_and_the_input_kept(
    client, course_date_factory, signup_data, settings
):
    settings.COURSES_SIGNUP_RATE_LIMIT = 2
    course_date = course_date_factory(capacity=10)
    for _ in range(2):
        client.post(signup_url(course_date), signup_data())

    response = client.post(signup_url(course_date), signup_data(company="Tredje AS"))

    page = response.content.decode()
    assert "Vent litt og prøv igjen" in page
    assert 'value="Tredje AS"' in page
    assert Booking.objects.count() == 2


@pytest.mark.parametrize("suffix", ["pamelding/bekreftet/", "pamelding/venteliste/"])
def test_the_receipt_page_is_never_kept_in_the_browser_cache(
    client, course_date, suffix
):
    course = course_date.course

    response = client.get(f"/kurs/{course.slug}/{course_date.pk}/{suffix}")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_an_organisation_number_is_enough_without_an_invoice_address(
    client, course_date, signup_data
):
    """Found: a full invoice address was required even when the organisation
    number already names the buyer."""
    response = client.post(
        signup_url(course_date),
        signup_data(invoice_street="", invoice_postcode="", invoice_place=""),
    )

    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.orgnr == "974760673"
    assert (booking.invoice_street, booking.invoice_postcode) == ("", "")


def test_the_sign_up_page_says_the_total_before_anything_is_sent(
    client, course_date, signup_data
):
    """Found: no total price before sending (it first appeared in the mail)."""
    page = client.get(signup_url(course_date)).content.decode()
    assert "Til sammen: <strong data-total>kr 4 500 inkl. mva</strong>" in page
    assert "for <span data-count>1 deltaker</span>" in page

    more = client.post(
        signup_url(course_date),
        {
            **signup_data(others=[("Per", "Hansen", "per@example.no")]),
            "add_participant": "1",
        },
    ).content.decode()
    assert "Til sammen: <strong data-total>kr 9 000 inkl. mva</strong>" in more
    assert "(kr 7 200 + mva kr 1 800)" in more


def test_beregn_shows_the_total_without_javascript_and_keeps_the_input(
    client, course_date, signup_data
):
    data = signup_data(others=[("Per", "Hansen", "per@example.no")])
    page = client.post(
        signup_url(course_date), {**data, "recalculate": "1"}
    ).content.decode()

    assert "kr 9 000 inkl. mva</strong> for <span data-count>2 deltakere" in page
    assert 'value="Per"' in page
    assert 'value="Storgata 12"' in page
    assert Booking.objects.count() == 0


def test_a_private_person_pays_without_any_company_field(
    client, course_date, signup_data
):
    response = client.post(
        signup_url(course_date),
        signup_data(
            company="",
            orgnr="",
            invoice_name="Åse Ørjasæter",
            invoice_email="",
            your_reference="",
        ),
    )

    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.status == Booking.Status.CONFIRMED
    assert (booking.company, booking.orgnr) == ("", "")
    assert booking.invoice_email == "ase.orjasaeter@example.no"
    assert booking.organisation == ""  # her name is not a firm on the list
    mail = OutgoingEmail.objects.get(kind="courses_booking_confirmed")
    assert "Faktura til:\nÅse Ørjasæter\nStorgata 12\n8006 Bodø" in mail.body_text


def test_a_sign_up_page_comes_from_the_cache_with_its_own_form_key(client, course_date):
    """Issue 17: the sign-up page was rendered for every visitor."""
    client.get(signup_url(course_date))

    first, second = (Client().get(signup_url(course_date)) for _ in range(2))

    assert not rendered(first)
    assert not rendered(second)
    assert hidden_inputs(first)["skjema"] != hidden_inputs(second)["skjema"]


def test_a_booking_makes_the_next_sign_up_page_show_the_seats_left(
    client, course_date, signup_data, settings
):
    client.get(signup_url(course_date))
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(signup_url(course_date))

    response = visitor.post(
        signup_url(course_date), {**hidden_inputs(page), **signup_data()}
    )

    assert response.status_code == 302
    again = Client().get(signup_url(course_date))
    assert rendered(again)  # a new catalogue version: the seats have changed
