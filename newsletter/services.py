"""Newsletter subscriptions: double opt-in, soft opt-in for customers, one-click
unsubscribe that deletes, and sending an issue through the mail outbox.

Markedsføringsloven § 15: e-mail marketing to individuals needs prior consent,
except to existing customers about similar services when they were offered a
simple, free opt-out when their address was collected and in every message.
"""

import hashlib
import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from newsletter.models import NewsletterIssue, NewsletterSuppression, Subscriber
from outbox.models import OutgoingEmail
from outbox.services import email_queue, email_render, mail_kinds_named
from privacy.models import ConsentRecord
from privacy.registry import email_key, normalise_email, registry
from privacy.services.journal import UNSUBSCRIPTION, journal_record

logger = logging.getLogger(__name__)

mail_kinds_named(
    {
        "newsletter.confirm": "Bekreftelse av påmelding til nyhetsbrevet",
        "newsletter.issue": "Nyhetsbrev",
        "newsletter.preview": "Forhåndsvisning av nyhetsbrev",
    }
)

CONSENT_TEXT = (
    "Ja, jeg vil ha nyhetsbrev på e-post fra glasoterapi.no om nye kurs og "
    "seminarer, omtrent én gang i måneden. Jeg kan melde meg av når som helst med "
    "lenken nederst i hver e-post."
)
CONFIRM_SALT = "privacy.newsletter.confirm"
UNSUBSCRIBE_SALT = "privacy.newsletter.unsubscribe"
CONFIRM_LINK_MAX_AGE = timedelta(days=7)
NEWSLETTER_MAIL_KINDS = ("newsletter.issue", "newsletter.confirm")


def consent_text_version() -> str:
    """Derived from the text itself, so a changed wording is a new version."""
    return hashlib.sha256(CONSENT_TEXT.encode()).hexdigest()[:10]


def subscriber_token(subscriber: Subscriber, *, salt: str) -> str:
    """For links in e-mails: the subscriber's id and a key of the address, signed.

    No personal data in the URL, and a token stops working when the row is gone
    or the address changes.
    """
    return signing.dumps(
        {"s": subscriber.pk, "k": email_key(subscriber.email)[:16]}, salt=salt
    )


def subscriber_from_token(
    token: str, *, salt: str, max_age: timedelta | None = None
) -> Subscriber | None:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
        subscriber = Subscriber.objects.get(pk=data["s"])
    except (signing.BadSignature, Subscriber.DoesNotExist, KeyError, TypeError):
        return None
    if email_key(subscriber.email)[:16] != data["k"]:
        return None
    return subscriber


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def confirm_url(subscriber: Subscriber, *, source: str) -> str:
    """The confirmation link, carrying where this request was made: a customer's
    row keeps the source of their booking until they confirm."""
    token = signing.dumps(
        {"s": subscriber.pk, "k": email_key(subscriber.email)[:16], "src": source},
        salt=CONFIRM_SALT,
    )
    return absolute(reverse("newsletter:confirm", args=[token]))


def confirmation_source(token: str) -> str | None:
    """Where the consent being confirmed was asked for (None in older links)."""
    try:
        source = signing.loads(token, salt=CONFIRM_SALT).get("src")
    except (signing.BadSignature, AttributeError):
        return None
    return source if source in Subscriber.Source.values else None


def unsubscribe_url(subscriber: Subscriber) -> str:
    token = subscriber_token(subscriber, salt=UNSUBSCRIBE_SALT)
    return absolute(reverse("newsletter:unsubscribe", args=[token]))


def suppress(email: str) -> None:
    """Put the address's keyed hash on the list that keeps it from being added."""
    NewsletterSuppression.objects.get_or_create(email_key=email_key(email))


def subscriber_restrict(*, email: str, restricted: bool) -> None:
    """GDPR art. 18: a restricted address's subscription is kept but gets nothing."""
    subscribers = Subscriber.objects.filter(email=email)
    if restricted:
        subscribers.filter(restricted_at=None).update(restricted_at=timezone.now())
    else:
        subscribers.update(restricted_at=None)


def marketing_objection_handle(*, email: str) -> None:
    """GDPR art. 21(3): unsubscribe and suppress, whether or not it is subscribed."""
    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber is not None:
        subscription_cancel(subscriber=subscriber, source="objection")
        return
    with transaction.atomic():
        journal_record(event=UNSUBSCRIPTION, email=email, source="objection")
        suppress(email)


def is_suppressed(email: str) -> bool:
    return NewsletterSuppression.objects.filter(email_key=email_key(email)).exists()


def subscription_request(
    *, name: str, email: str, source: Subscriber.Source
) -> Subscriber | None:
    """Start the double opt-in: a pending subscription and a confirmation mail.

    Answers the same way whatever the address (the caller shows one page for all);
    an address that already consented gets nothing, and confirmations to one
    address are sent at most once per `NEWSLETTER_RESEND_MINUTES`.
    """
    email = normalise_email(email)
    now = timezone.now()
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            email=email,
            defaults={
                "name": name,
                "basis": Subscriber.Basis.CONSENT,
                "source": source,
                "consent_text_version": consent_text_version(),
            },
        )
        if is_confirmed_consent(subscriber):
            return None
        if not created and sent_recently(subscriber, now=now):
            logger.info("event=newsletter_confirm_throttled id=%s", subscriber.pk)
            return None
        if not created:
            subscriber.name = name or subscriber.name
            subscriber.consent_text_version = consent_text_version()
            if subscriber.status == Subscriber.Status.PENDING:
                subscriber.source = source
        subscriber.confirmation_sent_at = now
        subscriber.save()
        email_queue(
            kind="newsletter.confirm",
            to=email,
            template="newsletter/email/confirm",
            # Nothing typed into the form: the address has not been confirmed yet,
            # and a "name" would let anyone mail their own text to it.
            context={"confirm_url": confirm_url(subscriber, source=source)},
        )
    logger.info("event=newsletter_requested id=%s source=%s", subscriber.pk, source)
    return subscriber


def is_confirmed_consent(subscriber: Subscriber) -> bool:
    return (
        subscriber.status == Subscriber.Status.ACTIVE
        and subscriber.basis == Subscriber.Basis.CONSENT
    )


def sent_recently(subscriber: Subscriber, *, now) -> bool:
    interval = timedelta(minutes=settings.NEWSLETTER_RESEND_MINUTES)
    sent_at = subscriber.confirmation_sent_at
    return sent_at is not None and now - sent_at < interval


def subscription_confirm(
    *, subscriber: Subscriber, source: str | None = None
) -> Subscriber:
    """The link in the confirmation mail was used: the subscription is active, on
    consent, and the consent is proven in the ledger with where it was asked for
    (`source`, from the link). Idempotent."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if is_confirmed_consent(subscriber):
            return subscriber
        subscriber.status = Subscriber.Status.ACTIVE
        subscriber.basis = Subscriber.Basis.CONSENT
        subscriber.source = source or subscriber.source
        subscriber.confirmed_at = timezone.now()
        subscriber.save()
        key = email_key(subscriber.email)
        # A new double opt-in lifts an earlier unsubscription.
        NewsletterSuppression.objects.filter(email_key=key).delete()
        ConsentRecord.objects.create(
            consent_id=uuid.uuid4(),
            purpose=ConsentRecord.Purpose.NEWSLETTER,
            action=ConsentRecord.Action.GIVEN,
            revision=subscriber.consent_text_version,
            source=subscriber.source,
            subject_key=key,
            requested_at=subscriber.confirmation_sent_at or subscriber.created_at,
        )
    logger.info("event=newsletter_confirmed id=%s", subscriber.pk)
    return subscriber


def subscription_add_customer(
    *, name: str, email: str, last_course_at: datetime
) -> Subscriber | None:
    """Soft opt-in: a customer whose course was held or invoiced, who did not say
    "Nei takk" at sign-up (courses/customers.py decides who).

    Adds them, or moves an existing customer's end on to a later course. Never for
    an address on the suppression list, and never changes a subscription on
    consent. Returns the subscription it added or moved on, else None.
    """
    email = normalise_email(email)
    if is_suppressed(email):
        return None
    subscriber, created = Subscriber.objects.get_or_create(
        email=email,
        defaults={
            "name": name,
            "status": Subscriber.Status.ACTIVE,
            "basis": Subscriber.Basis.CUSTOMER,
            "source": Subscriber.Source.COURSE_SIGNUP,
            "last_course_at": last_course_at,
        },
    )
    if created:
        logger.info("event=newsletter_customer_added id=%s", subscriber.pk)
        return subscriber
    if subscriber.basis != Subscriber.Basis.CUSTOMER or (
        subscriber.last_course_at and subscriber.last_course_at >= last_course_at
    ):
        return None
    subscriber.last_course_at = last_course_at
    subscriber.save(update_fields=["last_course_at"])
    return subscriber


def customer_last_course_set(*, email: str, last_course_at: datetime | None) -> None:
    """A purchase was undone (a booking cancelled): the customer's soft opt-in now
    rests on `last_course_at`, or ends with no purchase left. A subscription on
    consent is the person's own and stays."""
    customers = Subscriber.objects.customers().filter(email=normalise_email(email))
    if last_course_at is not None:
        customers.update(last_course_at=last_course_at)
        return
    for subscriber in customers:
        logger.info("event=newsletter_customer_ended id=%s", subscriber.pk)
        subscriber.delete()


def subscription_cancel(
    *, subscriber: Subscriber, source: str, journaled: bool = True
) -> None:
    """Unsubscribe: delete name and address at once, keep only a keyed hash on the
    suppression list, drop newsletter mail still queued for the address, and log
    the withdrawal of consent. Idempotent (a missing row is already cancelled).

    Written to the erasure journal first (`journaled`; off only when the journal
    itself is being replayed), so that restoring a backup cannot subscribe the
    address again."""
    key = email_key(subscriber.email)
    with transaction.atomic():
        if journaled:
            journal_record(event=UNSUBSCRIPTION, email=subscriber.email, source=source)
        suppress(subscriber.email)
        OutgoingEmail.objects.filter(
            to=subscriber.email,
            kind__in=NEWSLETTER_MAIL_KINDS,
            status=OutgoingEmail.Status.QUEUED,
        ).delete()
        if subscriber.basis == Subscriber.Basis.CONSENT and subscriber.confirmed_at:
            ConsentRecord.objects.create(
                consent_id=uuid.uuid4(),
                purpose=ConsentRecord.Purpose.NEWSLETTER,
                action=ConsentRecord.Action.WITHDRAWN,
                revision=subscriber.consent_text_version,
                source=source,
                subject_key=key,
            )
        Subscriber.objects.filter(pk=subscriber.pk).delete()
    logger.info("event=newsletter_unsubscribed source=%s", source)


def unsubscription_replay(*, key: str, source: str = "") -> int:
    """After a restore: suppress the address whose keyed hash is `key` again, and
    cancel its subscription through `subscription_cancel` if the restored
    database has one (the journal keeps no address)."""
    NewsletterSuppression.objects.get_or_create(email_key=key)
    subscribers = [
        subscriber
        for subscriber in Subscriber.objects.only("pk", "email").iterator()
        if email_key(subscriber.email) == key
    ]
    for subscriber in subscribers:
        subscription_cancel(
            subscriber=Subscriber.objects.get(pk=subscriber.pk),
            source=source or "unsubscribe_link",
            journaled=False,
        )
    return len(subscribers)


CUSTOMER_PROCESSING = "privacy.newsletter_customer"
Audience = NewsletterIssue.Audience


def recipients(audience: str = Audience.BOTH):
    """Active subscribers in `audience` whose data is not restricted (GDPR art.
    18); customers only within their soft opt-in, even if the nightly job has not
    yet removed one whose period has run out."""
    soft_opt_in_ends = registry.processing(CUSTOMER_PROCESSING).retention
    consented = Q(basis=Subscriber.Basis.CONSENT)
    customers = Q(
        basis=Subscriber.Basis.CUSTOMER,
        last_course_at__gte=soft_opt_in_ends.cutoff(timezone.now()),
    )
    chosen = {
        Audience.CONSENT: consented,
        Audience.CUSTOMERS: customers,
        Audience.BOTH: consented | customers,
    }[audience]
    return Subscriber.objects.filter(
        status=Subscriber.Status.ACTIVE, restricted_at__isnull=True
    ).filter(chosen)


class NewsletterAlreadySent(Exception):
    """An issue is queued to its audience once; sending it again queues nothing."""

    def __init__(self, issue: NewsletterIssue):
        self.issue = issue
        super().__init__(
            f"«{issue.subject}» er allerede lagt i kø til {issue.queued_count} "
            "mottakere. Et nyhetsbrev sendes bare én gang; ingenting nytt er lagt i kø."
        )


def issue_dedupe_prefix(issue: NewsletterIssue) -> str:
    return f"newsletter:{issue.pk}:"


def newsletter_issue_send(*, issue: NewsletterIssue, batch_size: int = 500) -> int:
    """Queue one mail per recipient in the issue's audience in the outbox; the mail
    worker sends them. Returns how many mails are queued for the issue in all.

    Once only: a draft becomes "being queued" in one conditional update (two staff
    confirming at once start it once; the second, like a rerun, adds no mail), and
    an issue already queued raises `NewsletterAlreadySent`. Resumable and never
    twice: each mail's dedupe key is (issue, subscriber), so a rerun after a crash
    queues only the mails that were not queued yet.
    """
    NewsletterIssue.objects.filter(
        pk=issue.pk, status=NewsletterIssue.Status.DRAFT
    ).update(status=NewsletterIssue.Status.SENDING, send_started_at=timezone.now())
    issue.refresh_from_db()
    if issue.status == NewsletterIssue.Status.SENT:
        raise NewsletterAlreadySent(issue)
    last_pk = 0
    while batch := list(
        recipients(issue.audience).filter(pk__gt=last_pk).order_by("pk")[:batch_size]
    ):
        with transaction.atomic():
            OutgoingEmail.objects.bulk_create(
                [issue_mail(issue, subscriber) for subscriber in batch],
                ignore_conflicts=True,
            )
        last_pk = batch[-1].pk
    queued = OutgoingEmail.objects.filter(
        dedupe_key__startswith=issue_dedupe_prefix(issue)
    ).count()
    NewsletterIssue.objects.filter(pk=issue.pk).update(
        status=NewsletterIssue.Status.SENT, queued_count=queued
    )
    issue.refresh_from_db()
    logger.info("event=newsletter_queued issue=%s mails=%s", issue.pk, queued)
    return queued


def issue_mail(
    issue: NewsletterIssue, subscriber: Subscriber, *, preview: bool = False
) -> OutgoingEmail:
    """One subscriber's copy, with its own unsubscribe link and RFC 8058 headers.

    No tracking pixel and no tracked links: measuring opens would need consent.
    """
    link = unsubscribe_url(subscriber)
    return email_render(
        kind="newsletter.preview" if preview else "newsletter.issue",
        to=subscriber.email,
        template="newsletter/email/issue",
        context={"issue": issue, "subscriber": subscriber, "unsubscribe_url": link},
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        dedupe_key=None if preview else f"{issue_dedupe_prefix(issue)}{subscriber.pk}",
    )


def issue_preview_render(
    *, issue: NewsletterIssue, to: str, customer: bool = False
) -> OutgoingEmail:
    """The issue as a subscriber (or, with `customer`, a customer under soft
    opt-in) gets it, unsaved: for the preview in admin and the test mail. The
    stand-in's unsubscribe link leads nowhere."""
    stand_in = Subscriber(
        pk=0,
        name="Forhåndsvisning",
        email=normalise_email(to),
        basis=Subscriber.Basis.CUSTOMER if customer else Subscriber.Basis.CONSENT,
    )
    return issue_mail(issue, stand_in, preview=True)


def newsletter_issue_preview(
    *, issue: NewsletterIssue, to: str, customer: bool = False
) -> OutgoingEmail:
    """Queue the issue to a staff member, as a subscriber would get it."""
    with transaction.atomic():
        mail = issue_preview_render(issue=issue, to=to, customer=customer)
        mail.subject = f"[Forhåndsvisning] {mail.subject}"
        mail.save()
    return mail
