"""The privacy page carries what GDPR art. 13 says a person must be told, item by
item, and claims nothing the code does not do."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from privacy.models import JobRun
from privacy.registry import LegalBasis, registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def recipients(settings):
    settings.PRIVACY_DATA_PROCESSOR = "Lykke Media AS, Norge"
    settings.PRIVACY_EMAIL_PROVIDER = "Postmann AS, Norge"
    settings.PRIVACY_ACCOUNTING_SYSTEM = "Regnskapshuset AS, Norge"


@pytest.fixture
def statement(client, analytics, business_identity, recipients, settings):
    settings.GA_DATA_RETENTION_MONTHS = 14
    return client.get("/personvern/").text


def test_13_1_a_the_controller_and_its_contact_details(statement):
    assert "Glasoterapi AS, org.nr. 310 123 455, Storgata 1, 0155 Oslo" in statement
    assert "post@glasoterapi.no" in statement


def test_13_1_c_purposes_and_legal_basis_of_each_processing(statement):
    for processing in registry.processings_about(staff=False):
        assert processing.purpose in statement
        assert processing.legal_basis.citation in statement


def test_13_1_d_the_legitimate_interests(statement):
    for processing in registry.processings_about(staff=False):
        if processing.legal_basis == LegalBasis.LEGITIMATE_INTEREST:
            assert processing.legal_basis_reason in statement


def test_13_1_e_every_recipient_by_name_role_and_country(statement):
    """Found: only the data processor was named, "Ingen utenfor virksomheten og vår
    databehandler" was ambiguous, and Google's role was not said."""
    assert "Lykke Media AS, Norge (databehandler: drifter nettstedet" in statement
    assert "Postmann AS, Norge (databehandler: leverer e-posten" in statement
    assert "Postmann AS (databehandler: leverer e-posten nettstedet sender) og " in (
        statement
    )
    assert "Regnskapshuset AS, Norge (databehandler: regnskapssystemet" in statement
    assert "Google Ireland Ltd., Irland (databehandler: Google Analytics" in statement
    assert "Ingen utenfor virksomheten og vår databehandler" not in statement


def test_13_1_f_transfers_outside_the_eea_and_their_basis(statement):
    assert "Google LLC i USA" in statement
    assert "EU-US Data Privacy Framework" in statement
    assert (
        "Bortsett fra overføringen som står ovenfor, blir alle opplysningene i EØS"
        in (statement)
    )


def test_13_2_a_how_long_including_what_google_keeps(statement):
    """Found: how long Google keeps analytics data was not said."""
    for processing in registry.processings_about(staff=False):
        assert processing.retention.text in statement
    assert "Google sletter statistikkdataene etter 14 måneder" in statement


def test_13_2_b_the_rights_of_access_rectification_erasure_restriction_portability(
    statement,
):
    for right in (
        "innsyn",
        "rettet",
        "slettet",
        "begrenset behandling",
        "portabilitet",
    ):
        assert right in statement


def test_13_2_b_the_right_to_object_is_its_own_section(statement):
    """Art. 21(4): "clearly and separately from any other information"."""
    assert '<h2 id="protestere-tittel">6. Retten til å protestere</h2>' in statement
    assert "Du kan alltid si nei til markedsføring" in statement


def test_13_2_c_consent_can_be_withdrawn_without_undoing_what_came_before(statement):
    """Found: the right to withdraw consent, and that processing before it stays
    lawful, were missing."""
    assert "trekke samtykket tilbake" in statement
    assert "det vi gjorde før du trakk det tilbake, var likevel lovlig" in statement


def test_13_2_d_the_right_to_complain_to_datatilsynet(statement):
    assert 'href="https://www.datatilsynet.no/"' in statement


def test_13_2_e_whether_data_is_required_and_what_happens_without_it(statement):
    """Found: not said; the phone number is optional on the contact form."""
    assert "Må du gi oss opplysningene?" in statement
    assert "Telefonnummer og firma er frivillig" in statement
    assert "Uten dem kan vi ikke ta imot påmeldingen" in statement


def test_13_2_f_no_automated_decisions(statement):
    assert "Vi tar ingen avgjørelser om deg som bare bygger på automatisk" in statement


def test_the_statement_says_what_it_covers_and_no_longer_that_it_is_everything(
    statement,
):
    """Found: "Her er alt vi tar vare på om deg" covered only the database, not the
    mailbox or the accounting system."""
    assert "Her er alt vi tar vare på om deg" not in statement
    assert "e-postkassen vår" in statement
    assert "regnskapssystemet" in statement


def test_withdrawal_is_not_said_to_delete_what_google_already_has(statement):
    """Found: "sletter vi når du trekker samtykket tilbake" held for the cookies,
    not for what Google had received."""
    assert "sletter vi når du trekker samtykket tilbake" not in statement
    assert "Det Google allerede har fått, slettes etter de 14 månedene" in statement


def test_every_night_is_claimed_only_while_the_retention_job_succeeds(
    client, analytics
):
    """Found: "Slettingen skjer automatisk hver natt" held only while the job ran."""
    assert "hver natt" not in client.get("/personvern/").text

    call_command("enforce_retention", stdout=StringIO())
    assert "slettes automatisk hver natt" in client.get("/personvern/").text

    JobRun.objects.update(succeeded_at=timezone.now() - timedelta(days=2))
    assert "hver natt" not in client.get("/personvern/").text


def test_security_logging_rests_on_legitimate_interest_not_a_legal_obligation():
    """Found: security logging cited art. 6(1)(c) with art. 32; recital 49 treats
    it as a legitimate interest."""
    security = [
        registry.processing(key)
        for key in (
            "glasoterapi.login_attempts",
            "glasoterapi.two_factor_devices",
            "glasoterapi.staff_passkeys",
            "privacy.access_audit",
        )
    ]

    assert {p.legal_basis for p in security} == {LegalBasis.LEGITIMATE_INTEREST}


def test_the_public_statement_is_for_visitors_and_staff_have_their_own_page(
    client, admin_client
):
    """Found: staff-only processings (two-step login, lockout, export log) made the
    public statement longer for every visitor."""
    about_staff = [p for p in registry.processings if p.about_staff]
    public = client.get("/personvern/").text
    staff_page = admin_client.get("/admin/personvern/")

    assert about_staff
    for processing in about_staff:
        assert processing.purpose not in public
        assert processing.purpose in staff_page.text
    assert "Personvern for ansatte" in admin_client.get("/admin/").text


def test_the_staff_privacy_page_needs_a_verified_staff_login(client, admin_user):
    assert client.get("/admin/personvern/").status_code == 302
    client.force_login(admin_user)  # password only, no second factor
    assert "Personvern for ansatte" not in client.get("/admin/personvern/").text


def test_ropa_has_analytics_as_an_entry_and_transfers_only_where_they_happen(
    analytics, recipients, settings
):
    """Found: analytics was a footnote, and every entry said "Ingen overføring"."""
    out = StringIO()
    call_command("ropa", stdout=out)
    ropa = out.getvalue()

    assert "## Statistikk over bruken av nettstedet (Google Analytics 4)" in ropa
    assert "Google Ireland Ltd.: kan overføres til Google LLC i USA" in ropa
    assert "Overføring til tredjeland: Ingen: opplysningene blir i EØS" in ropa
    assert "Postmann AS, Norge" in ropa


def test_no_purpose_is_a_heading_with_a_colon():
    """Klarspråk: a heading says one thing, in words, not "X: y"."""
    assert [p.purpose for p in registry.processings if ":" in p.purpose] == []


def test_without_analytics_the_statement_promises_no_statistics(client, settings):
    settings.GA_MEASUREMENT_ID = ""
    statement = client.get("/personvern/").text

    assert "Google Analytics bare hvis du sier ja" not in statement
    assert "Statistikk:</strong>" not in statement
    assert "Google Ireland" not in statement


def test_no_page_promises_to_delete_what_bookkeeping_keeps(client):
    """Invoices are kept for bokføringsloven § 13 even if erasure is asked for."""
    for path in ("/", "/om-oss/"):
        page = client.get(path).text
        assert "laste ned eller slette opplysningene" not in page
        assert "det vi ikke må ta vare på etter bokføringsloven" in page


def test_the_check_in_time_staff_record_is_named_with_where_it_comes_from(statement):
    """Found: the time a participant was checked in was kept, exported by Mine data
    and blanked on erasure, but the statement did not name it (art. 14(1)(d))."""
    assert "når deltakeren møtte opp (vi registrerer det på kursdagen)" in statement
    assert "når du møtte opp, registrerer vi på kursdagen" in statement


def test_a_waitlist_is_said_to_need_contact_details_only(statement):
    """Found: the statement said invoicing details come with every sign-up; since
    issue 17 a waitlist asks for them only when a seat is offered."""
    assert (
        "Er kurset fullt, trenger vi bare navn og e-postadresse for å sette deg på "
        "venteliste; fakturaopplysningene ber vi om når vi tilbyr deg en plass."
    ) in statement
    assert "står du på venteliste, når du takker ja til en ledig plass" in statement
    assert "om og til når du har fått tilbud om en ledig plass" in statement
