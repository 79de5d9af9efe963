"""The erasure journal: a file, outside the database, with one line per erasure
and unsubscription, so that restoring a backup does not bring them back
(`manage.py replay_erasure_journal`; privacy/services/journal.py).

It holds no personal data: each line is a sequence number, the time, what
happened, where it was asked for, and the keyed hash of the address (`email_key`,
HMAC-SHA256 with PRIVACY_EMAIL_KEY_SECRET):

    {"seq": 7, "at": "2026-12-01T15:04:05+00:00", "event": "erasure", "key": "3f…"}

Several processes append at once (two gunicorn instances, the admin, commands):
each append holds an exclusive lock on the file (flock), reads the last number,
writes its line with O_APPEND and fsyncs it before it lets go.
"""

import dataclasses
import fcntl
import json
import logging
import os
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Entry:
    seq: int
    at: str  # ISO 8601, UTC
    event: str
    key: str  # email_key() of the address
    source: str = ""  # where it was asked for ("unsubscribe_link"), for the ledger


def journal_path() -> Path:
    path = settings.PRIVACY_ERASURE_JOURNAL
    if not path:
        raise ImproperlyConfigured(
            "PRIVACY_ERASURE_JOURNAL is not set: erasures and unsubscriptions must "
            "be journaled outside the database (see the README, Backup and restore)."
        )
    return Path(path)


def append(*, event: str, key: str, at: datetime, source: str = "") -> Entry:
    """Append one entry, on disk before this returns; its sequence number is one
    more than the last line's. Raises OSError when it cannot (the caller's erasure
    then fails too, rather than go unjournaled)."""
    path = journal_path()
    created = not path.exists()
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        data = os.pread(fd, os.fstat(fd).st_size, 0)
        entries = parse(data)
        entry = Entry(
            seq=max((e.seq for e in entries), default=0) + 1,
            at=at.isoformat(timespec="seconds"),
            event=event,
            key=key,
            source=source,
        )
        line = json.dumps(dataclasses.asdict(entry), separators=(",", ":")) + "\n"
        # A line torn by a crash mid-write (its erasure never committed) is left
        # on a line of its own, and skipped when read.
        if data and not data.endswith(b"\n"):
            line = "\n" + line
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)  # and with it the lock
    if created:
        # The new file's name must reach the disk too.
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    return entry


def entries() -> list[Entry]:
    """Every entry, oldest first ([] while there is no journal yet)."""
    path = journal_path()
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return []
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)  # no half-written line of an append
        data = os.pread(fd, os.fstat(fd).st_size, 0)
    finally:
        os.close(fd)
    return parse(data)


def parse(data: bytes) -> list[Entry]:
    parsed = []
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            parsed.append(Entry(**json.loads(line)))
        except (ValueError, TypeError):
            logger.warning("event=erasure_journal_line_skipped line=%s", number)
    return parsed
