"""Running a course date from its page (issue 14, "what to build" 2): resend a
confirmation, move a booking or a participant to another date, swap a participant
for a colleague, a booking taken by phone, the check-in and mail to the
participants. Each through the admin, as a Kurs user does it."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from core.validators import INVALID_EMAIL_MESSAGE
from courses import services
from courses.models import Booking, CourseDateMessage, Participant
from newsletter.models import Subscriber
from privacy.services.rights import subject_erase, subject_restrict
from tests.conftest import login_with_second_factor
from tests.courses.conftest import mails
from tests.courses.test_catalogue import text
from tests.courses.test_waitlist_offer import waitlist


def date_url(name: str, *args) -> str:
    return reverse(f"admin:courses_coursedate_{name}", args=args)


def overview(course_date) -> str:
    return date_url("overview", course_date.pk)


@pytest.fixture
def outsider_client(staff_factory):
    """Staff, but not in Kurs (a client of its own): may open the admin, not run
    a course date."""
    return login_with_second_factor(Client(), staff_factory("salg", groups=["Salg"]))


# Resend the confirmation ---------------------------------------------------------


def test_the_date_page_resends_a_booking_confirmation_and_says_to_whom(
    staff_client, course_date, booking_factory
):
    client = Client()
    booking = booking_factory(course_date, email="kari@example.no")
    first = mails("courses_booking_confirmed")

    page = staff_client.get(overview(course_date)).content.decode()
    response = staff_client.post(
        date_url("resend", course_date.pk, booking.pk), follow=True
    )

    assert date_url("resend", course_date.pk, booking.pk) in page
    assert response.redirect_chain[-1][0] == overview(course_date)
    assert (
        f"Bekreftelsen for påmelding {booking.pk} er lagt i kø til kontaktpersonen "
        "Kari Nordmann (kari@example.no)." in text(response)
    )
    again = mails("courses_booking_confirmed")
    assert len(again) == len(first) + 1 == 2
    assert again[-1].to == "kari@example.no"
    assert again[-1].subject == first[0].subject
    assert again[-1].attachments[0]["filename"] == "kurs.ics"
    # The link is not single-use: the first one still works beside the new one.
    for mail in (first[0], again[-1]):
        link = re.search(r"/kurs/avbestill/[^/\s]+/", mail.body_text).group()
        assert f"Påmelding {booking.pk} gjelder 1 deltaker" in text(client.get(link))


def test_a_resent_confirmation_to_a_restricted_address_is_said_to_be_held_back(
    staff_client, course_date, booking_factory
):
    booking = booking_factory(course_date, email="kari@example.no")
    subject_restrict(email="kari@example.no")

    response = staff_client.post(
        date_url("resend", course_date.pk, booking.pk), follow=True
    )

    assert "e-posten holdes tilbake og sendes ikke" in text(response)


def test_a_cancelled_booking_gets_no_confirmation_again(
    staff_client, course_date, booking_factory
):
    booking = booking_factory(course_date)
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED)

    response = staff_client.post(
        date_url("resend", course_date.pk, booking.pk), follow=True
    )

    assert "Påmeldingen er avbestilt; det er ingen bekreftelse." in text(response)
    assert len(mails("courses_booking_confirmed")) == 1


def test_resending_needs_a_post_and_the_kurs_permission(
    staff_client, outsider_client, course_date, booking_factory
):
    booking = booking_factory(course_date)
    url = date_url("resend", course_date.pk, booking.pk)

    assert staff_client.get(url).status_code == 405
    assert outsider_client.post(url).status_code == 403
    assert len(mails("courses_booking_confirmed")) == 1


def test_a_free_booking_shows_its_own_price_of_nothing_not_the_course_price(
    staff_client, course_factory, course_date_factory, booking_factory
):
    course = course_factory(price=0)
    course_date = course_date_factory(course=course)
    booking = booking_factory(course_date)
    course.price = 4500
    course.save()

    response = staff_client.get(date_url("booking", course_date.pk, booking.pk))

    assert response.status_code == 200
    assert "kr 0 inkl. mva per deltaker" in text(response).replace("\xa0", " ")
    assert "4 500" not in text(response).replace("\xa0", " ")


# Move to another date ------------------------------------------------------------


def test_a_whole_booking_moves_to_another_date_and_its_seats_go_to_the_waitlist(
    staff_client, course_factory, course_date_factory, booking_factory
):
    course = course_factory(title="Grunnkurs")
    first = course_date_factory(course=course, capacity=2, days=10)
    later = course_date_factory(course=course, capacity=5, days=40)
    moving = booking_factory(first, seats=2, email="kari@example.no")
    waiting = booking_factory(first, seats=1, email="per@example.no")

    page = text(staff_client.get(date_url("booking", first.pk, moving.pk)))
    response = staff_client.post(
        date_url("move", first.pk, moving.pk), {"to_date": later.pk}, follow=True
    )
    told = text(response)

    assert f"{later} – 5 ledige plasser" in page
    assert f"Påmelding {moving.pk} er flyttet til {later}." in told
    assert f"{first}: 1 av 2 plasser tatt, 1 ledige, 0 på venteliste." in told
    assert f"{later}: 2 av 5 plasser tatt, 3 ledige, 0 på venteliste." in told
    assert "1 påmelding på ventelisten fikk plass." in told
    # The contact, both participants (not the contact) and the one moved up.
    assert "4 e-poster er lagt i kø." in told
    moving.refresh_from_db()
    waiting.refresh_from_db()
    assert moving.course_date == later
    assert waiting.status == Booking.Status.CONFIRMED
    moved_mail = mails("courses_booking_moved")[-1]
    assert moved_mail.to == "kari@example.no"
    assert "Påmeldingen er flyttet: Grunnkurs" in moved_mail.subject
    assert {m.to for m in mails("courses_participant_moved")} == {
        "d0.kari@example.no",
        "d1.kari@example.no",
    }


def test_one_participant_moves_into_a_booking_of_their_own(
    staff_client, course_factory, course_date_factory, booking_factory
):
    course = course_factory()
    first = course_date_factory(course=course, days=10)
    later = course_date_factory(course=course, days=40)
    booking = booking_factory(first, seats=2)
    leaving = booking.participants.last()

    response = staff_client.post(
        date_url("move", first.pk, booking.pk),
        {"to_date": later.pk, "participant": leaving.pk},
        follow=True,
    )

    leaving.refresh_from_db()
    booking.refresh_from_db()
    own = leaving.booking
    assert own != booking
    assert (own.course_date, own.seats, own.status) == (
        later,
        1,
        Booking.Status.CONFIRMED,
    )
    assert (own.email, own.invoice_name, own.unit_price) == (
        booking.email,
        booking.invoice_name,
        booking.unit_price,
    )
    assert booking.seats == 1
    assert list(booking.participants.all()) != [leaving]
    assert (
        f"Deltaker1 Nordmann er flyttet fra påmelding {booking.pk} til en egen "
        f"påmelding ({own.pk}) til {later}." in text(response)
    )
    assert [m.to for m in mails("courses_participant_moved")] == [leaving.email]


def test_moving_to_a_full_date_is_refused_and_nothing_changes(
    staff_client, course_factory, course_date_factory, booking_factory
):
    course = course_factory()
    first = course_date_factory(course=course, days=10)
    full = course_date_factory(course=course, capacity=1, days=40)
    booking_factory(full, email="fullt@example.no")
    booking = booking_factory(first, seats=2)
    queued = len(mails())

    response = staff_client.post(
        date_url("move", first.pk, booking.pk), {"to_date": full.pk}
    )

    assert response.status_code == 200
    assert "Ikke flyttet: Kurset er fullt." in text(response)  # next to the date field
    booking.refresh_from_db()
    assert booking.course_date == first
    assert len(mails()) == queued


def test_part_of_an_invoiced_booking_does_not_move(
    staff_client, course_factory, course_date_factory, booking_factory
):
    course = course_factory()
    first = course_date_factory(course=course, days=10)
    later = course_date_factory(course=course, days=40)
    booking = booking_factory(first, seats=2)
    Booking.objects.filter(pk=booking.pk).update(invoiced_at=booking.created_at)

    response = staff_client.post(
        date_url("move", first.pk, booking.pk),
        {"to_date": later.pk, "participant": booking.participants.first().pk},
    )

    assert "er fakturert for alle deltakerne samlet" in text(response)
    assert Booking.objects.filter(course_date=later).count() == 0


def test_a_date_of_another_course_is_not_offered_nor_accepted(
    staff_client, course_factory, course_date_factory, booking_factory
):
    first = course_date_factory(days=10)
    other = course_date_factory(course=course_factory(title="Annet kurs"), days=40)
    booking = booking_factory(first)

    response = staff_client.post(
        date_url("move", first.pk, booking.pk), {"to_date": other.pk}
    )

    assert "Velg en av datoene i listen." in text(response)
    booking.refresh_from_db()
    assert booking.course_date == first


def test_moving_an_invoiced_booking_moves_its_contacts_soft_opt_in_along(
    staff_client, course_factory, course_date_factory, booking_factory
):
    course = course_factory()
    first = course_date_factory(course=course, days=10)
    later = course_date_factory(course=course, days=40)
    booking = booking_factory(first, email="kari@example.no")
    staff_client.post(
        reverse("admin:courses_booking_changelist"),
        {"action": "mark_invoiced", ACTION_CHECKBOX_NAME: [booking.pk]},
    )
    assert Subscriber.objects.get().last_course_at == first.ends_at

    staff_client.post(date_url("move", first.pk, booking.pk), {"to_date": later.pk})

    assert Subscriber.objects.get().last_course_at == later.ends_at


# Swap a participant ----------------------------------------------------------------


def test_a_participant_is_swapped_for_a_colleague_and_nothing_of_them_stays(
    staff_client, course_date, booking_factory
):
    booking = booking_factory(course_date, seats=2)
    leaving = booking.participants.first()
    old_email = leaving.email
    prefix = f"bytt-{leaving.pk}"

    response = staff_client.post(
        date_url("swap", course_date.pk, leaving.pk),
        {
            f"{prefix}-first_name": "Ola",
            f"{prefix}-last_name": "Kollega",
            f"{prefix}-email": "Ola.Kollega@Example.no",
        },
        follow=True,
    )

    leaving.refresh_from_db()
    assert (leaving.first_name, leaving.last_name, leaving.email) == (
        "Ola",
        "Kollega",
        "ola.kollega@example.no",
    )
    assert not Participant.objects.filter(email=old_email).exists()
    assert booking.participants.count() == 2
    told = text(response)
    assert f"En deltaker på påmelding {booking.pk} er byttet ut: nå står Ola" in told
    assert "Ola Kollega har fått e-post om plassen." in told
    assert "Deltaker0" not in told  # neither in the message nor on the date's page
    notice = mails("courses_participant_notice")[-1]
    assert notice.to == "ola.kollega@example.no"


def test_a_swap_with_a_bad_address_shows_the_error_by_the_field_and_saves_nothing(
    staff_client, course_date, booking_factory
):
    booking = booking_factory(course_date)
    participant = booking.participants.get()
    prefix = f"bytt-{participant.pk}"

    response = staff_client.post(
        date_url("swap", course_date.pk, participant.pk),
        {
            f"{prefix}-first_name": "Ola",
            f"{prefix}-last_name": "",
            f"{prefix}-email": "ikke-en-adresse",
        },
    )

    assert response.status_code == 200
    page = text(response)
    assert "Skriv deltakerens etternavn." in page
    participant.refresh_from_db()
    assert participant.first_name == "Deltaker0"


def test_swapping_needs_the_kurs_permission(
    outsider_client, course_date, booking_factory
):
    participant = booking_factory(course_date).participants.get()

    response = outsider_client.post(
        date_url("swap", course_date.pk, participant.pk), {}
    )

    assert response.status_code == 403


# A booking taken by phone ----------------------------------------------------------


def phone_data(signup_data, **overrides) -> dict:
    return signup_data(
        others=[("Per", "Hansen", "per@example.no")],
        send_confirmation="on",
        **overrides,
    )


def test_kurs_adds_a_booking_taken_by_phone_with_its_confirmation(
    staff_client, course_date, signup_data
):
    url = date_url("phone_booking", course_date.pk)

    form = staff_client.get(url)
    response = staff_client.post(url, phone_data(signup_data), follow=True)

    assert "Kontaktpersonens fornavn" in text(form)
    booking = Booking.objects.get()
    assert (booking.status, booking.seats) == (Booking.Status.CONFIRMED, 2)
    assert booking.email == "ase.orjasaeter@example.no"
    assert response.redirect_chain[-1][0] == overview(course_date)
    # The confirmation to the contact, the art. 14 notice to Per.
    assert (
        f"Påmelding {booking.pk} er lagt inn: 2 deltakere, bekreftet. 2 e-poster er "
        "lagt i kø." in text(response)
    )
    assert [m.to for m in mails("courses_booking_confirmed")] == [booking.email]
    assert [m.to for m in mails("courses_participant_notice")] == ["per@example.no"]


def test_a_phone_booking_without_the_confirmation_mails_only_the_other_participants(
    staff_client, course_date, signup_data
):
    data = phone_data(signup_data)
    del data["send_confirmation"]

    response = staff_client.post(
        date_url("phone_booking", course_date.pk), data, follow=True
    )

    assert "1 e-post er lagt i kø." in text(response)
    assert "Kontaktpersonen fikk ingen bekreftelse (valgt bort)." in text(response)
    assert mails("courses_booking_confirmed") == []
    assert len(mails("courses_participant_notice")) == 1


def field_html(html: str, field_id: str) -> str:
    """The markup of one field's box (label, help, errors) up to its input."""
    return html.split(f'id="{field_id}"')[0].rsplit('class="field', 1)[1]


def test_a_phone_booking_is_checked_as_the_public_form_and_nothing_is_half_saved(
    staff_client, course_date, signup_data
):
    data = phone_data(
        signup_data,
        first_name="",
        orgnr="",
        invoice_street="",
        **{"deltaker-0-email": "ikke en adresse"},
    )

    response = staff_client.post(date_url("phone_booking", course_date.pk), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Skriv gateadressen eller postboksen fakturaen skal til" in field_html(
        html, "id_invoice_street"
    )
    assert INVALID_EMAIL_MESSAGE in field_html(html, "id_deltaker-0-email")
    assert "Skriv kontaktpersonens fornavn." in field_html(html, "id_first_name")
    assert "Påmeldingen er ikke lagret." in text(response)
    assert Booking.objects.count() == 0
    assert mails() == []


def test_a_phone_booking_for_a_full_date_is_refused_unless_waitlisted(
    staff_client, course_date_factory, booking_factory, signup_data
):
    course_date = course_date_factory(capacity=1)
    booking_factory(course_date)
    url = date_url("phone_booking", course_date.pk)

    refused = staff_client.post(url, phone_data(signup_data))
    waitlisted = staff_client.post(
        url, phone_data(signup_data, join_waitlist="on"), follow=True
    )

    assert "Påmeldingen er ikke lagret: Kurset er fullt." in text(refused)
    assert "2 deltakere, på venteliste." in text(waitlisted)
    assert Booking.objects.filter(status=Booking.Status.WAITLISTED).count() == 1


def test_a_phone_booking_needs_the_add_permission(
    outsider_client, course_date, signup_data
):
    url = date_url("phone_booking", course_date.pk)

    assert outsider_client.get(url).status_code == 403
    assert outsider_client.post(url, phone_data(signup_data)).status_code == 403
    assert Booking.objects.count() == 0


# Check-in --------------------------------------------------------------------------


def test_a_participant_is_checked_in_and_the_count_is_true(
    staff_client, course_date, booking_factory
):
    booking = booking_factory(course_date, seats=3)
    booking_factory(course_date, seats=1, email="ventende@example.no")
    Booking.objects.filter(email="ventende@example.no").update(
        status=Booking.Status.WAITLISTED
    )
    arriving = booking.participants.first()
    url = date_url("check_in", course_date.pk)

    before = text(staff_client.get(url))
    response = staff_client.post(url, {"deltaker": arriving.pk, "kom": "ja"})
    after = text(staff_client.get(url))

    assert "0 av 3 deltakere har kommet" in before
    assert response.status_code == 302
    assert response["Location"].endswith(f"#deltaker-{arriving.pk}")
    assert "1 av 3 deltakere har kommet" in after
    arriving.refresh_from_db()
    assert arriving.arrived_at is not None

    staff_client.post(url, {"deltaker": arriving.pk, "kom": "nei"})
    assert "0 av 3 deltakere har kommet" in text(staff_client.get(url))


def test_only_a_confirmed_participant_of_this_date_can_be_checked_in(
    staff_client, course_date_factory, booking_factory
):
    here, elsewhere = course_date_factory(), course_date_factory()
    stranger = booking_factory(elsewhere).participants.get()

    response = staff_client.post(
        date_url("check_in", here.pk), {"deltaker": stranger.pk, "kom": "ja"}
    )

    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.arrived_at is None


def test_check_in_needs_the_kurs_permission(
    outsider_client, course_date, booking_factory
):
    participant = booking_factory(course_date).participants.get()
    url = date_url("check_in", course_date.pk)

    assert outsider_client.get(url).status_code == 403
    assert (
        outsider_client.post(url, {"deltaker": participant.pk, "kom": "ja"}).status_code
        == 403
    )


# Mail to the participants ----------------------------------------------------------


def test_mail_to_the_participants_is_previewed_then_sent_and_logged_on_the_date(
    staff_client, course_date, booking_factory
):
    booking_factory(course_date, seats=2, email="a@example.no")
    booking_factory(course_date, seats=1, email="b@example.no")
    waiting = booking_factory(course_date, seats=1, email="c@example.no")
    Booking.objects.filter(pk=waiting.pk).update(status=Booking.Status.WAITLISTED)
    subject_restrict(email="d0.b@example.no")
    url = date_url("message", course_date.pk)
    written = {"subject": "Nytt rom", "body": "Vi er i rom 204.\n\nVelkommen!"}

    preview = staff_client.post(url, {**written, "preview": "1"})
    assert "Vi er i rom 204." in text(preview)
    assert "Send til 3 adresser" in text(preview)
    assert "1 adresse er begrenset" in text(preview)
    assert mails("courses_participant_message") == []

    response = staff_client.post(url, {**written, "send": "1"}, follow=True)

    sent = mails("courses_participant_message")
    assert sorted(m.to for m in sent) == [
        "d0.a@example.no",
        "d0.b@example.no",
        "d1.a@example.no",
    ]
    assert sent[0].subject == "Nytt rom"
    assert "Vi er i rom 204." in sent[0].body_text
    told = text(response)
    assert "E-posten «Nytt rom» er lagt i kø til de bekreftede deltakerne: 3 " in told
    assert "1 adresse er begrenset" in told
    message = CourseDateMessage.objects.get()
    assert (message.recipients, message.held_back) == (3, 1)
    # The log on the date's page: when, who, what, to how many, what the outbox did.
    assert "Kåre Nytt rom 3 (1 holdt tilbake) 3 i kø" in told


def test_mail_to_the_participants_needs_subject_and_text(staff_client, course_date):
    response = staff_client.post(
        date_url("message", course_date.pk), {"subject": "", "body": "", "send": "1"}
    )

    assert "Skriv et emne." in text(response)
    assert "Skriv hva e-posten skal si." in text(response)
    assert CourseDateMessage.objects.count() == 0


def test_mail_to_the_participants_needs_the_kurs_permission(
    outsider_client, course_date, booking_factory
):
    booking_factory(course_date)

    response = outsider_client.post(
        date_url("message", course_date.pk),
        {"subject": "Hei", "body": "Tekst", "send": "1"},
    )

    assert response.status_code == 403
    assert mails("courses_participant_message") == []


def test_an_erased_participant_keeps_no_check_in(
    staff_client, course_date, booking_factory
):
    booking = booking_factory(course_date, seats=2, email="kari@example.no")
    erased, kept = booking.participants.all()
    url = date_url("check_in", course_date.pk)
    for participant in (erased, kept):
        staff_client.post(url, {"deltaker": participant.pk, "kom": "ja"})

    subject_erase(email=erased.email)

    erased.refresh_from_db()
    kept.refresh_from_db()
    assert (erased.email, erased.arrived_at) == ("", None)
    assert kept.arrived_at is not None
    assert "1 av 2 deltakere har kommet" in text(staff_client.get(url))


# A seat offered from the waitlist, not yet confirmed by its contact -------------


@pytest.fixture
def offered(course_date_factory, booking_factory):
    """A one-seat date whose seat is offered to Åse (no invoicing details yet)."""
    course_date = course_date_factory(capacity=1)
    first = booking_factory(course_date, email="kari@example.no")
    ase = waitlist(course_date)
    services.booking_cancel(booking_id=first.pk)
    ase.refresh_from_db()
    assert ase.awaiting_answer
    return course_date, ase


def test_resending_an_offered_seat_sends_the_offer_again(staff_client, offered):
    course_date, ase = offered

    staff_client.post(date_url("resend", course_date.pk, ase.pk))

    assert len(mails("courses_booking_offered")) == 2
    assert all(m.to != ase.email for m in mails("courses_booking_confirmed"))


def test_an_offered_seat_does_not_move_until_it_is_confirmed(
    staff_client, offered, course_date_factory
):
    course_date, ase = offered
    later = course_date_factory(course=course_date.course, days=60)

    response = staff_client.post(
        date_url("move", course_date.pk, ase.pk), {"to_date": later.pk}
    )

    assert "Den kan flyttes når kunden har bekreftet plassen." in text(response)
    ase.refresh_from_db()
    assert ase.course_date == course_date


def test_an_offered_seat_is_neither_checked_in_nor_mailed_as_confirmed(
    staff_client, offered
):
    course_date, ase = offered

    page = text(staff_client.get(date_url("check_in", course_date.pk)))
    preview = staff_client.post(
        date_url("message", course_date.pk),
        {"subject": "Hei", "body": "Tekst", "preview": "1"},
    )

    assert "0 av 0 deltakere har kommet" in page
    assert "0 adresser" in text(preview)
