"""What staff read about sending an issue: how many it goes to, and how far the
outbox has come with it. Counts only, never who."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from core.norwegian import count, period
from newsletter.models import NewsletterIssue, NewsletterSuppression, Subscriber
from newsletter.services import issue_dedupe_prefix, recipients
from outbox.models import OutgoingEmail

Audience = NewsletterIssue.Audience


@dataclass(frozen=True)
class AudienceCounts:
    """Who an issue would go to now, by the basis they get it on."""

    consented: int
    customers: int

    def of(self, audience: str) -> int:
        return {
            Audience.CONSENT: self.consented,
            Audience.CUSTOMERS: self.customers,
            Audience.BOTH: self.consented + self.customers,
        }[audience]

    def describe(self, audience: str) -> str:
        """ "12 mottakere: 8 påmeldte abonnenter og 4 kunder"."""
        total = recipients_in_words(self.of(audience))
        if audience != Audience.BOTH:
            return total
        subscribers = count(self.consented, "påmeldt abonnent", "påmeldte abonnenter")
        customers = count(self.customers, "kunde", "kunder")
        return f"{total}: {subscribers} og {customers}"


def recipients_in_words(number: int) -> str:
    return count(number, "mottaker", "mottakere")


def audience_counts() -> AudienceCounts:
    by_basis = dict(
        recipients()
        .order_by()
        .values("basis")
        .annotate(number=Count("pk"))
        .values_list("basis", "number")
    )
    return AudienceCounts(
        consented=by_basis.get(Subscriber.Basis.CONSENT, 0),
        customers=by_basis.get(Subscriber.Basis.CUSTOMER, 0),
    )


@dataclass(frozen=True)
class IssueProgress:
    """An issue's mails as the outbox has them. `queued` is the sum of the rest
    (sent, failed, waiting, held, withdrawn), unless the outbox has deleted the
    mails after `MAIL_RETENTION_DAYS` (`purged`), when only `queued` is known."""

    queued: int
    sent: int = 0
    failed: int = 0
    # In the queue, or being sent by the worker right now.
    waiting: int = 0
    # Kept back, not sent: the address's data is restricted (GDPR art. 18).
    held: int = 0
    # Taken out of the outbox: the recipient unsubscribed (or had their data
    # erased) before it was sent.
    withdrawn: int = 0
    # Unsubscriptions (of anyone) since the sending started: a count, no address.
    unsubscribed_since: int = 0
    purged: bool = False
    # Queueing has not finished: it runs now, or stopped halfway.
    still_queueing: bool = False

    def summary(self) -> str:
        """ "3 av 5 sendt, 1 feilet, 1 i kø"."""
        if self.purged:
            return (
                f"Lagt i kø til {recipients_in_words(self.queued)}. E-postene er "
                f"slettet fra utboksen etter {period(settings.MAIL_RETENTION_DAYS)}."
            )
        parts = [f"{self.sent} av {self.queued} sendt"]
        parts += [
            f"{number} {what}"
            for number, what in [
                (self.failed, "feilet"),
                (self.waiting, "i kø"),
                (self.held, "holdt tilbake"),
                (self.withdrawn, "tatt ut av køen"),
            ]
            if number
        ]
        text = ", ".join(parts)
        if self.still_queueing:
            return f"Legges i kø ({self.queued} så langt): {text}"
        return text


def issue_progress(*, issue: NewsletterIssue) -> IssueProgress | None:
    """How far an issue's sending has come; None for a draft."""
    if issue.status == NewsletterIssue.Status.DRAFT:
        return None
    unsubscribed = NewsletterSuppression.objects.filter(
        created_at__gte=issue.send_started_at
    ).count()
    kept_until = issue.send_started_at + timedelta(days=settings.MAIL_RETENTION_DAYS)
    if issue.status == NewsletterIssue.Status.SENT and kept_until < timezone.now():
        return IssueProgress(
            queued=issue.queued_count, unsubscribed_since=unsubscribed, purged=True
        )
    by_status = dict(
        OutgoingEmail.objects.filter(dedupe_key__startswith=issue_dedupe_prefix(issue))
        .order_by()
        .values("status")
        .annotate(number=Count("pk"))
        .values_list("status", "number")
    )
    status = OutgoingEmail.Status
    in_outbox = sum(by_status.values())
    still_queueing = issue.status == NewsletterIssue.Status.SENDING
    queued = in_outbox if still_queueing else issue.queued_count
    return IssueProgress(
        queued=queued,
        sent=by_status.get(status.SENT, 0),
        failed=by_status.get(status.FAILED, 0),
        waiting=by_status.get(status.QUEUED, 0) + by_status.get(status.SENDING, 0),
        held=by_status.get(status.HELD, 0),
        withdrawn=max(queued - in_outbox, 0),
        unsubscribed_since=unsubscribed,
        still_queueing=still_queueing,
    )
