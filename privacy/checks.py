"""Deployment checks (`manage.py check --deploy`) for the privacy machinery."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError

from core.checks import empty_settings
from privacy.services.journal import journal_pending


@register(Tags.security, deploy=True)
def email_key_has_its_own_secret(app_configs, **kwargs):
    """Rotating SECRET_KEY must not let unsubscribed addresses back in."""
    if settings.PRIVACY_EMAIL_KEY_SECRET != settings.SECRET_KEY:
        return []
    return [
        Warning(
            "PRIVACY_EMAIL_KEY_SECRET is SECRET_KEY: rotating SECRET_KEY would break "
            "the newsletter's suppression list, the proof of consent and "
            "restrictions.",
            hint="Set PRIVACY_EMAIL_KEY_SECRET to its own 50+ random characters "
            "before the site stores any (or to today's SECRET_KEY, then rotate "
            "SECRET_KEY).",
            id="privacy.W001",
        )
    ]


RECIPIENT_SETTINGS = {
    "PRIVACY_DATA_PROCESSOR": "privacy.E001",
    "PRIVACY_EMAIL_PROVIDER": "privacy.E002",
    "PRIVACY_ACCOUNTING_SYSTEM": "privacy.E003",
}


@register(deploy=True)
def recipients_are_named(app_configs, **kwargs):
    """GDPR art. 13(1)(e): the privacy page must name who receives the data."""
    return empty_settings(
        RECIPIENT_SETTINGS,
        why="the privacy statement must name who receives personal data.",
        hint='Set {name} to "Name, Country" (see the README\'s settings).',
    )


@register
def analytics_retention_is_one_google_offers(app_configs, **kwargs):
    """The privacy page says how long Google keeps the data: it must be a period
    Google Analytics 4 can be set to."""
    if settings.GA_DATA_RETENTION_MONTHS in (2, 14):
        return []
    return [
        Error(
            f"GA_DATA_RETENTION_MONTHS is {settings.GA_DATA_RETENTION_MONTHS}: "
            "Google Analytics 4 keeps data for 2 or 14 months.",
            hint="Set it to what the property's data retention is set to.",
            id="privacy.E004",
        )
    ]


@register(deploy=True)
def erasure_journal_is_set(app_configs, **kwargs):
    """Without the journal, restoring a backup would bring erased people back."""
    if settings.PRIVACY_ERASURE_JOURNAL.strip():
        return []
    return [
        Error(
            "PRIVACY_ERASURE_JOURNAL is empty: erasures and unsubscriptions must be "
            "journaled outside the database, or a restored backup brings them back.",
            hint="Set it to a file the site's user may append to, on another disk "
            "than the backups, e.g. /var/lib/glasoterapi/erasure-journal.jsonl.",
            id="privacy.E005",
        )
    ]


@register
def erasure_journal_is_replayed(app_configs, **kwargs):
    """A database restored from a backup lacks what was erased after it: said at
    every manage.py command (cron mails it) until the journal is replayed."""
    if not settings.PRIVACY_ERASURE_JOURNAL.strip():
        return []
    try:
        pending = journal_pending()
    except (DatabaseError, OSError):
        return []  # no table yet (before migrate), or no journal to read
    if not pending:
        return []
    return [
        Warning(
            f"{len(pending)} erasure(s) or unsubscription(s) in the erasure journal "
            "are not in the database: it was restored from a backup taken before "
            "them, and they would come back.",
            hint="Run manage.py replay_erasure_journal (README, Backup and restore).",
            id="privacy.W002",
        )
    ]
