"""Soft opt-in rests on a sale (markedsføringsloven § 15 second paragraph): a
customer is one whose course was held or whose booking was invoiced, never a
waitlisted or cancelled one, and only for NEWSLETTER_CUSTOMER_MONTHS after their
last course."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses import services
from newsletter.models import NewsletterIssue, Subscriber
from newsletter.services import (
    issue_mail,
    newsletter_issue_send,
    subscription_confirm,
    subscription_request,
)

pytestmark = pytest.mark.django_db


def nightly() -> str:
    out = StringIO()
    call_command("record_course_customers", stdout=out)
    return out.getvalue()


def customers() -> list[str]:
    return sorted(Subscriber.objects.customers().values_list("email", flat=True))


def test_a_booking_is_no_customer_relationship_before_the_course_is_held(
    course_date_factory, booking_factory
):
    """Found: a person who booked was added as an existing customer at once."""
    booking_factory(course_date_factory(days=10), email="kari@example.no")

    assert customers() == []
    assert nightly() == ""
    assert customers() == []


def test_the_contact_becomes_a_customer_once_the_course_has_been_held(
    course_date_factory, booking_factory
):
    now = timezone.now()
    course_date = course_date_factory(days=10, hours=6)
    booking_factory(course_date, email="kari@example.no", now=now)

    course_date.starts_at = now - timedelta(days=1)
    course_date.ends_at = now - timedelta(hours=18)
    course_date.save()

    assert "1 kunde lagt til" in nightly()
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "kari@example.no"
    assert subscriber.last_course_at == course_date.ends_at
    assert nightly() == ""  # idempotent


def test_an_invoiced_booking_makes_its_contact_a_customer_at_once(
    course_date_factory, booking_factory, admin_user
):
    booking = booking_factory(course_date_factory(days=10), email="kari@example.no")

    services.bookings_mark_invoiced(booking_ids=[booking.pk], by=admin_user)

    assert customers() == ["kari@example.no"]


def test_a_waitlisted_or_declining_contact_never_becomes_a_customer(
    course_date_factory, booking_factory, admin_user
):
    course_date = course_date_factory(days=10, capacity=1)
    booking_factory(course_date, email="nei@example.no", newsletter_declined=True)
    waiting = booking_factory(course_date, email="venter@example.no")
    assert waiting.status == services.Status.WAITLISTED
    course_date.starts_at = timezone.now() - timedelta(days=2)
    course_date.ends_at = timezone.now() - timedelta(days=1)
    course_date.save()

    nightly()
    services.bookings_mark_invoiced(
        booking_ids=services.Booking.objects.values_list("pk", flat=True),
        by=admin_user,
    )

    assert customers() == []


def test_cancelling_the_only_purchase_ends_the_soft_opt_in_but_not_a_consent(
    course_date_factory, booking_factory, admin_user
):
    """Found: after cancelling they stayed "Aktiv / Eksisterende kunde"."""
    course_date = course_date_factory(days=10)
    kari = booking_factory(course_date, email="kari@example.no")
    ola = booking_factory(course_date, email="ola@example.no")
    services.bookings_mark_invoiced(booking_ids=[kari.pk, ola.pk], by=admin_user)
    subscription_confirm(
        subscriber=subscription_request(
            name="Ola", email="ola@example.no", source="newsletter_page"
        ),
        source="newsletter_page",
    )

    services.booking_cancel(booking_id=kari.pk, by=admin_user)
    services.booking_cancel(booking_id=ola.pk, by=admin_user)

    assert customers() == []
    assert Subscriber.objects.consented().get().email == "ola@example.no"


def test_a_later_course_moves_the_end_on_and_an_earlier_one_does_not(
    course_date_factory, booking_factory, admin_user
):
    later = course_date_factory(days=40)
    earlier = course_date_factory(days=10)
    for course_date in (later, earlier):
        booking = booking_factory(course_date, email="kari@example.no")
        services.bookings_mark_invoiced(booking_ids=[booking.pk], by=admin_user)

    assert Subscriber.objects.get().last_course_at == later.ends_at


def test_the_soft_opt_in_ends_the_set_number_of_months_after_the_last_course(
    settings,
):
    settings.NEWSLETTER_CUSTOMER_MONTHS = 24
    now = timezone.now()
    for email, months_ago in (("gammel@example.no", 25), ("ny@example.no", 23)):
        Subscriber.objects.create(
            email=email,
            status=Subscriber.Status.ACTIVE,
            basis=Subscriber.Basis.CUSTOMER,
            source=Subscriber.Source.COURSE_SIGNUP,
            last_course_at=now - timedelta(days=months_ago * 30.5),
        )

    call_command("enforce_retention", stdout=StringIO())

    assert customers() == ["ny@example.no"]


def test_the_sign_up_form_and_the_privacy_page_say_when_it_starts_and_ends(
    client, course_date_factory, settings
):
    settings.NEWSLETTER_CUSTOMER_MONTHS = 18
    course_date = course_date_factory()
    signup = client.get(
        f"/kurs/{course_date.course.slug}/{course_date.pk}/pamelding/"
    ).text
    statement = client.get("/personvern/").text

    assert "Når du har vært på kurset" in signup
    assert "i 18 måneder etter det siste kurset ditt" in signup
    assert "18 måneder etter det siste kurset ditt" in statement


def test_the_newsletter_tells_a_customer_truthfully_why_they_get_it(
    course_date_factory, booking_factory, admin_user
):
    booking = booking_factory(course_date_factory(days=10), email="kari@example.no")
    services.bookings_mark_invoiced(booking_ids=[booking.pk], by=admin_user)
    issue = NewsletterIssue.objects.create(
        subject="Nye kurs", body_text="Hei!", body_html="<p>Hei!</p>"
    )

    mail = issue_mail(issue, Subscriber.objects.get())

    assert "fordi du har kjøpt kurs hos oss" in mail.body_text
    assert "fordi du har kjøpt kurs hos oss" in mail.body_html


def test_a_customer_past_the_period_gets_no_newsletter_even_before_the_nightly_job(
    settings,
):
    settings.NEWSLETTER_CUSTOMER_MONTHS = 24
    Subscriber.objects.create(
        email="gammel@example.no",
        status=Subscriber.Status.ACTIVE,
        basis=Subscriber.Basis.CUSTOMER,
        source=Subscriber.Source.COURSE_SIGNUP,
        last_course_at=timezone.now() - timedelta(days=25 * 30.5),
    )
    issue = NewsletterIssue.objects.create(
        subject="Nye kurs", body_text="Hei!", body_html="<p>Hei!</p>"
    )

    assert newsletter_issue_send(issue=issue) == 0
