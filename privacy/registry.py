"""Declarations of the personal data this site keeps and the cookies it sets.

One source of truth. Each app declares, in its own `privacy.py` (discovered at start-up
like `admin.py`), a `Processing` per purpose for which it keeps personal data and a
`Cookie` per cookie it or its third parties can set. From these alone come the privacy
page's tables, the consent banner, the cookies deleted on refusal, data-subject access,
export and erasure, the retention job and the record of processing activities.

    # contact/privacy.py
    from privacy import registry

    registry.register(
        registry.Processing(
            key="contact.inquiry",
            model=Inquiry,
            purpose="Besvare henvendelser og følge opp kundeforhold",
            legal_basis=registry.LegalBasis.LEGITIMATE_INTEREST,
            ...
        )
    )
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from core.hooks import Hook
from core.validators import normalise_email  # noqa: F401 (re-exported)

# What declarations are made of, re-exported so that an app's privacy.py needs
# only `from privacy import registry`.
from privacy.cookies import Cookie, CookieCategory, validate_cookie
from privacy.declarations import (  # noqa: F401 (re-exported)
    ACCOUNTING,
    EMAIL_PROVIDER,
    GOOGLE_ANALYTICS,
    HOSTING,
    Consequence,
    Erasure,
    ErasureAction,
    ErasureReport,
    Find,
    Handler,
    LegalBasis,
    Processing,
    Recipient,
    Retention,
    email_key,
    validate_processing,
)


class Registry:
    def __init__(self) -> None:
        self._processings: dict[str, Processing] = {}
        self._cookies: dict[str, Cookie] = {}
        self._without_personal_data: dict[type[models.Model], str] = {}
        self._handlers: dict[str, Handler] = {}
        self._retired_cookies: dict[CookieCategory, set[str]] = {}

    def register(self, *declarations: Processing | Cookie) -> None:
        for declaration in declarations:
            if isinstance(declaration, Processing):
                self._register_processing(declaration)
            elif isinstance(declaration, Cookie):
                self._register_cookie(declaration)
            else:
                raise ImproperlyConfigured(
                    f"Not a privacy declaration: {declaration!r}"
                )

    def handle(self, handler: "Handler") -> None:
        """Let `handler` erase and expire the records of its processings, instead of
        the generic delete or anonymise of each."""
        for key in handler.keys:
            if key not in self._processings:
                raise ImproperlyConfigured(f"Handler for undeclared {key!r}.")
            if key in self._handlers:
                raise ImproperlyConfigured(f"Two handlers for {key!r}.")
            self._handlers[key] = handler

    def handler_for(self, processing: Processing) -> "Handler | None":
        return self._handlers.get(processing.key)

    @property
    def handlers(self) -> list["Handler"]:
        """Each registered handler once, in the order it was registered."""
        return list(dict.fromkeys(self._handlers.values()))

    def declare_no_personal_data(self, model: type[models.Model], *, reason: str):
        """Record, for the completeness test, that `model` holds no personal data."""
        if not reason:
            raise ImproperlyConfigured(f"{model.__name__}: say why it holds none.")
        self._without_personal_data[model] = reason

    def _register_processing(self, processing: Processing) -> None:
        validate_processing(processing)
        if processing.key in self._processings:
            raise ImproperlyConfigured(f"Processing {processing.key!r} declared twice.")
        self._processings[processing.key] = processing

    def _register_cookie(self, cookie: Cookie) -> None:
        validate_cookie(cookie)
        if cookie.name in self._cookies:
            raise ImproperlyConfigured(f"Cookie {cookie.name!r} declared twice.")
        self._cookies[cookie.name] = cookie

    @property
    def processings(self) -> list[Processing]:
        return list(self._processings.values())

    def processings_about(self, *, staff: bool) -> list[Processing]:
        """The public statement's purposes, or the staff page's, by key."""
        chosen = [p for p in self.processings if p.about_staff == staff]
        return sorted(chosen, key=lambda p: p.key)

    def processing(self, key: str) -> Processing:
        return self._processings[key]

    @property
    def cookies(self) -> list[Cookie]:
        return list(self._cookies.values())

    def cookies_in(self, category: CookieCategory) -> list[Cookie]:
        return [cookie for cookie in self.cookies if cookie.category == category]

    def optional_categories(self) -> list[CookieCategory]:
        """Categories a visitor can choose: those with at least one declared cookie."""
        return [
            category
            for category in CookieCategory
            if category != CookieCategory.NECESSARY and self.cookies_in(category)
        ]

    def retire_cookies(self, category: CookieCategory, *names: str) -> None:
        """Cookies the site no longer sets that browsers may still hold: expired with
        their category, never listed as set."""
        self._retired_cookies.setdefault(category, set()).update(names)

    def retired_cookies(self, category: CookieCategory) -> set[str]:
        return self._retired_cookies.get(category, set())

    def declared_cookie(self, cookie_name: str) -> Cookie | None:
        return next((c for c in self.cookies if c.matches(cookie_name)), None)

    def recipients(self, *, analytics: bool) -> list["Recipient"]:
        """Everyone outside the business who receives personal data, each once:
        the privacy page's list and the record of processing."""
        named = [r for p in self.processings for r in p.all_recipients]
        if analytics and self.cookies_in(CookieCategory.STATISTICS):
            named.append(GOOGLE_ANALYTICS)
        return list(dict.fromkeys(named))

    def covered_models(self) -> set[type[models.Model]]:
        covered = {model for p in self.processings for model in p.all_models}
        return covered | set(self._without_personal_data)

    def consent_revision(self) -> str:
        """Changes whenever what a visitor consents to changes, so they are asked again.

        Derived from the policy version and every non-necessary cookie declaration:
        declaring a new statistics cookie re-asks everyone, with no one having to
        remember to bump a number.
        """
        optional = sorted(
            (c.name, c.provider, c.category, c.duration, c.purpose, c.is_prefix)
            for c in self.cookies
            if c.category != CookieCategory.NECESSARY
        )
        material = repr((settings.PRIVACY_POLICY_VERSION, optional)).encode()
        return hashlib.sha256(material).hexdigest()[:12]


registry = Registry()
register = registry.register
handle = registry.handle
retire_cookies = registry.retire_cookies
declare_no_personal_data = registry.declare_no_personal_data


# What the rights do beyond the declarations, in the apps that must act: called
# with `email` (and `restricted`). The newsletter connects both (newsletter/privacy.py).
restriction_changed = Hook("restriction_changed")  # GDPR art. 18
marketing_objected = Hook("marketing_objected")  # GDPR art. 21(2)-(3)
