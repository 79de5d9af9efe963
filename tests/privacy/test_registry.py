import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from contact.models import Inquiry
from outbox.models import OutgoingEmail
from privacy.registry import (
    Cookie,
    CookieCategory,
    Erasure,
    Find,
    LegalBasis,
    Processing,
    Registry,
    Retention,
    registry,
)

REPOSITORY = Path(settings.BASE_DIR)


def project_apps():
    """Every app whose code is in this repository, so that a new app is covered."""
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).parent == REPOSITORY
    ]


def test_every_model_of_the_site_is_declared_with_or_without_personal_data():
    """A model holding personal data must have a Processing declaration; a model
    without any must say so with declare_no_personal_data()."""
    undeclared = [
        model.__name__
        for config in project_apps()
        for model in config.get_models()
        if model not in registry.covered_models()
    ]

    assert undeclared == []


def outbox_processing(**changes) -> Processing:
    processing = Processing(
        key="test.outbox",
        model=OutgoingEmail,
        purpose="Test",
        legal_basis=LegalBasis.LEGITIMATE_INTEREST,
        legal_basis_reason="Fordi",
        data_categories=("e-postadresse",),
        find=Find("to"),
        retention=Retention(counted_from="created_at", days=30, after="etter noe"),
        erasure=Erasure.delete(),
        export_fields=("subject",),
    )
    return dataclasses.replace(processing, **changes)


def test_a_well_formed_processing_registers():
    Registry().register(outbox_processing())


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"purpose": " "}, "purpose is empty"),
        ({"legal_basis": "f"}, "not a LegalBasis"),
        ({"data_categories": ()}, "data_categories is empty"),
        ({"find": Find()}, "find names no field"),
        ({"find": Find("email")}, "has no field 'email'"),
        ({"find": Find("to", among=Inquiry.objects.all)}, "not OutgoingEmails"),
        ({"export_fields": ("nope",)}, "has no field 'nope'"),
        (
            {"retention": Retention(counted_from="closed_at", days=1, after="x")},
            "has no field 'closed_at'",
        ),
        (
            {"retention": Retention(counted_from="created_at", after="x")},
            "exactly one of days, months and financial_years",
        ),
        (
            {"retention": Retention(counted_from="created_at", days="NOPE", after="x")},
            "not an int setting",
        ),
        ({"erasure": Erasure.anonymise()}, "names no fields"),
        ({"erasure": Erasure.anonymise(name="")}, "has no field 'name'"),
    ],
)
def test_a_malformed_processing_fails_loudly(changes, problem):
    with pytest.raises(ImproperlyConfigured, match=problem):
        Registry().register(outbox_processing(**changes))


def test_a_processing_cannot_be_declared_twice():
    local = Registry()
    local.register(outbox_processing())

    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        local.register(outbox_processing())


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"name": ""}, "name is empty"),
        ({"purpose": ""}, "purpose is empty"),
        ({"category": "marketing"}, "not a CookieCategory"),
        ({"lifetime": ""}, "exactly one of lifetime and lifetime_days"),
        ({"lifetime_days": "X_DAYS"}, "exactly one of lifetime and lifetime_days"),
    ],
)
def test_a_malformed_cookie_fails_loudly(changes, problem):
    cookie = Cookie(
        name="x",
        provider="p",
        purpose="Formål",
        category=CookieCategory.NECESSARY,
        lifetime="1 år",
    )
    with pytest.raises(ImproperlyConfigured, match=problem):
        Registry().register(dataclasses.replace(cookie, **changes))


def test_anything_else_is_not_a_declaration():
    with pytest.raises(ImproperlyConfigured, match="Not a privacy declaration"):
        Registry().register("_ga")


def test_a_prefix_cookie_matches_every_container_id():
    (cookie,) = [c for c in registry.cookies if c.name == "_ga_"]

    assert cookie.matches("_ga_ABC123")
    assert not cookie.matches("_gaX")
    assert registry.declared_cookie("_ga_XYZ") is cookie


def test_only_categories_with_declared_cookies_can_be_chosen(monkeypatch):
    assert registry.optional_categories() == [CookieCategory.STATISTICS]

    statistics_only = {
        name: cookie
        for name, cookie in registry._cookies.items()
        if cookie.category != CookieCategory.STATISTICS
    }
    monkeypatch.setattr(registry, "_cookies", statistics_only)

    assert registry.optional_categories() == []


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("invoiced_at", "now", "expired"),
    [
        # Invoiced in 2020: kept through 31 December 2025, gone from 1 January 2026.
        (at(2020, 12, 31, 23, 0), at(2025, 12, 31, 23, 59, 59), False),
        (at(2020, 12, 31, 23, 0), at(2026, 1, 1, 0, 0, 1), True),
        (at(2020, 1, 1), at(2025, 6, 1), False),
        (at(2021, 1, 1), at(2026, 1, 1, 0, 0, 1), False),
    ],
)
def test_financial_year_retention_counts_from_the_end_of_the_year(
    invoiced_at, now, expired
):
    retention = Retention(counted_from="invoiced_at", financial_years=5, after="x")

    assert (invoiced_at < retention.cutoff(now)) is expired


def test_financial_year_retention_says_when_a_record_goes():
    retention = Retention(counted_from="invoiced_at", financial_years=5, after="x")

    assert retention.expires_at(at(2020, 3, 4)) == at(2026, 1, 1)


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (365, "1 år etter x"),
        (1095, "3 år etter x"),
        (30, "1 måned etter x"),
        (7, "7 dager etter x"),
    ],
)
def test_retention_reads_well(days, text):
    assert Retention(counted_from="created_at", days=days, after="etter x").text == text


def test_retention_from_a_setting_follows_the_setting(settings):
    settings.MAIL_RETENTION_DAYS = 60
    retention = Retention(
        counted_from="created_at", days="MAIL_RETENTION_DAYS", after="x"
    )

    assert retention.period_days == 60


@pytest.mark.django_db
def test_the_consent_cookies_lifetime_on_the_page_follows_its_setting(client, settings):
    settings.PRIVACY_CONSENT_MAX_AGE_DAYS = 180

    page = client.get("/personvern/").content.decode()

    row = page.split("<code>samtykke</code>")[1].split("</tr>")[0]
    assert "6 måneder" in row
