import re

import pytest

from privacy.consent import COOKIE_NAME, consent_from_cookie
from privacy.models import ConsentRecord
from tests.conftest import MEASUREMENT_ID, login_with_second_factor

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/personvern/informasjonskapsler/"
GOOGLE_HOSTS = ("googletagmanager.com", "google-analytics.com", "analytics.google.com")


def choose(client, choice, **extra):
    return client.post(SETTINGS_URL, {"choice": choice, "next": "/", **extra})


def set_cookie_headers(response) -> list[str]:
    return [morsel.OutputString() for morsel in response.cookies.values()]


def test_first_visit_shows_the_banner(client, analytics):
    content = client.get("/").content.decode()

    assert 'id="cookie-consent"' in content
    assert 'name="choice" value="accept"' in content
    assert 'name="choice" value="reject"' in content


def test_banner_buttons_look_the_same(client, analytics):
    content = client.get("/").content.decode()

    accept = content.split('value="accept"')[0].rsplit("<button", 1)[1]
    reject = content.split('value="reject"')[0].rsplit("<button", 1)[1]
    assert accept == reject  # same element, same class: equally prominent


def test_there_is_no_banner_without_analytics(client, settings):
    settings.GA_MEASUREMENT_ID = ""

    assert 'id="cookie-consent"' not in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("choice", "action"), [("accept", "given"), ("reject", "refused")]
)
def test_a_choice_writes_one_ledger_row_and_hides_the_banner(
    client, analytics, choice, action
):
    response = choose(client, choice)

    assert response.status_code == 302
    assert response["Location"] == "/"
    record = ConsentRecord.objects.get()
    assert record.action == action
    assert 'id="cookie-consent"' not in client.get("/").content.decode()


def test_the_ledger_holds_no_ip_address_or_user_agent(client, analytics):
    client.post(
        SETTINGS_URL,
        {"choice": "accept"},
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="Kari sin telefon",
    )

    record = ConsentRecord.objects.values().get()
    assert "203.0.113.9" not in str(record)
    assert "Kari" not in str(record)


def test_the_consent_cookie_is_signed_httponly_and_lasts_a_year(client, analytics):
    response = choose(client, "accept")

    morsel = response.cookies[COOKIE_NAME]
    assert morsel["httponly"]
    assert morsel["samesite"] == "Lax"
    assert morsel["max-age"] == 365 * 24 * 3600
    consent = consent_from_cookie(morsel.value)
    assert consent.allows_statistics
    assert str(consent.consent_id) == str(ConsentRecord.objects.get().consent_id)


def test_later_choices_keep_the_same_consent_id(client, analytics):
    choose(client, "accept")
    choose(client, "withdraw")

    first, second = ConsentRecord.objects.order_by("created_at")
    assert first.consent_id == second.consent_id
    assert (first.action, second.action) == ("given", "withdrawn")


def test_no_analytics_and_no_google_in_the_csp_before_a_choice(client, analytics):
    response = client.get("/")

    assert "googletagmanager" not in response.content.decode()
    policy = response["Content-Security-Policy"]
    assert not any(host in policy for host in GOOGLE_HOSTS)


def test_no_analytics_after_refusal(refused_client, analytics):
    response = refused_client.get("/")

    assert "gtag" not in response.content.decode()
    assert "googletagmanager" not in response["Content-Security-Policy"]


def test_analytics_with_a_valid_nonce_after_consent(consented_client, analytics):
    response = consented_client.get("/")

    content = response.content.decode()
    policy = response["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    head = content.split("</head>")[0]
    assert (
        f'<script nonce="{nonce}" async '
        f'src="https://www.googletagmanager.com/gtag/js?id={MEASUREMENT_ID}">' in head
    )
    assert f'<script nonce="{nonce}">window.dataLayer' in head
    assert '"analytics_storage": "granted"' in head
    assert '"ad_storage": "denied"' in head
    assert '"ad_user_data": "denied"' in head
    assert '"ad_personalization": "denied"' in head
    assert '"anonymize_ip": true' in head
    assert '"allow_google_signals": false' in head
    assert '"allow_ad_personalization_signals": false' in head
    assert "https://*.googletagmanager.com" in policy
    assert "https://*.google-analytics.com" in policy
    assert "unsafe-inline" not in policy


def test_analytics_never_runs_in_admin(consented_client, analytics, admin_user):
    login_with_second_factor(consented_client, admin_user)

    response = consented_client.get("/admin/")

    assert "googletagmanager" not in response.content.decode()


def test_analytics_needs_a_measurement_id(consented_client, settings):
    settings.GA_MEASUREMENT_ID = ""

    assert "gtag" not in consented_client.get("/").content.decode()


def test_refusal_expires_the_analytics_cookies(client, analytics):
    client.cookies["_ga"] = "GA1.1.123.456"
    client.cookies["_ga_ABC123"] = "GS1.1.789"
    client.cookies["_gat_UA-1234-1"] = "1"  # Universal Analytics, from before

    response = choose(client, "reject")

    expired = {
        name: morsel
        for name, morsel in response.cookies.items()
        if morsel["max-age"] == 0
    }
    assert {"_ga", "_ga_ABC123", "_gid", "_gat_UA-1234-1"} <= {
        m.key for m in expired.values()
    }


def test_withdrawal_expires_analytics_cookies_on_the_parent_domain_too(
    consented_client, analytics, settings
):
    settings.ALLOWED_HOSTS = ["www.glasoterapi.no"]
    consented_client.cookies["_ga"] = "GA1.1.123.456"

    response = consented_client.post(
        SETTINGS_URL, {"choice": "withdraw"}, HTTP_HOST="www.glasoterapi.no"
    )

    headers = set_cookie_headers(response)
    assert any(h.startswith("_ga=") and "Domain=glasoterapi.no" in h for h in headers)
    assert any(h.startswith("_ga=") and "Domain" not in h for h in headers)
    assert ConsentRecord.objects.get().action == "withdrawn"


def test_the_page_after_withdrawal_has_no_analytics(consented_client, analytics):
    response = consented_client.post(
        SETTINGS_URL, {"choice": "withdraw", "next": "/"}, follow=True
    )

    assert "gtag" not in response.content.decode()
    assert "googletagmanager" not in response["Content-Security-Policy"]


def test_withdrawal_is_one_click_from_every_page_footer(consented_client, analytics):
    content = consented_client.get("/").content.decode()

    footer = content.split('<footer class="site-footer">')[1]
    assert 'name="choice" value="withdraw"' in footer


def test_refusal_via_javascript_answers_json(client, analytics):
    response = client.post(
        SETTINGS_URL, {"choice": "reject"}, HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 200
    assert response.json() == {"granted": []}
    assert COOKIE_NAME in response.cookies


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/"])
def test_a_foreign_next_redirects_home(client, analytics, target):
    response = client.post(SETTINGS_URL, {"choice": "reject", "next": target})

    assert response["Location"] == "/"


def test_an_invalid_choice_saves_nothing(client, analytics):
    response = client.post(SETTINGS_URL, {"choice": "maybe"})

    assert response.status_code == 400
    assert "Valget kunne ikke lagres" in response.content.decode()
    assert ConsentRecord.objects.count() == 0


def test_settings_page_offers_unticked_toggles_on_first_visit(client, analytics):
    content = client.get(SETTINGS_URL).content.decode()

    toggle = content.split('id="kategori-statistics"')[0].rsplit("<input", 1)[1]
    assert "checked" not in toggle
    assert "Du har ikke valgt ennå" in content


def test_saving_statistics_on_the_settings_page_grants_it(client, analytics):
    response = client.post(
        SETTINGS_URL,
        {"choice": "save", "categories": ["statistics"], "next": SETTINGS_URL},
        follow=True,
    )

    content = response.content.decode()
    assert "statistikk: <strong>ja</strong>" in content
    # When, as Norwegians write it: "25. november 2026 kl. 14.05".
    assert re.search(r"Du valgte \d+\. [a-zæøå]+ \d{4} kl\. \d\d\.\d\d:", content)
    assert (
        'id="kategori-statistics" aria-describedby="kategori-statistics-hjelp" checked'
        in content
    )


def test_saving_an_undeclared_category_grants_nothing(client, analytics):
    client.post(SETTINGS_URL, {"choice": "save", "categories": ["marketing"]})

    assert ConsentRecord.objects.count() == 0


def test_global_privacy_control_hides_the_banner_and_loads_no_analytics(
    client, analytics
):
    response = client.get("/", HTTP_SEC_GPC="1")

    content = response.content.decode()
    assert 'id="cookie-consent"' not in content
    assert "gtag" not in content
    assert "Cookie" in response["Vary"]
    assert "Sec-GPC" in response["Vary"]


def test_global_privacy_control_visitor_can_still_opt_in(client, analytics):
    settings_page = client.get(SETTINGS_URL, HTTP_SEC_GPC="1").content.decode()
    assert "Global Privacy Control" in settings_page

    client.post(
        SETTINGS_URL,
        {"choice": "save", "categories": ["statistics"]},
        HTTP_SEC_GPC="1",
    )

    assert "gtag" in client.get("/", HTTP_SEC_GPC="1").content.decode()
    assert ConsentRecord.objects.get().action == "given"


def test_csrf_is_enforced_on_the_consent_form(analytics):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(SETTINGS_URL, {"choice": "accept"})

    assert response.status_code == 403
    assert ConsentRecord.objects.count() == 0


def test_staff_can_read_but_not_change_the_ledger(admin_client, client, analytics):
    choose(client, "accept")
    record = ConsentRecord.objects.get()

    changelist = admin_client.get("/admin/privacy/consentrecord/?action__exact=given")
    assert changelist.status_code == 200
    assert "Gitt" in changelist.content.decode()
    assert admin_client.get("/admin/privacy/consentrecord/add/").status_code == 403
    delete = admin_client.post(
        f"/admin/privacy/consentrecord/{record.pk}/delete/", {"post": "yes"}
    )
    assert delete.status_code == 403
    assert ConsentRecord.objects.count() == 1


def test_without_analytics_there_is_nothing_to_choose_and_no_google_cookies_listed(
    client, settings
):
    settings.GA_MEASUREMENT_ID = ""

    settings_page = client.get(SETTINGS_URL).content.decode()
    statement = client.get("/personvern/").content.decode()

    assert "ingenting å velge" in settings_page
    assert 'name="categories"' not in settings_page
    for page in (settings_page, statement):
        assert "_ga" not in page


def test_with_analytics_the_statistics_choice_and_its_cookies_are_shown(
    client, analytics
):
    settings_page = client.get(SETTINGS_URL).content.decode()

    assert 'name="categories" value="statistics"' in settings_page
    assert "_ga" in settings_page


def test_an_earlier_yes_can_be_withdrawn_after_analytics_is_switched_off(
    consented_client, settings
):
    settings.GA_MEASUREMENT_ID = ""
    page = consented_client.get(SETTINGS_URL).content.decode()
    assert "Trekk tilbake samtykket" in page

    response = choose(consented_client, "withdraw")

    assert consent_from_cookie(response.cookies[COOKIE_NAME].value).granted == set()
    assert "_ga" in " ".join(set_cookie_headers(response))  # expired


def test_the_consent_log_shows_sources_as_staff_read_them(admin_client):
    """Finding: consent log sources were raw codes ("course_signup")."""
    from newsletter.services import subscription_confirm, subscription_request

    subscriber = subscription_request(
        name="Kari", email="kari@example.no", source="newsletter_page"
    )
    subscription_confirm(subscriber=subscriber)

    page = admin_client.get("/admin/privacy/consentrecord/").content.decode()

    assert "Nyhetsbrevsiden" in page
    assert "newsletter_page" not in page.replace("source__exact=newsletter_page", "")
