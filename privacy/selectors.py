"""Queries that read data-subject requests, for staff screens."""

from datetime import timedelta

from django.utils import timezone

from privacy.models import DataSubjectRequest

# GDPR art. 12(3) gives a month to answer; a week's notice leaves time to act.
DEADLINE_NOTICE = timedelta(days=7)


def requests_near_deadline(
    *, now=None, within: timedelta = DEADLINE_NOTICE, limit: int = 20
) -> list[DataSubjectRequest]:
    """Open requests whose deadline has passed or comes within `within`, the
    earliest deadline first: one query (`limit` + 1 rows, so a page can say there
    are more)."""
    now = now or timezone.now()
    return list(
        DataSubjectRequest.objects.filter(
            status=DataSubjectRequest.Status.OPEN, due_at__lte=now + within
        )
        .only("pk", "kind", "status", "received_at", "due_at")
        .order_by("due_at", "pk")[: limit + 1]
    )
