from datetime import UTC, datetime, timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from courses.models import (
    CONTACT_PROCESSING,
    INVOICE_RECIPIENT_PROCESSING,
    INVOICING_PROCESSING,
    PARTICIPANTS_PROCESSING,
    UNINVOICED_PROCESSING,
    Booking,
    CourseDate,
    Participant,
)
from newsletter.models import Subscriber
from privacy.registry import ErasureAction, LegalBasis, registry
from privacy.services.retention import retention_enforce
from privacy.services.rights import subject_erase
from tests.courses.conftest import mails
from tests.courses.test_catalogue import text

participants = registry.processing(PARTICIPANTS_PROCESSING)
contact = registry.processing(CONTACT_PROCESSING)
uninvoiced = registry.processing(UNINVOICED_PROCESSING)
invoicing = registry.processing(INVOICING_PROCESSING)

COURSE_START = datetime(2031, 3, 1, 9, tzinfo=UTC)


def invoice(booking, moment):
    Booking.objects.filter(pk=booking.pk).update(invoiced_at=moment)


def test_sign_up_data_rests_on_legitimate_interest_and_invoicing_on_the_law():
    for processing in (participants, contact, uninvoiced):
        assert processing.legal_basis == LegalBasis.LEGITIMATE_INTEREST
        assert processing.retention.text == "1 år etter kursdatoen"
        assert not processing.legal_hold
    assert participants.model is Participant
    assert participants.erasure.action == ErasureAction.ANONYMISE
    assert contact.erasure.action == ErasureAction.ANONYMISE
    assert uninvoiced.erasure.action == ErasureAction.DELETE

    assert invoicing.model is Booking
    assert invoicing.legal_basis == LegalBasis.LEGAL_OBLIGATION
    assert invoicing.legal_hold
    assert invoicing.erasure.action == ErasureAction.DELETE
    assert invoicing.retention.text == (
        "5 år etter utgangen av regnskapsåret bestillingen ble fakturert"
    )


def test_retention_after_the_course_follows_the_setting(settings):
    settings.COURSES_PARTICIPANT_RETENTION_DAYS = 730

    assert participants.retention.text == "2 år etter kursdatoen"
    assert contact.retention.text == "2 år etter kursdatoen"


def test_a_person_is_found_as_contact_participant_or_invoice_recipient(
    course_date, booking_factory
):
    booking = booking_factory(course_date, seats=2, email="kari@example.no")
    invoice(booking, COURSE_START)
    booking_factory(course_date, email="annen@example.no")

    assert list(contact.records_for("Kari@Example.no")) == [booking]
    assert list(invoicing.records_for("KARI@example.no")) == [booking]
    assert list(participants.records_for("d1.kari@example.no")) == [
        booking.participants.get(email="d1.kari@example.no")
    ]
    assert list(uninvoiced.records_for("kari@example.no")) == []


def test_participant_and_contact_data_expire_the_set_days_after_the_course(
    course_date_factory, booking_factory
):
    course_date = course_date_factory(starts_at=COURSE_START)
    booking = booking_factory(course_date, now=COURSE_START - timedelta(days=30))

    just_before = COURSE_START + timedelta(days=365) - timedelta(seconds=1)
    just_after = COURSE_START + timedelta(days=365) + timedelta(seconds=1)
    assert list(contact.expired_records(just_before)) == []
    assert list(participants.expired_records(just_before)) == []
    assert list(contact.expired_records(just_after)) == [booking]
    assert list(participants.expired_records(just_after)) == list(
        booking.participants.all()
    )


def test_invoicing_data_is_kept_five_years_after_the_end_of_the_invoice_year(
    course_date, booking_factory
):
    booking = booking_factory(course_date)
    invoice(booking, datetime(2030, 6, 15, 12, tzinfo=UTC))

    last_day = datetime(2035, 12, 31, 23, 0, tzinfo=UTC)
    first_day_after = datetime(2036, 1, 1, 0, 30, tzinfo=UTC)
    assert list(invoicing.expired_records(last_day)) == []
    assert list(invoicing.expired_records(first_day_after)) == [booking]


def test_the_retention_job_anonymises_invoiced_bookings_and_deletes_the_rest(
    course_date_factory, booking_factory
):
    course_date = course_date_factory(starts_at=COURSE_START)
    before = COURSE_START - timedelta(days=30)
    invoiced = booking_factory(
        course_date, seats=2, email="kari@example.no", now=before
    )
    invoice(invoiced, COURSE_START + timedelta(days=3))
    never_invoiced = booking_factory(course_date, email="per@example.no", now=before)
    a_year_later = COURSE_START + timedelta(days=366)

    counts = {r.key: r.count for r in retention_enforce(now=a_year_later)}

    # Bookings deleted, not counting their participants deleted with them.
    assert counts["courses.booking_uninvoiced"] == 1
    assert not Booking.objects.filter(pk=never_invoiced.pk).exists()
    invoiced.refresh_from_db()
    assert (invoiced.first_name, invoiced.last_name, invoiced.email) == ("", "", "")
    assert invoiced.company == ""
    assert set(invoiced.participants.values_list("first_name", "email")) == {("", "")}
    # What bookkeeping needs stays (bokføringsloven § 13):
    assert invoiced.invoice_name == "Nordmann AS"
    assert invoiced.invoice_email == "kari@example.no"
    assert invoiced.orgnr == "974760673"
    assert invoiced.seats == 2
    assert invoiced.participants.count() == 2

    again = retention_enforce(now=a_year_later)
    assert sum(result.count for result in again) == 0

    retention_enforce(now=datetime(2037, 1, 1, 12, tzinfo=UTC))
    assert not Booking.objects.exists()
    assert not Participant.objects.exists()


def test_erasure_before_the_end_keeps_only_what_bookkeeping_needs_and_says_so(
    course_date, booking_factory
):
    invoiced = booking_factory(course_date, seats=2, email="kari@example.no")
    invoice(invoiced, datetime(2030, 6, 15, 12, tzinfo=UTC))
    upcoming = booking_factory(course_date, email="kari@example.no")

    report = subject_erase(email="kari@example.no")

    assert not Booking.objects.filter(pk=upcoming.pk).exists()
    invoiced.refresh_from_db()
    assert (invoiced.first_name, invoiced.email) == ("", "")
    assert invoiced.invoice_name == "Nordmann AS"
    assert report.kept == {invoicing.purpose: "til 1. januar 2036"}
    assert list(contact.records_for("kari@example.no")) == []


def test_erasing_a_confirmed_booking_gives_its_seats_to_the_waitlist(
    course_date_factory, booking_factory
):
    course_date = course_date_factory(capacity=2)
    booking_factory(course_date, seats=2, email="kari@example.no")
    waiting = booking_factory(course_date, seats=2, email="venter@example.no")
    assert waiting.status == Booking.Status.WAITLISTED

    subject_erase(email="kari@example.no")

    waiting.refresh_from_db()
    assert waiting.status == Booking.Status.CONFIRMED
    assert [mail.to for mail in mails("courses_booking_promoted")] == [
        "venter@example.no"
    ]


def test_retention_of_a_past_dates_bookings_moves_no_one_up(
    course_date_factory, booking_factory
):
    course_date = course_date_factory(capacity=1, starts_at=COURSE_START)
    before = COURSE_START - timedelta(days=30)
    booking_factory(course_date, email="kari@example.no", now=before)
    waiting = booking_factory(course_date, email="venter@example.no", now=before)

    retention_enforce(now=COURSE_START + timedelta(days=366))

    assert not Booking.objects.filter(pk=waiting.pk).exists()
    assert mails("courses_booking_promoted") == []


def test_a_participants_erasure_touches_only_their_own_row(
    course_date, booking_factory
):
    booking = booking_factory(course_date, seats=2, email="kari@example.no")

    subject_erase(email="d0.kari@example.no")

    booking.refresh_from_db()
    assert booking.email == "kari@example.no"
    assert sorted(booking.participants.values_list("email", flat=True)) == [
        "",
        "d1.kari@example.no",
    ]


def test_the_privacy_page_lists_the_sign_up_processings(client, db):
    page = text(client.get("/personvern/"))

    for processing in (participants, contact, uninvoiced, invoicing):
        assert processing.purpose in page
    assert "1 år etter kursdatoen" in page


def test_a_confirmed_contact_who_did_not_say_no_thanks_gets_course_news(
    course_date_factory, booking_factory
):
    course_date = course_date_factory(capacity=1)
    booking_factory(course_date, email="ja@example.no")
    booking_factory(course_date, email="venter@example.no")  # waitlisted
    other = course_date_factory()
    booking_factory(other, email="nei@example.no", newsletter_declined=True)
    held = timezone.now() - timedelta(days=1)
    CourseDate.objects.update(starts_at=held - timedelta(hours=6), ends_at=held)

    call_command("record_course_customers", stdout=StringIO())

    subscriber = Subscriber.objects.get()
    assert subscriber.email == "ja@example.no"
    assert subscriber.basis == Subscriber.Basis.CUSTOMER
    assert subscriber.source == Subscriber.Source.COURSE_SIGNUP


def test_erasure_across_every_app_respects_the_legal_hold(course_date, booking_factory):
    from contact.models import Inquiry
    from contact.services import inquiry_create
    from newsletter.models import Subscriber
    from newsletter.services import subscription_confirm, subscription_request
    from outbox.models import OutgoingEmail
    from privacy.models import ConsentRecord

    email = "kari@example.no"
    inquiry_create(
        first_name="Kari",
        last_name="Nordmann",
        email=email,
        phone="+4791234567",
        company="",
        message="Hei",
    )
    subscription_confirm(
        subscriber=subscription_request(name="Kari", email=email, source="admin")
    )
    invoiced = booking_factory(course_date, seats=1, email=email)
    invoice(invoiced, datetime(2030, 6, 15, 12, tzinfo=UTC))
    other_person = booking_factory(course_date, seats=1, email="ola@example.no")

    report = subject_erase(email=email)

    assert not Inquiry.objects.exists()
    assert not Subscriber.objects.filter(email=email).exists()
    assert not OutgoingEmail.objects.filter(to=email).exists()
    invoiced.refresh_from_db()
    assert (invoiced.first_name, invoiced.email) == ("", "")
    assert invoiced.invoice_name == "Nordmann AS"  # bokføringsloven § 13
    assert ConsentRecord.objects.filter(purpose="newsletter").exists()  # proof
    assert set(report.kept) >= {invoicing.purpose}
    other_person.refresh_from_db()
    assert other_person.email == "ola@example.no"
    assert subject_erase(email=email).erased == {}  # idempotent


def test_colleagues_are_told_when_the_booking_they_were_on_is_erased(
    client, course_date_factory, signup_data
):
    from tests.courses.test_signup import signup_url

    course_date = course_date_factory()
    client.post(
        signup_url(course_date), signup_data(others=[("Per", "Ås", "per@example.no")])
    )
    booker = Booking.objects.get().email

    subject_erase(email=booker)

    [withdrawn] = mails("courses_participant_withdrawn")
    assert withdrawn.to == "per@example.no"
    assert "du er ikke lenger påmeldt" in withdrawn.body_text
    assert f"/kurs/{course_date.course.slug}/" in withdrawn.body_text
    assert not Booking.objects.exists()


def test_retention_of_past_bookings_tells_no_one(course_date_factory, booking_factory):
    course_date = course_date_factory(starts_at=COURSE_START)
    booking_factory(course_date, now=COURSE_START - timedelta(days=30))

    retention_enforce(now=COURSE_START + timedelta(days=366))

    assert mails("courses_participant_withdrawn") == []


def test_the_invoice_address_holders_erasure_blanks_only_their_address(
    course_date, booking_factory
):
    booking = booking_factory(
        course_date, email="kari@example.no", invoice_email="faktura@firma.no"
    )
    recipient = registry.processing(INVOICE_RECIPIENT_PROCESSING)
    assert list(recipient.records_for("faktura@firma.no")) == [booking]
    assert list(uninvoiced.records_for("faktura@firma.no")) == []

    subject_erase(email="faktura@firma.no")

    booking.refresh_from_db()  # the booking is Kari's: still there
    assert booking.invoice_email == ""
    assert booking.email == "kari@example.no"
    assert mails("courses_participant_withdrawn") == []
