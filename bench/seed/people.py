"""Made-up people (names and normalised addresses) and moments, from a seeded
random generator so that every run makes the same data."""

from __future__ import annotations

import random
import unicodedata
from datetime import datetime, timedelta

SEED = 20260501

FIRST_NAMES = [
    "Kari", "Ola", "Åse", "Bjørn", "Ingrid", "Håkon", "Siri", "Øyvind", "Nora",
    "Emil", "Sofie", "Jonas", "Ida", "Sander", "Maja", "Henrik", "Thea", "Magnus",
    "Ella", "Mathias", "Ingeborg", "Lars", "Astrid", "Per", "Marit", "Knut",
]  # fmt: skip
LAST_NAMES = [
    "Nordmann", "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen",
    "Nilsen", "Kristiansen", "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen",
    "Berg", "Haugen", "Hagen", "Ødegård", "Dahl", "Løkken", "Bakken", "Strand",
]  # fmt: skip
DOMAINS = [
    "gmail.com", "online.no", "hotmail.com", "outlook.com", "icloud.com",
    "yahoo.no", "live.no", "getmail.no", "frisurf.no", "broadpark.no",
]  # fmt: skip


def ascii_slug(text: str) -> str:
    text = text.lower().replace("ø", "o").replace("æ", "ae").replace("å", "a")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


class People:
    """Distinct, realistic, normalised addresses: kari.hansen.4711@online.no."""

    def __init__(self, rng: random.Random, prefix: str):
        self.rng = rng
        self.prefix = prefix
        self.number = 0

    def next(self) -> tuple[str, str, str]:
        from privacy.registry import normalise_email

        self.number += 1
        first = self.rng.choice(FIRST_NAMES)
        last = self.rng.choice(LAST_NAMES)
        domain = self.rng.choice(DOMAINS)
        local = f"{ascii_slug(first)}.{ascii_slug(last)}.{self.prefix}{self.number}"
        return first, last, normalise_email(f"{local}@{domain}")


def moment_between(rng: random.Random, now: datetime, oldest_days: float) -> datetime:
    """A moment in the last `oldest_days` days (not in the last hour)."""
    return now - timedelta(seconds=rng.uniform(3600, oldest_days * 86400))


class FixedPerson(People):
    """Always the same person (the one whose data is exported)."""

    def __init__(self, email: str):
        self.email = email

    def next(self) -> tuple[str, str, str]:
        return "Kari", "Nordmann", self.email
