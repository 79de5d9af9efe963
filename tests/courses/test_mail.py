from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar

from courses import services
from outbox.services import email_send_queued
from tests.courses.conftest import mails
from tests.courses.test_signup import signup_url

OSLO = ZoneInfo("Europe/Oslo")


def calendar_of(mail) -> Calendar:
    [attachment] = mail.attachments
    assert attachment["filename"] == "kurs.ics"
    assert attachment["mimetype"] == "text/calendar"
    return Calendar.from_ical(attachment["content"])


def test_the_calendar_file_parses_and_has_the_times_in_europe_oslo(
    course_date_factory, booking_factory
):
    # 14 January: winter time, UTC+1.
    course_date = course_date_factory(
        starts_at=datetime(2031, 1, 14, 9, 0, tzinfo=OSLO), hours=6, place="Bryggen 5"
    )
    booking = booking_factory(course_date)

    calendar = calendar_of(mails()[0])
    [event] = calendar.walk("VEVENT")

    assert event["DTSTART"].params["TZID"] == "Europe/Oslo"
    start = event.decoded("DTSTART")
    end = event.decoded("DTEND")
    assert (start.hour, start.minute, end.hour) == (9, 0, 15)
    assert start.utcoffset() == timedelta(hours=1)
    assert start == course_date.starts_at
    assert str(event["SUMMARY"]) == course_date.course.title
    assert str(event["LOCATION"]) == "Bryggen 5"
    assert str(event["UID"]) == f"booking-{booking.pk}@glasoterapi.no"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Oslo"]


def test_the_calendar_file_follows_summer_time(course_date_factory, booking_factory):
    course_date = course_date_factory(
        starts_at=datetime(2031, 6, 10, 18, 0, tzinfo=OSLO), is_online=True, place=""
    )
    booking_factory(course_date)

    [event] = calendar_of(mails()[0]).walk("VEVENT")

    start = event.decoded("DTSTART")
    assert (start.hour, start.utcoffset()) == (18, timedelta(hours=2))
    assert str(event["LOCATION"]) == "Nettbasert"


def test_the_confirmation_has_the_price_invoicing_details_and_cancel_link(
    client, course_factory, course_date_factory, signup_data
):
    course = course_factory(title="Glass & lys", price=Decimal(2900))
    course_date = course_date_factory(
        course=course,
        starts_at=datetime(2031, 3, 4, 12, 0, tzinfo=OSLO),
        cancellation_deadline=datetime(2031, 2, 25, 12, 0, tzinfo=OSLO),
    )
    client.post(
        signup_url(course_date), signup_data(others=[("Per", "Ås", "per@example.no")])
    )

    [mail] = mails("courses_booking_confirmed")
    body = mail.body_text

    assert mail.subject == "Påmeldingen er bekreftet: Glass & lys 4. mars 2031"
    assert "Hei Åse," in body
    assert "Kurs: Glass & lys" in body
    assert "Når: tirsdag 4. mars 2031 kl. 12.00–18.00" in body
    assert "- Åse Ørjasæter (ase.orjasaeter@example.no)" in body
    assert "- Per Ås (per@example.no)" in body
    assert "Pris: kr 2 900 inkl. mva per deltaker" in body
    assert "Til sammen: kr 5 800 inkl. mva (kr 4 640 + mva kr 1 160)" in body
    assert "Glassverkstedet Bodø AS, org.nr. 974760673" in body
    assert "8006 Bodø" in body
    assert "Sendes på e-post til faktura@glassverkstedet.no." in body
    assert "Deres referanse: Prosjekt Ærfugl 42" in body
    assert "Avbestill innen 25.02.2031 kl. 12.00" in body
    assert "/kurs/avbestill/" in body
    assert "&amp;" not in body


def test_prices_without_vat_are_totalled_with_vat_added(
    course_factory, course_date_factory, booking_factory
):
    course = course_factory(price=Decimal(1000), price_includes_vat=False)
    booking_factory(course_date_factory(course=course), seats=3)

    body = mails()[0].body_text

    assert "Pris: kr 1 000 ekskl. mva per deltaker" in body
    assert "Til sammen: kr 3 750 inkl. mva (kr 3 000 + mva kr 750)" in body


def test_the_confirmation_reaches_an_smtp_server_with_the_calendar_attached(
    smtp_sink, course_date, booking_factory
):
    booking_factory(course_date, email="kari@example.no")

    assert email_send_queued()["sent"] == 2  # and the participant's notice

    [message] = [m for m in smtp_sink.messages if m["To"] == "kari@example.no"]
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "text/calendar" in parts
    calendar = Calendar.from_ical(parts["text/calendar"].get_payload(decode=True))
    assert len(calendar.walk("VEVENT")) == 1


def test_mail_is_kept_and_retried_when_the_mail_server_is_down(
    smtp_down, course_date, booking_factory
):
    booking = booking_factory(course_date)

    counts = email_send_queued()
    assert (counts["sent"], counts["retry"]) == (0, 2)  # and the participant's notice
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert mails()[0].status == "queued"


def test_a_waitlisted_booking_gets_a_receipt_with_a_link_to_leave_the_waitlist(
    course_date_factory, booking_factory
):
    course_date = course_date_factory(capacity=1)
    booking_factory(course_date, email="a@example.no")
    booking_factory(course_date, email="b@example.no")

    [mail] = mails("courses_booking_waitlisted")

    assert mail.to == "b@example.no"
    assert mail.subject.startswith("Du står på ventelisten")
    assert "Ingen i påmeldingen har fått plass ennå." in mail.body_text
    assert "/kurs/avbestill/" in mail.body_text


def test_staff_cancelling_a_date_tells_everyone(
    course_date_factory, booking_factory, course_staff
):
    course_date = course_date_factory(capacity=1)
    booking_factory(course_date, email="a@example.no")
    booking_factory(course_date, email="b@example.no")

    count = len(
        services.course_date_cancel(
            course_date_id=course_date.pk, by=course_staff
        ).cancelled
    )

    assert count == 2
    cancelled = mails("courses_course_date_cancelled")
    assert sorted(mail.to for mail in cancelled) == ["a@example.no", "b@example.no"]
    assert "vi må dessverre avlyse" in cancelled[0].body_text
    course_date.refresh_from_db()
    assert course_date.cancelled_at is not None
    assert course_date.cancelled_at <= timezone.now()


def test_a_colleague_signed_up_by_someone_else_is_told_at_once_and_how_long(
    client, course_factory, course_date_factory, signup_data
):
    course = course_factory(title="Glass & lys")
    course_date = course_date_factory(
        course=course, starts_at=datetime(2031, 3, 4, 12, 0, tzinfo=OSLO)
    )
    client.post(
        signup_url(course_date), signup_data(others=[("Per", "Ås", "per@example.no")])
    )

    [notice] = mails("courses_participant_notice")  # not to Åse, who booked
    body = notice.body_text

    assert notice.to == "per@example.no"
    assert notice.subject == "Du er meldt på: Glass & lys 4. mars 2031"
    assert "du er meldt på et kurs hos Glasoterapi." in body
    assert "Når: tirsdag 4. mars 2031 kl. 12.00–18.00" in body
    # Art. 14: the source, purpose, basis, period and rights, objection included.
    assert "den som meldte deg på, ga oss navnet og e-postadressen din" in body
    assert "berettiget interesse" in body
    assert "sletter dem 1 år etter kursdatoen" in body
    assert "Du kan protestere mot dette" in body
    assert "/personvern/mine-data/" in body
    assert "ventelisten" not in body
    # Nothing anyone typed into the form: the notice must not carry a stranger's
    # text to the addresses they entered.
    for typed in ("Åse", "Ørjasæter", "Glassverkstedet", "Per", "Ås"):
        assert typed not in body.replace("Glass & lys", "")


def test_a_colleague_on_the_waitlist_is_told_so(
    client, course_date_factory, signup_data, booking_factory
):
    course_date = course_date_factory(capacity=1)
    booking_factory(course_date)
    client.post(
        signup_url(course_date),
        signup_data(others=[("Per", "Ås", "per@example.no")], waitlist="yes"),
    )

    [notice] = mails("courses_participant_notice")[-1:]

    assert notice.to == "per@example.no"
    assert "står på ventelisten" in notice.body_text
