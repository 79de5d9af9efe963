"""Queries that read inquiries."""

from contact.models import Inquiry


def inquiries_open(*, limit: int = 20) -> list[Inquiry]:
    """New and ongoing inquiries, oldest first, with their assignee: one query
    (`limit` + 1 rows, so a page can say there are more)."""
    return list(
        Inquiry.objects.filter(
            status__in=[Inquiry.Status.NEW, Inquiry.Status.IN_PROGRESS]
        )
        .select_related("assigned_to")
        .order_by("created_at", "pk")[: limit + 1]
    )
