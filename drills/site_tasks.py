"""The Django side of the drills: set up data and run services in a subprocess
with the drill's environment, as an operator would in `manage.py shell`.

    python -m drills.site_tasks course_date_create capacity=10

Prints one line of JSON. The drills themselves stay outside Django: they act
through HTTP, manage.py and signals, and check the outcome with SQL.
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from decimal import Decimal


def site_urls() -> dict:
    """The public paths the drills visit, so that they follow URL changes."""
    from django.urls import reverse

    return {
        "course_list": reverse("courses:course_list"),
        "contact": reverse("contact:contact"),
        "contact_thanks": reverse("contact:thanks"),
        "newsletter": reverse("newsletter:signup"),
        "newsletter_check_email": reverse("newsletter:check_email"),
    }


def course_date_create(*, capacity: int, label: str = "ovelse") -> dict:
    """A published course with one date a month ahead, open for sign-up."""
    from django.urls import reverse
    from django.utils import timezone

    from courses.models import Course, CourseDate

    course = Course.objects.create(
        title="Øvelseskurs i glasoterapi",
        slug=f"{label}-{timezone.now():%H%M%S%f}",
        summary="Et kurs som bare finnes under øvelsene.",
        description="Laget av make drills.",
        price=Decimal("1500.00"),
        is_published=True,
    )
    starts = timezone.now() + timedelta(days=30)
    course_date = CourseDate.objects.create(
        course=course,
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        place="Øvelsessalen, Oslo",
        capacity=capacity,
    )
    args = {"slug": course.slug, "date_id": course_date.pk}
    return {
        "course": course.pk,
        "course_date": course_date.pk,
        "detail": reverse("courses:course_detail", kwargs={"slug": course.slug}),
        "admin_change": reverse("admin:courses_course_change", args=[course.pk]),
        "signup": reverse("courses:signup", kwargs=args),
        "confirmed": reverse("courses:signup_confirmed", kwargs=args),
        "waitlisted": reverse("courses:signup_waitlisted", kwargs=args),
    }


def retention_seed(*, expired: int, kept: int) -> dict:
    """Newsletter sign-ups never confirmed and mails in the outbox, `expired` of
    each past their retention period and `kept` of each within it, plus `kept`
    long-standing subscribers (kept until they unsubscribe)."""
    from django.conf import settings
    from django.utils import timezone

    from newsletter.models import Subscriber
    from outbox.models import OutgoingEmail

    now = timezone.now()
    pending_limit = timedelta(days=settings.NEWSLETTER_PENDING_RETENTION_DAYS)
    mail_limit = timedelta(days=settings.MAIL_RETENTION_DAYS)
    groups = [
        ("utlopt", Subscriber.Status.PENDING, expired, now - pending_limit * 2),
        ("venter", Subscriber.Status.PENDING, kept, now - timedelta(days=1)),
        ("aktiv", Subscriber.Status.ACTIVE, kept, now - timedelta(days=400)),
    ]
    for prefix, status, count, created_at in groups:
        Subscriber.objects.bulk_create(
            (
                Subscriber(
                    name=f"Øvelse {number}",
                    email=f"{prefix}-{number}@example.com",
                    status=status,
                    basis=Subscriber.Basis.CONSENT,
                    source=Subscriber.Source.NEWSLETTER_PAGE,
                    confirmed_at=created_at if status == "active" else None,
                )
                for number in range(count)
            ),
            batch_size=2000,
        )
        # created_at is auto_now_add: backdate after the insert.
        Subscriber.objects.filter(email__startswith=f"{prefix}-").update(
            created_at=created_at
        )
    for prefix, count, created_at in [
        ("gammel", expired, now - mail_limit * 2),
        ("ny", kept, now - timedelta(days=1)),
    ]:
        OutgoingEmail.objects.bulk_create(
            (
                OutgoingEmail(
                    kind="drill",
                    to=f"{prefix}-{number}@example.com",
                    subject="Øvelse",
                    body_text="Øvelse",
                    status=OutgoingEmail.Status.SENT,
                    next_attempt_at=created_at,
                    sent_at=created_at,
                )
                for number in range(count)
            ),
            batch_size=2000,
        )
        OutgoingEmail.objects.filter(to__startswith=f"{prefix}-").update(
            created_at=created_at
        )
    return {
        "subscribers": Subscriber.objects.count(),
        "mails": OutgoingEmail.objects.count(),
    }


def newsletter_seed(*, subscribers: int) -> dict:
    """`subscribers` confirmed subscribers and an issue ready to send."""
    from django.utils import timezone

    from newsletter.models import NewsletterIssue, Subscriber

    Subscriber.objects.bulk_create(
        (
            Subscriber(
                name=f"Abonnent {number}",
                email=f"abonnent-{number}@example.com",
                status=Subscriber.Status.ACTIVE,
                basis=Subscriber.Basis.CONSENT,
                source=Subscriber.Source.NEWSLETTER_PAGE,
                confirmed_at=timezone.now(),
            )
            for number in range(subscribers)
        ),
        batch_size=2000,
    )
    issue = NewsletterIssue.objects.create(
        subject="Øvelse: nye kurs til våren", body_text="Hei!\n\nNye kurs til våren."
    )
    return {"issue": issue.pk}


def newsletter_issue_send(*, issue: int, batch_size: int) -> dict:
    """What the admin's "send" action does: queue one mail per subscriber."""
    from newsletter.models import NewsletterIssue
    from newsletter.services import newsletter_issue_send

    queued = newsletter_issue_send(
        issue=NewsletterIssue.objects.get(pk=issue), batch_size=batch_size
    )
    return {"queued": queued}


def staff_user_create(*, username: str, password: str, backup_code: str) -> dict:
    """A staff member (superuser) with a password and one backup code, so that a
    drill can log in through both steps over HTTP, as a person would."""
    from django.contrib.auth.models import User
    from django.urls import reverse
    from django_otp.plugins.otp_static.models import StaticDevice

    user = User.objects.create_user(
        username, f"{username}@example.com", password, is_staff=True, is_superuser=True
    )
    device = StaticDevice.objects.create(user=user, name="Reservekoder")
    device.token_set.create(token=backup_code)
    return {
        "login": reverse("admin:login"),
        "second_factor": reverse("two_factor_verify"),
        "index": reverse("admin:index"),
    }


def people_seed() -> dict:
    """Kari has asked a question, Ola and Per get the newsletter: the backup
    drill's people, and Ola's one-click unsubscribe path."""
    from django.urls import reverse
    from django.utils import timezone

    from contact.models import Inquiry
    from newsletter.models import Subscriber
    from newsletter.services import UNSUBSCRIBE_SALT, subscriber_token

    Inquiry.objects.create(
        first_name="Kari",
        last_name="Nordmann",
        email="kari.nordmann@example.no",
        phone="+4791234567",
        message="Når er neste kurs?",
    )
    subscribers = {
        key: Subscriber.objects.create(
            name=name,
            email=email,
            status=Subscriber.Status.ACTIVE,
            basis=Subscriber.Basis.CONSENT,
            source=Subscriber.Source.NEWSLETTER_PAGE,
            confirmed_at=timezone.now(),
        )
        for key, name, email in [
            ("ola", "Ola Hansen", "ola.hansen@example.no"),
            ("per", "Per Berg", "per.berg@example.no"),
        ]
    }
    token = subscriber_token(subscribers["ola"], salt=UNSUBSCRIBE_SALT)
    return {"unsubscribe": reverse("newsletter:unsubscribe", args=[token])}


def erasure_request(*, email: str) -> dict:
    """What Mine data's "Slett opplysningene mine" does, for a verified address."""
    from privacy.models import DataSubjectRequest
    from privacy.services.rights import erasure_request_handle

    report = erasure_request_handle(
        email=email, channel=DataSubjectRequest.Channel.SELF_SERVICE
    )
    return {"erased": sorted(report.erased)}


TASKS = {
    task.__name__: task
    for task in [
        site_urls,
        course_date_create,
        staff_user_create,
        retention_seed,
        newsletter_seed,
        newsletter_issue_send,
        people_seed,
        erasure_request,
    ]
}


def parse_value(text: str) -> object:
    return int(text) if text.lstrip("-").isdigit() else text


def main() -> None:
    import django

    django.setup()
    name, *arguments = sys.argv[1:]
    kwargs = dict(argument.split("=", 1) for argument in arguments)
    result = TASKS[name](**{key: parse_value(v) for key, v in kwargs.items()})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
