"""Erasures and unsubscriptions that survive a restore.

Each is written to the journal (privacy/journal.py, a file outside the database)
before its transaction commits, and the same transaction records the entry's
number in the database (`JournalEntryApplied`). A database restored from a
backup lacks the numbers of what was done after the backup was taken: those
entries are pending, the site warns (a system check, the admin's front page),
and `journal_replay` does each again through the service that did it first.

An entry whose transaction rolled back (the erasure failed after it was written)
is pending too; replaying it carries out what the person asked for.
"""

import dataclasses
import logging
from collections import Counter
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from core import norwegian
from privacy import journal
from privacy.models import JournalEntryApplied
from privacy.registry import email_key

logger = logging.getLogger(__name__)

ERASURE = "erasure"  # privacy.services.rights.subject_erase
UNSUBSCRIPTION = "unsubscription"  # newsletter.services.subscription_cancel

# event -> a function(*, key, source) that does it again for the address whose
# email_key is `key`, without journaling it anew; returns how many records or
# subscriptions it found. Registered by the app that owns the event.
_replayers: dict[str, Callable[..., int]] = {}


def replayer_register(event: str, replay: Callable[..., int]) -> None:
    _replayers[event] = replay


def journal_record(*, event: str, email: str, source: str = "") -> journal.Entry:
    """Journal an erasure or unsubscription of `email`. Call it inside the
    transaction that does it, before it commits."""
    entry = journal.append(
        event=event, key=email_key(email), at=timezone.now(), source=source
    )
    JournalEntryApplied.objects.create(seq=entry.seq, event=event)
    return entry


def journal_pending() -> list[journal.Entry]:
    """The journal's entries this database does not hold, oldest first."""
    written = journal.entries()
    if not written:
        return []
    applied = set(JournalEntryApplied.objects.values_list("seq", flat=True))
    return [entry for entry in written if entry.seq not in applied]


def journal_staff_notice() -> str | None:
    """For the admin's front page: what staff must know, or None."""
    try:
        pending = journal_pending()
    except (OSError, ImproperlyConfigured):
        return (
            "Slettejournalen kan ikke leses eller skrives, så sletting og avmelding "
            "virker ikke nå. Si fra til driftsansvarlig (PRIVACY_ERASURE_JOURNAL)."
        )
    if not pending:
        return None
    done = norwegian.count(
        len(pending), "sletting eller avmelding", "slettinger eller avmeldinger"
    )
    return (
        f"Databasen er lagt tilbake fra en sikkerhetskopi, og {done} fra etter "
        "kopien er ikke gjort på nytt ennå: personene kan være tilbake i lister og "
        "få e-post. Be driftsansvarlig kjøre manage.py replay_erasure_journal nå."
    )


@dataclasses.dataclass
class ReplayResult:
    entries: Counter = dataclasses.field(default_factory=Counter)  # by event
    found: int = 0  # addresses or subscriptions acted on again

    @property
    def total(self) -> int:
        return sum(self.entries.values())


def journal_replay() -> ReplayResult:
    """Do again every pending entry, oldest first, each in its own transaction
    with the record that it is done. Idempotent: a second run finds nothing."""
    result = ReplayResult()
    for entry in journal_pending():
        replay = _replayers.get(entry.event)
        if replay is None:
            raise ValueError(f"Journal entry {entry.seq}: unknown {entry.event!r}.")
        with transaction.atomic():
            result.found += replay(key=entry.key, source=entry.source)
            JournalEntryApplied.objects.create(seq=entry.seq, event=entry.event)
        result.entries[entry.event] += 1
        logger.info("event=journal_replayed seq=%s kind=%s", entry.seq, entry.event)
    return result
