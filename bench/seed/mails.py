"""Sent mails (the outbox): live ones within MAIL_RETENTION_DAYS, and the
`expired-mail` command's, past it, numbered below the live ones."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import timedelta

from bench.seed.people import SEED, People, moment_between
from bench.seed.writer import Inserter

MAIL_KINDS = [
    ("contact.receipt", "Takk for henvendelsen"),
    ("courses.booking_confirmed", "Påmeldingen er bekreftet"),
    ("courses.booking_waitlisted", "Du står på venteliste"),
    ("privacy.newsletter_confirm", "Bekreft påmeldingen til nyhetsbrevet"),
]
MAIL_BODY = (
    "Hei {name},\n\nTakk for at du tok kontakt med glasoterapi.no. Vi har fått "
    "meldingen din og svarer så snart vi kan, som regel innen to arbeidsdager.\n\n"
    "Dette er en automatisk kvittering. Du kan svare på denne e-posten hvis du vil "
    "legge til noe.\n\nVennlig hilsen\nGlasoterapi\n"
)


def mails(rng: random.Random, people: People, count: int, *, expired: bool):
    """Sent mails: within the retention period, or (expired) up to a year past it."""
    from django.conf import settings
    from django.utils import timezone

    now = timezone.now()
    keep_days = int(settings.MAIL_RETENTION_DAYS)
    for _ in range(max(count, 0)):
        first, _, email = people.next()
        if expired:
            created_at = now - timedelta(days=keep_days + rng.uniform(1, 365))
        else:
            created_at = moment_between(rng, now, keep_days * 0.8)
        kind, subject = rng.choice(MAIL_KINDS)
        yield mail_row(kind, subject, email, first, created_at)


def mail_row(kind: str, subject: str, email: str, name: str, created_at) -> dict:
    from outbox.models import OutgoingEmail

    return {
        "kind": kind,
        "to": email,
        "subject": subject,
        "body_text": MAIL_BODY.format(name=name),
        "body_html": "",
        "headers": {},
        "attachments": [],
        "dedupe_key": None,
        "status": OutgoingEmail.Status.SENT,
        "attempts": 1,
        "next_attempt_at": created_at,
        "claimed_at": None,
        "last_error": "",
        "created_at": created_at,
        "sent_at": created_at + timedelta(seconds=5),
    }


def seed_expired_mail(*, rows: int) -> dict:
    """`rows` more sent mails, all past MAIL_RETENTION_DAYS."""
    from outbox.models import OutgoingEmail

    rng = random.Random(SEED + rows + OutgoingEmail.objects.count())
    people = People(rng, prefix=f"x{rng.randint(0, 99999)}-")
    expired = mails(rng, people, rows, expired=True)
    return {"expired_mails": insert_mails(expired, expired=True)}


# Mails are numbered in the order they were made, as in production (auto_now_add and
# an auto-incremented key): the expired ones, made later in the benchmark but
# older, get the numbers below the live ones, which start here.
LIVE_MAIL_IDS_FROM = 1_000_001


def insert_mails(rows: Iterable[dict], *, expired: bool) -> int:
    from outbox.models import OutgoingEmail

    rows = sorted(rows, key=lambda row: row["created_at"])
    inserter = Inserter(OutgoingEmail)
    if expired:
        lowest = OutgoingEmail.objects.order_by("pk").values_list("pk", flat=True)
        first = (lowest.first() or LIVE_MAIL_IDS_FROM) - len(rows)
        if first < 1:
            raise ValueError("no room below the live mails' ids")
        for number, row in enumerate(rows):
            row["id"] = first + number
    else:
        inserter.last_id = max(inserter.last_id, LIVE_MAIL_IDS_FROM - 1)
    written = inserter.insert(rows)
    inserter.finish()
    return written
