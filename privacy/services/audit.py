import logging

from privacy.models import AccessAudit

logger = logging.getLogger(__name__)


def access_audit_record(*, user, what: str, rows: int) -> AccessAudit:
    """Record that `user` took `rows` rows of personal data out as `what`."""
    audit = AccessAudit.objects.create(user=user, what=what, rows=rows)
    logger.info("event=personal_data_export id=%s rows=%s", audit.pk, rows)
    return audit
