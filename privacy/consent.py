"""The visitor's cookie choice: a signed first-party cookie, and decisions about it.

The cookie holds the categories granted, the consent revision, the time and a random
consent id (the key of the visitor's rows in the consent ledger). It is a necessary
cookie: it only remembers the choice.
"""

import dataclasses
import ipaddress
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from privacy.models import ConsentRecord
from privacy.registry import CookieCategory, registry

COOKIE_NAME = "samtykke"
SIGNING_SALT = "privacy.consent"


@dataclasses.dataclass(frozen=True)
class Consent:
    """What a visitor has chosen; `has_choice` is False until they choose."""

    granted: frozenset[str] = frozenset()
    consent_id: uuid.UUID | None = None
    given_at: datetime | None = None
    has_choice: bool = False
    # Sec-GPC: 1 with no choice yet counts as a refusal (Global Privacy Control).
    from_gpc: bool = False

    def allows(self, category: CookieCategory | str) -> bool:
        return category in self.granted

    @property
    def allows_statistics(self) -> bool:
        return self.allows(CookieCategory.STATISTICS)


NO_CHOICE = Consent()


def categories_in_use() -> list[CookieCategory]:
    """The optional categories the site uses now. Statistics, the only one, is in
    use while Google Analytics is configured (GA_MEASUREMENT_ID); without it there
    is nothing to ask the visitor about."""
    if not settings.GA_MEASUREMENT_ID:
        return []
    return registry.optional_categories()


def max_age() -> timedelta:
    return timedelta(days=settings.PRIVACY_CONSENT_MAX_AGE_DAYS)


def consent_from_request(request: HttpRequest) -> Consent:
    consent = consent_from_cookie(request.COOKIES.get(COOKIE_NAME))
    # META rather than request.headers, which copies every header on first use.
    if not consent.has_choice and request.META.get("HTTP_SEC_GPC") == "1":
        # The browser says "do not sell or share": no statistics, no banner.
        return dataclasses.replace(consent, has_choice=True, from_gpc=True)
    return consent


def consent_from_cookie(value: str | None) -> Consent:
    """A tampered, unparsable, expired or outdated cookie counts as no choice."""
    if not value:
        return NO_CHOICE
    try:
        data = signing.loads(value, salt=SIGNING_SALT, max_age=max_age())
        granted = frozenset(data["c"])
        consent_id = uuid.UUID(data["id"])
        given_at = datetime.fromisoformat(data["t"])
        revision = data["r"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return NO_CHOICE
    if revision != registry.consent_revision():
        # What the visitor agreed to has changed: ask again (with the same id).
        return Consent(consent_id=consent_id)
    return Consent(
        granted=granted, consent_id=consent_id, given_at=given_at, has_choice=True
    )


def cookie_value(consent: Consent) -> str:
    return signing.dumps(
        {
            "c": sorted(consent.granted),
            "id": str(consent.consent_id),
            "t": consent.given_at.isoformat(),
            "r": registry.consent_revision(),
        },
        salt=SIGNING_SALT,
    )


def decide_action(
    *, previous: Consent, granted: frozenset[str], withdraw: bool
) -> ConsentRecord.Action:
    """Which ledger action a new choice is."""
    # Explicit withdrawal, or granted categories taken away entirely.
    if withdraw or (previous.granted and not granted):
        return ConsentRecord.Action.WITHDRAWN
    # A first real choice (a GPC signal is not the visitor's own decision here).
    if not previous.has_choice or previous.from_gpc:
        return ConsentRecord.Action.GIVEN if granted else ConsentRecord.Action.REFUSED
    # From nothing granted to something granted.
    if granted and not previous.granted:
        return ConsentRecord.Action.GIVEN
    if not granted:
        return ConsentRecord.Action.REFUSED
    return ConsentRecord.Action.CHANGED


def set_consent_cookie(response: HttpResponse, consent: Consent) -> None:
    response.set_cookie(
        COOKIE_NAME,
        cookie_value(consent),
        max_age=int(max_age().total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def expire_cookies(response: HttpResponse, request: HttpRequest, category) -> None:
    """Expire every declared cookie of `category` the visitor holds, or could hold.

    Google sets its cookies on the parent domain (`.glasoterapi.no`), so each is
    expired both for this host and for the parent domain.
    """
    retired = registry.retired_cookies(category)
    names = {
        cookie.name for cookie in registry.cookies_in(category) if not cookie.is_prefix
    } | retired
    names |= {
        name
        for name in request.COOKIES
        if (declared := registry.declared_cookie(name))
        and declared.category == category
        or name.startswith(tuple(retired))
    }
    domain = parent_domain(request.get_host())
    for name in sorted(names):
        response.delete_cookie(name)
        if domain:
            delete_cookie_on_domain(response, name, domain)


def delete_cookie_on_domain(response: HttpResponse, name: str, domain: str) -> None:
    """A second Set-Cookie for `name`, for `domain`.

    `response.cookies` holds one Morsel per name; stored under a distinct key, a
    Morsel still renders with its own cookie name.
    """
    probe = HttpResponse()
    probe.delete_cookie(name, domain=domain)
    response.cookies[f"{name}@{domain}"] = probe.cookies[name]


def parent_domain(host: str) -> str | None:
    """`www.glasoterapi.no` → `glasoterapi.no`; IP addresses and `localhost` → None."""
    hostname = urlsplit(f"//{host}").hostname or ""
    try:
        ipaddress.ip_address(hostname)
    except ValueError:
        labels = hostname.split(".")
        return ".".join(labels[-2:]) if len(labels) >= 2 else None
    return None


def safe_next(request: HttpRequest, target: str | None) -> str:
    """Only a path on this site; anything else (`//evil`, `javascript:`) goes to /."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts=None, require_https=request.is_secure()
        )
    ):
        return target
    return "/"


def new_consent(*, previous: Consent, granted: frozenset[str]) -> Consent:
    return Consent(
        granted=granted,
        consent_id=previous.consent_id or uuid.uuid4(),
        given_at=timezone.now(),
        has_choice=True,
    )
