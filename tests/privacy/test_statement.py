import re

import pytest
from django.conf import settings
from django.utils.html import escape

from privacy.registry import CookieCategory, registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement(client, analytics):
    return client.get("/personvern/").content.decode()


def test_statement_keeps_the_sections_of_the_original_and_objection_on_its_own(
    statement,
):
    """The 2023 statement's seven sections, with the right to object as a section
    of its own (GDPR art. 21(4): "clearly and separately")."""
    headings = re.findall(r"<h2 id=\"([a-z]+)-tittel\">(\d)\. ", statement)

    assert [number for _, number in headings] == [str(n) for n in range(1, 9)]
    assert ("protestere", "6") in headings


def test_every_declared_cookie_is_in_the_table(statement):
    for cookie in registry.cookies:
        assert f"<code>{escape(cookie.display_name)}</code>" in statement


def test_cookies_this_site_does_not_set_are_gone(statement):
    for stale in ("PHPSESSID", "__ga", "__gid", "__gat"):
        assert stale not in statement


def test_every_processing_is_listed_with_basis_and_retention(statement):
    for processing in registry.processings_about(staff=False):
        assert processing.purpose in statement
        assert processing.legal_basis.citation in statement
        assert processing.retention.text in statement


def test_statement_cites_todays_cookie_law(statement):
    assert "ekomloven § 3-15" in statement
    assert "§ 2-7b" not in statement.replace("§ 2-7 b", "")


def test_statement_explains_google_analytics_4_and_the_transfer(statement):
    assert "logger og lagrer ikke IP-adresser" in statement
    assert "Data Privacy Framework" in statement
    assert "samtykkemodus" in statement


def test_statement_links_to_the_rights_page_and_datatilsynet(statement):
    assert 'href="/personvern/mine-data/"' in statement
    assert "Datatilsynet" in statement


def test_statement_names_the_data_processor_from_settings(client, settings, analytics):
    settings.PRIVACY_DATA_PROCESSOR = "Lykke Media AS, Norge"

    assert "Lykke Media AS" in client.get("/personvern/").content.decode()


def test_statement_warns_against_unencrypted_email(statement):
    assert "Ukryptert e-post er ikke en sikker kommunikasjonskanal" in statement


def test_statement_shows_its_version_and_change_log(statement):
    assert f"versjon {settings.PRIVACY_POLICY_VERSION}" in statement
    assert f"(versjon {settings.PRIVACY_POLICY_VERSION}):" in statement
    assert "Sist endret" in statement


def test_banner_does_not_cover_the_statement(client, analytics):
    content = client.get("/personvern/").content.decode()

    banner_end = content.index("</section>", content.index('class="consent-banner"'))
    assert banner_end < content.index("<main")


def test_statement_names_the_controller_and_how_to_reach_it(client, business_identity):
    """GDPR art. 13(1)(a): the controller's identity and contact details."""
    statement = client.get("/personvern/").content.decode()
    general = statement[
        statement.index('id="generelt"') : statement.index('id="hvorfor"')
    ]

    assert (
        "Behandlingsansvarlig, det vil si den som har ansvaret for opplysningene om "
        "deg, er Glasoterapi AS, org.nr. 310 123 455, Storgata 1, 0155 Oslo."
    ) in general
    assert 'href="mailto:post@glasoterapi.no"' in general
    assert '<a href="tel:+4722334455">+47 22 33 44 55</a>' in general


def test_the_cookie_table_lists_what_ga4_with_gtag_sets_and_nothing_more(statement):
    """Found: `_gid` and `_gat<id>` were listed, which GA4 with gtag.js never sets
    (Google's "Google Analytics cookie usage on websites")."""
    statistics = [
        c.display_name for c in registry.cookies_in(CookieCategory.STATISTICS)
    ]

    assert statistics == ["_ga", "_ga_<id>"]
    assert "<code>_gid</code>" not in statement
    assert "_gat" not in statement


def test_every_earlier_version_in_the_change_log_stays_readable(client, settings):
    page = client.get("/personvern/").text
    versions = re.findall(r'href="/personvern/versjoner/([\d-]+)/"', page)

    assert versions == ["2026-12", "2026-11", "2023-02"]
    for version in versions:
        archived = client.get(f"/personvern/versjoner/{version}/")
        assert archived.status_code == 200
        assert f"Dette er en tidligere versjon ({version})" in archived.text
    assert (
        "Glasoterapi er behandlingsansvarlig"
        in client.get("/personvern/versjoner/2026-11/").text
    )
    assert (
        "Vår databehandler er Lykke Media As"
        in client.get("/personvern/versjoner/2023-02/").text
    )


def test_the_current_version_has_one_address_and_unknown_ones_none(client, settings):
    current = client.get(f"/personvern/versjoner/{settings.PRIVACY_POLICY_VERSION}/")

    assert current.status_code == 302
    assert current["Location"] == "/personvern/"
    assert client.get("/personvern/versjoner/1999-01/").status_code == 404
    assert client.get("/personvern/versjoner/..%2Fviews/").status_code == 404


def test_the_version_it_replaced_shows_the_operators_settings_as_they_are_now(
    client, business_identity, settings
):
    """An archived version keeps its text and declarations; who the business is and
    who receives the data are the operator's settings, as in the current one."""
    settings.PRIVACY_EMAIL_PROVIDER = "Posten Digital AS, Norge"

    page = client.get("/personvern/versjoner/2026-12/").text

    assert "Dette er en tidligere versjon (2026-12)" in page
    assert "Glasoterapi AS, org.nr. 310 123 455" in page
    assert (
        "Posten Digital AS (databehandler: leverer e-posten nettstedet sender)" in page
    )
    assert "{{" not in page
    assert "{%" not in page
    # What 2026-12-2 added is not in it.
    assert "når deltakeren møtte opp" not in page


def test_a_version_number_outside_the_format_is_not_found(client):
    for version in ("2026-12-22", "2026-1", "2026-12-x"):
        assert client.get(f"/personvern/versjoner/{version}/").status_code == 404
