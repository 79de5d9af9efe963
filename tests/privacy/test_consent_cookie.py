import pytest
from django.test import RequestFactory

from privacy.consent import (
    COOKIE_NAME,
    NO_CHOICE,
    Consent,
    consent_from_cookie,
    consent_from_request,
    decide_action,
    parent_domain,
    safe_next,
)
from privacy.models import ConsentRecord
from privacy.registry import Cookie, CookieCategory, registry
from tests.privacy.conftest import consent_cookie, consent_cookie_signed_days_ago


def test_a_signed_cookie_is_read_back():
    consent = consent_from_cookie(consent_cookie("statistics"))

    assert consent.has_choice
    assert consent.allows_statistics
    assert consent.consent_id is not None


def test_a_tampered_cookie_counts_as_no_choice():
    value = consent_cookie()
    tampered = value.replace(value[5], "x" if value[5] != "x" else "y", 1)

    assert consent_from_cookie(tampered) == NO_CHOICE


@pytest.mark.parametrize("value", ["", "garbage", "a:b:c", "e30:1:abc"])
def test_an_unparsable_cookie_counts_as_no_choice(value):
    assert consent_from_cookie(value) == NO_CHOICE


def test_consent_is_valid_until_its_maximum_age(settings):
    settings.PRIVACY_CONSENT_MAX_AGE_DAYS = 365

    assert consent_from_cookie(
        consent_cookie_signed_days_ago(364, "statistics")
    ).has_choice


def test_consent_expires_after_its_maximum_age(settings):
    settings.PRIVACY_CONSENT_MAX_AGE_DAYS = 365

    assert consent_from_cookie(consent_cookie_signed_days_ago(366, "statistics")) == (
        NO_CHOICE
    )


def test_a_new_policy_version_asks_again(settings):
    value = consent_cookie("statistics")
    settings.PRIVACY_POLICY_VERSION = "2099-01"

    assert not consent_from_cookie(value).has_choice


def test_declaring_a_new_statistics_cookie_asks_again(monkeypatch):
    value = consent_cookie("statistics")
    new_cookie = Cookie(
        name="_new",
        provider="Google",
        purpose="Ny",
        category=CookieCategory.STATISTICS,
        lifetime="1 dag",
    )
    monkeypatch.setitem(registry._cookies, "_new", new_cookie)

    assert not consent_from_cookie(value).has_choice


def test_declaring_a_new_necessary_cookie_does_not_ask_again(monkeypatch):
    value = consent_cookie("statistics")
    new_cookie = Cookie(
        name="sprak",
        provider="glasoterapi.no",
        purpose="Husker språket",
        category=CookieCategory.NECESSARY,
        lifetime="1 år",
    )
    monkeypatch.setitem(registry._cookies, "sprak", new_cookie)

    assert consent_from_cookie(value).has_choice


def test_global_privacy_control_without_a_choice_is_a_refusal():
    request = RequestFactory().get("/", headers={"Sec-GPC": "1"})

    consent = consent_from_request(request)

    assert consent.has_choice
    assert consent.from_gpc
    assert not consent.allows_statistics


def test_an_explicit_choice_wins_over_global_privacy_control():
    request = RequestFactory().get("/", headers={"Sec-GPC": "1"})
    request.COOKIES[COOKIE_NAME] = consent_cookie("statistics")

    assert consent_from_request(request).allows_statistics


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/kurs/", "/kurs/"),
        ("/kurs/?side=2", "/kurs/?side=2"),
        ("//evil.example", "/"),
        ("//evil.example/kurs/", "/"),
        ("https://evil.example", "/"),
        ("http://testserver/kurs/", "/"),
        ("javascript:alert(1)", "/"),
        ("/\\evil.example", "/"),
        ("\\\\evil.example", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_next_only_leads_to_a_path_on_this_site(target, expected):
    request = RequestFactory().get("/")

    assert safe_next(request, target) == expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("www.glasoterapi.no", "glasoterapi.no"),
        ("glasoterapi.no", "glasoterapi.no"),
        ("127.0.0.1:8000", None),
        ("[::1]:8000", None),
        ("localhost", None),
    ],
)
def test_parent_domain_of_the_host(host, expected):
    assert parent_domain(host) == expected


def given(*granted):
    return Consent(granted=frozenset(granted), has_choice=True)


@pytest.mark.parametrize(
    ("previous", "granted", "withdraw", "action"),
    [
        (NO_CHOICE, {"statistics"}, False, ConsentRecord.Action.GIVEN),
        (NO_CHOICE, set(), False, ConsentRecord.Action.REFUSED),
        (given("statistics"), set(), True, ConsentRecord.Action.WITHDRAWN),
        (given("statistics"), set(), False, ConsentRecord.Action.WITHDRAWN),
        (given(), {"statistics"}, False, ConsentRecord.Action.GIVEN),
        (given(), set(), False, ConsentRecord.Action.REFUSED),
        (given("statistics"), {"statistics"}, False, ConsentRecord.Action.CHANGED),
    ],
)
def test_each_choice_is_recorded_as_the_right_action(
    previous, granted, withdraw, action
):
    assert (
        decide_action(previous=previous, granted=frozenset(granted), withdraw=withdraw)
        == action
    )
