"""The cookies the site and the third parties it loads can set, by category: what
the privacy page's cookie table, the banner and the deletion on refusal read."""

import dataclasses
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core import norwegian


class CookieCategory(StrEnum):
    NECESSARY = "necessary"
    STATISTICS = "statistics"

    @property
    def label(self) -> str:
        return COOKIE_CATEGORY_LABELS[self][0]

    @property
    def description(self) -> str:
        return COOKIE_CATEGORY_LABELS[self][1]


COOKIE_CATEGORY_LABELS = {
    CookieCategory.NECESSARY: (
        "Nødvendige",
        "Trengs for at nettstedet skal virke og være sikkert, og for å huske valget "
        "ditt om informasjonskapsler. De kan ikke velges bort.",
    ),
    CookieCategory.STATISTICS: (
        "Statistikk",
        "Google Analytics viser oss hvordan nettstedet brukes, slik at vi kan gjøre "
        "det bedre. Settes bare hvis du sier ja.",
    ),
}


@dataclasses.dataclass(frozen=True)
class Cookie:
    """A cookie the site or a third party it loads can set."""

    name: str
    provider: str
    purpose: str  # Norwegian, for the privacy page
    category: CookieCategory
    lifetime: str = ""  # Norwegian, e.g. "2 år" or "Til nettleseren lukkes"
    # Or the name of the int setting of days it lasts, so that the page says what
    # the code does.
    lifetime_days: str | None = None
    # True when `name` is a prefix (Google's `_ga_<container-id>`).
    is_prefix: bool = False

    @property
    def duration(self) -> str:
        """How long it lasts, for people."""
        if self.lifetime_days is not None:
            return norwegian.period(int(getattr(settings, self.lifetime_days)))
        return self.lifetime

    def matches(self, cookie_name: str) -> bool:
        if self.is_prefix:
            return cookie_name.startswith(self.name)
        return cookie_name == self.name

    @property
    def display_name(self) -> str:
        return f"{self.name}<id>" if self.is_prefix else self.name


def validate_cookie(cookie: Cookie) -> None:
    problems = []
    if not cookie.name.strip():
        problems.append("name is empty")
    if not isinstance(cookie.category, CookieCategory):
        problems.append(f"category {cookie.category!r} is not a CookieCategory")
    for attribute in ("provider", "purpose"):
        if not getattr(cookie, attribute).strip():
            problems.append(f"{attribute} is empty")
    if bool(cookie.lifetime.strip()) == (cookie.lifetime_days is not None):
        problems.append("needs exactly one of lifetime and lifetime_days")
    if problems:
        raise ImproperlyConfigured(f"Cookie {cookie.name!r}: {'; '.join(problems)}.")
