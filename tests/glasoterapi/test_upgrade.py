"""Upgrading a database from the schema before the apps were split (the outbox in
the project package, the newsletter inside privacy) keeps every table, row and
staff permission."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_THE_SPLIT = [
    ("glasoterapi", "0004_norwegian_field_names"),
    ("privacy", "0007_norwegian_field_names"),
    ("outbox", None),
    ("newsletter", None),
]


def migrate_to(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(
        [target for target in targets if target[1] is not None]
    ).apps


def old_course_date(old, *, year: int):
    """A course date in the schema `old`, held on 1 October of `year`."""
    course, _ = old.get_model("courses", "Course").objects.get_or_create(
        slug="grunnkurs", defaults={"title": "Grunnkurs", "price": 4500, "vat_rate": 25}
    )
    return old.get_model("courses", "CourseDate").objects.create(
        course=course,
        starts_at=f"{year}-10-01T08:00:00Z",
        ends_at=f"{year}-10-01T14:00:00Z",
        place="Oslo",
        capacity=10,
    )


def old_booking(old, course_date, *, email: str):
    """A confirmed one-seat booking in the schema `old`."""
    return old.get_model("courses", "Booking").objects.create(
        course_date=course_date,
        status="confirmed",
        seats=1,
        first_name="Kari",
        last_name="Nordmann",
        email=email,
        invoice_name="Kari",
        invoice_street="Gata 1",
        invoice_postcode="0150",
        invoice_place="Oslo",
        invoice_method="email",
        unit_price=4500,
        price_includes_vat=True,
        vat_rate=25,
    )


@pytest.mark.django_db(transaction=True)
def test_an_upgrade_from_before_the_split_keeps_every_row_and_permission():
    old = migrate_to(BEFORE_THE_SPLIT)
    old.get_model("glasoterapi", "OutgoingEmail").objects.create(
        kind="contact.receipt",
        to="kari@example.no",
        subject="Takk",
        body_text="Hei",
        next_attempt_at="2026-11-30T12:00:00Z",
    )
    old.get_model("privacy", "Subscriber").objects.create(
        name="Kari", email="kari@example.no", basis="consent", source="admin"
    )
    old.get_model("privacy", "NewsletterSuppression").objects.create(email_key="a" * 64)
    old.get_model("privacy", "NewsletterIssue").objects.create(
        subject="Nye kurs", body_text="Hei"
    )
    subscriber_type, _ = old.get_model(
        "contenttypes", "ContentType"
    ).objects.get_or_create(app_label="privacy", model="subscriber")
    may_correct, _ = old.get_model("auth", "Permission").objects.get_or_create(
        content_type=subscriber_type,
        codename="change_subscriber",
        defaults={"name": "Can change abonnent"},
    )
    old.get_model("auth", "Group").objects.create(name="Retter").permissions.add(
        may_correct
    )

    call_command("migrate", verbosity=0)

    from django.contrib.auth.models import Group

    from newsletter.models import NewsletterIssue, NewsletterSuppression, Subscriber
    from outbox.models import OutgoingEmail

    assert OutgoingEmail.objects.get().subject == "Takk"
    assert Subscriber.objects.get().email == "kari@example.no"
    assert NewsletterSuppression.objects.count() == NewsletterIssue.objects.count() == 1
    (permission,) = Group.objects.get(name="Retter").permissions.all()
    assert permission.codename == "change_subscriber"
    assert permission.content_type.app_label == "newsletter"
    assert permission.content_type.model_class() is Subscriber


@pytest.mark.django_db(transaction=True)
def test_customers_added_before_a_sale_are_removed_and_the_rest_get_their_last_course():
    old = migrate_to(
        [("newsletter", "0001_initial"), ("courses", "0004_course_slug_help")]
    )
    Subscriber = old.get_model("newsletter", "Subscriber")
    held, upcoming = old_course_date(old, year=2026), old_course_date(old, year=2099)
    for email, course_date in (
        ("held@example.no", held),
        ("soon@example.no", upcoming),
    ):
        old_booking(old, course_date, email=email)
        Subscriber.objects.create(
            email=email, status="active", basis="customer", source="course_signup"
        )
    Subscriber.objects.create(
        email="own@example.no", status="active", basis="consent", source="admin"
    )

    call_command("migrate", verbosity=0)

    from newsletter.models import Subscriber as Now

    assert sorted(Now.objects.values_list("email", "basis")) == [
        ("held@example.no", "customer"),
        ("own@example.no", "consent"),
    ]
    assert Now.objects.get(email="held@example.no").last_course_at.year == 2026


# The schema of the last release (main before this one's changes).
LAST_RELEASE = [
    ("glasoterapi", "0005_outbox_moved"),
    ("outbox", "0001_initial"),
    ("privacy", "0009_consent_source_labels"),
    ("newsletter", "0001_initial"),
    ("contact", "0004_phone_optional"),
    ("courses", "0004_course_slug_help"),
    ("pages", None),
]


@pytest.mark.django_db(transaction=True)
def test_an_upgrade_from_the_last_release_keeps_every_row():
    old = migrate_to(LAST_RELEASE)
    old_booking(old, old_course_date(old, year=2099), email="kari@example.no")
    old.get_model("contact", "Inquiry").objects.create(
        first_name="Ola", last_name="Hansen", email="ola@example.no", message="Hei"
    )
    old.get_model("privacy", "DataSubjectRequest").objects.create(
        kind="access", subject_key="a" * 64, due_at="2026-12-31T00:00:00Z"
    )
    old.get_model("outbox", "OutgoingEmail").objects.create(
        kind="contact.receipt",
        to="ola@example.no",
        subject="Takk",
        body_text="Hei",
        next_attempt_at="2026-11-30T12:00:00Z",
    )

    call_command("migrate", verbosity=0)

    from contact.models import Inquiry
    from courses.models import Booking, Course
    from outbox.models import OutgoingEmail
    from privacy.models import DataSubjectRequest

    course = Course.objects.get()
    assert course.title == "Grunnkurs"
    assert course.is_published  # a course of the last release stays on the site
    assert Booking.objects.get().email == "kari@example.no"
    assert Inquiry.objects.get().email == "ola@example.no"
    assert DataSubjectRequest.objects.count() == 1
    assert OutgoingEmail.objects.get().to == "ola@example.no"
