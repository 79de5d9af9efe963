import json
import re
import time
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail, signing
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsletter.models import NewsletterSuppression, Subscriber
from newsletter.services import (
    CONFIRM_SALT,
    subscriber_token,
    subscription_add_customer,
    subscription_confirm,
    subscription_request,
)
from outbox.models import OutgoingEmail
from outbox.services import email_queue
from privacy.models import (
    ConsentRecord,
    DataSubjectRequest,
    EmailVerification,
    Restriction,
)
from privacy.registry import email_key
from privacy.services.rights import VERIFY_SALT, link_binding, one_month_after
from tests.conftest import login_with_second_factor

pytestmark = pytest.mark.django_db
START = "/personvern/mine-data/"
OVERVIEW = "/personvern/mine-data/oversikt/"


def deliver():
    call_command("send_queued_mail", stdout=StringIO())
    return mail.outbox


def subscribed(email="kari@example.no", name="Kari Nordmann") -> Subscriber:
    subscriber = subscription_request(name=name, email=email, source="newsletter_page")
    return subscription_confirm(subscriber=subscriber)


def verified_client(client, email="kari@example.no"):
    client.post(START, {"email": email})
    (message,) = [m for m in deliver() if "/personvern/mine-data/bekreft/" in m.body]
    (link,) = re.findall(
        r"http://127.0.0.1:8000(/personvern/mine-data/bekreft/\S+/)", message.body
    )
    assert "Åpne Mine data" in client.get(link).content.decode()
    response = client.post(link)
    assert response["Location"] == OVERVIEW
    mail.outbox.clear()
    return client


def test_the_whole_flow_see_download_and_erase(client):
    subscribed()

    verified_client(client)
    overview = client.get(OVERVIEW).content.decode()
    assert "Sende deg nyhetsbrevet du har bedt om" in overview
    assert "Kari Nordmann" in overview
    assert "Samtykke (personvernforordningen artikkel 6 nr. 1 bokstav a)" in overview

    download = client.get("/personvern/mine-data/last-ned/")
    assert download["Content-Disposition"].startswith('attachment; filename="mine-data')
    document = json.loads(download.content)
    assert document["e-postadresse"] == "kari@example.no"
    purposes = {p["formål"]: p for p in document["behandlinger"]}
    newsletter = purposes["Sende deg nyhetsbrevet du har bedt om"]
    assert newsletter["poster"][0]["Navn"] == "Kari Nordmann"
    assert newsletter["lagringstid"].startswith("til du melder deg av")

    assert (
        "Slett opplysningene mine?"
        in client.get("/personvern/mine-data/slett/").content.decode()
    )
    erased = client.post("/personvern/mine-data/slett/").content.decode()

    assert "Opplysningene er slettet" in erased
    assert not Subscriber.objects.exists()
    # The proof of consent is kept (legal obligation) and the page says until when.
    assert ConsentRecord.objects.filter(purpose="newsletter").exists()
    assert "Dokumentere samtykkene dine" in erased
    assert DataSubjectRequest.objects.filter(kind="erasure", status="done").exists()


def test_the_erasure_receipt_says_how_long_each_kept_record_stays(client):
    from newsletter.services import subscription_cancel

    subscription_cancel(subscriber=subscribed(), source="unsubscribe_link")
    subscribed()  # signed up again and unsubscribed again: two consent records
    subscription_cancel(subscriber=Subscriber.objects.get(), source="unsubscribe")
    verified_client(client)

    erased = client.post("/personvern/mine-data/slett/").content.decode()

    kept = re.findall(r"<li>(.*?)</li>", erased.split("ta vare på")[1])
    assert (
        "Hindre at du får nyhetsbrev igjen etter at du har meldt deg av: "
        "til du melder deg på igjen" in kept
    )
    (consent,) = [line for line in kept if line.startswith("Dokumentere")]
    assert re.fullmatch(r".*: til \d+\. \w+ \d{4}", consent)  # one date, once
    assert "fakturert" not in erased


def test_the_overview_shows_values_as_people_read_them(client):
    subscribed()
    email_queue(
        kind="contact_receipt",
        to="kari@example.no",
        template="contact/email/receipt",
        context={"inquiry": None},
    )
    verified_client(client)

    overview = client.get(OVERVIEW).content.decode()

    cells = re.findall(r"<td[^>]*>(.*?)</td>", overview)
    assert "Aktiv" in cells  # the subscription's status, not "active"
    assert "Sendt" in cells  # the mail's status, not "sent"
    assert any(re.fullmatch(r"\d+\. \w+ \d{4} kl\. \d\d\.\d\d", c) for c in cells)
    for code in ("active", "sent", "contact_receipt", "privacy.rights.verify"):
        assert code not in cells
    assert "Created at" not in overview
    # A correction names a row by the number shown in its table.
    assert '<th scope="row">Nr. 1</th>' in overview
    assert "Hva er feil i nr. 1, og hva skal det være?" in overview


def test_erasure_is_idempotent(client):
    subscribed()
    verified_client(client)
    client.post("/personvern/mine-data/slett/")

    second = client.post("/personvern/mine-data/slett/").content.decode()

    assert "Det var ingenting mer å slette." in second


def test_the_answer_is_the_same_for_known_and_unknown_addresses(client):
    subscribed()

    known = client.post(START, {"email": "kari@example.no"})
    unknown = client.post(START, {"email": "ukjent@example.no"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    page = client.get(known["Location"]).content.decode()
    assert (
        "Hvis vi har opplysninger om denne adressen, har vi sendt deg en lenke" in page
    )
    messages = {m.to[0]: m for m in deliver()}
    assert "/personvern/mine-data/bekreft/" in messages["kari@example.no"].body
    assert "ingen opplysninger" in messages["ukjent@example.no"].body
    assert "/bekreft/" not in messages["ukjent@example.no"].body


def test_known_and_unknown_addresses_take_the_same_work(client):
    subscribed()

    def queries_for(email):
        with CaptureQueriesContext(connection) as queries:
            client.post(START, {"email": email})
        return len(queries)

    assert queries_for("kari@example.no") == queries_for("ukjent@example.no")


def test_requests_for_links_are_rate_limited_per_address(client):
    for _ in range(3):
        client.post(START, {"email": "kari@example.no"})

    response = client.post(START, {"email": "kari@example.no"})

    assert "Vent litt og prøv igjen" in response.content.decode()


def token_signed_ago(seconds: int, payload: dict, salt: str) -> str:
    class SignerInThePast(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - seconds)

    return SignerInThePast(salt=salt).sign_object(payload)


def verification_payload(email="kari@example.no") -> dict:
    verification = EmailVerification.objects.create(email=email)
    return {"v": verification.pk, "k": link_binding(verification)}


def bound_to_another_address() -> dict:
    payload = verification_payload()
    other = EmailVerification(pk=payload["v"], email="ola@example.no")
    return {**payload, "k": link_binding(other)}


def test_a_link_is_valid_for_one_hour(client):
    token = token_signed_ago(3590, verification_payload(), VERIFY_SALT)

    response = client.post(f"/personvern/mine-data/bekreft/{token}/")

    assert response["Location"] == OVERVIEW


@pytest.mark.parametrize(
    "make_token",
    [
        lambda: token_signed_ago(3610, verification_payload(), VERIFY_SALT),
        lambda: token_signed_ago(0, verification_payload(), VERIFY_SALT)[:-2] + "xx",
        lambda: token_signed_ago(0, verification_payload(), CONFIRM_SALT),
        lambda: token_signed_ago(
            0,
            bound_to_another_address(),
            VERIFY_SALT,
        ),
    ],
    ids=["expired", "tampered", "other-purpose", "other-address"],
)
def test_bad_links_are_refused(client, make_token):
    response = client.get(f"/personvern/mine-data/bekreft/{make_token()}/")

    assert response.status_code == 400
    assert "Lenken virker ikke" in response.content.decode()
    assert client.get(OVERVIEW)["Location"] == START


def test_a_newsletter_token_does_not_open_my_data(client):
    subscriber = subscribed()
    token = subscriber_token(subscriber, salt=CONFIRM_SALT)

    assert client.get(f"/personvern/mine-data/bekreft/{token}/").status_code == 400


def test_the_verified_session_ends_after_30_minutes(client):
    subscribed()
    verified_client(client)
    session = client.session
    session["privacy_subject"]["until"] = (
        timezone.now() - timedelta(seconds=1)
    ).isoformat()
    session.save()

    assert client.get(OVERVIEW)["Location"] == START


def test_pages_need_a_verified_session(client):
    for path in [
        OVERVIEW,
        "/personvern/mine-data/last-ned/",
        "/personvern/mine-data/slett/",
    ]:
        assert client.get(path)["Location"] == START


def test_export_has_everything_of_this_person_and_nothing_of_others(client):
    subscribed("kari@example.no", name="Kari")
    for other in [
        "karin@example.no",
        "kari@example.no.evil.com",
        "kari@example.com",
        "xkari@example.no",
    ]:
        subscribed(other, name="Annen")

    verified_client(client)
    document = client.get("/personvern/mine-data/last-ned/").content.decode()

    assert "Kari" in document
    assert "Annen" not in document
    assert "karin@" not in document
    assert "example.com" not in document


def test_restriction_holds_back_mail_and_skips_the_newsletter(client):
    subscribed()
    verified_client(client)

    client.post("/personvern/mine-data/begrens/")
    with transaction_atomic():
        email_queue(
            kind="contact.receipt",
            to="kari@example.no",
            template="privacy/email/rights_unknown",
            context={},
        )
    deliver()

    assert mail.outbox == []
    assert OutgoingEmail.objects.get(kind="contact.receipt").status == "held"
    assert Subscriber.objects.get().restricted_at is not None
    assert (
        "Bruken av opplysningene dine er begrenset"
        in client.get(OVERVIEW).content.decode()
    )


def test_lifting_a_restriction_lets_mail_go_again(client):
    subscribed()
    verified_client(client)
    client.post("/personvern/mine-data/begrens/")

    client.post("/personvern/mine-data/begrens/", {"lift": "1"})

    assert not Restriction.objects.exists()
    assert Subscriber.objects.get().restricted_at is None


def test_rectification_goes_to_staff_with_a_one_month_deadline(client):
    subscriber = subscribed()
    verified_client(client)

    client.post(
        "/personvern/mine-data/rett/",
        {
            "processing": "privacy.newsletter_consent",
            "record": subscriber.pk,
            "details": "Navnet er Kari Nordkvinne",
        },
    )

    request = DataSubjectRequest.objects.get(kind="rectification")
    assert request.status == "open"
    assert request.due_at == one_month_after(request.received_at)
    assert request.subject_key == email_key("kari@example.no")
    assert "Kari Nordkvinne" in request.details


def test_objecting_to_marketing_unsubscribes_and_suppresses(client):
    subscription_add_customer(
        name="Kari", email="kari@example.no", last_course_at=timezone.now()
    )
    verified_client(client)

    client.post("/personvern/mine-data/protester/markedsforing/")

    assert not Subscriber.objects.exists()
    assert NewsletterSuppression.objects.filter(
        email_key=email_key("kari@example.no")
    ).exists()
    assert (
        subscription_add_customer(
            name="Kari", email="kari@example.no", last_course_at=timezone.now()
        )
        is None
    )


def test_requests_are_logged_without_the_personal_data(client):
    subscribed()
    verified_client(client)
    client.get("/personvern/mine-data/last-ned/")

    logged = str(list(DataSubjectRequest.objects.values()))
    assert "kari" not in logged.lower()
    assert "privacy.newsletter_consent" in logged


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("2026-01-31", "2026-02-28"),
        ("2026-03-15", "2026-04-15"),
        ("2026-12-31", "2027-01-31"),
    ],
)
def test_the_deadline_is_one_month_later(received, due):
    from datetime import UTC, datetime

    moment = datetime.fromisoformat(received).replace(tzinfo=UTC)

    assert one_month_after(moment).date().isoformat() == due


def test_staff_queue_shows_overdue_requests_first(admin_client):
    old = DataSubjectRequest.objects.create(
        kind="rectification",
        channel="self_service",
        subject_key="x",
        due_at=timezone.now() - timedelta(days=1),
    )
    DataSubjectRequest.objects.create(
        kind="objection",
        channel="self_service",
        subject_key="y",
        due_at=timezone.now() + timedelta(days=20),
    )

    content = admin_client.get("/admin/privacy/datasubjectrequest/").content.decode()

    assert "forfalt" in content
    assert content.index(f"#{old.pk}") < content.index("Protest (art. 21)")


PERSON = "/admin/privacy/datasubjectrequest/person/"


def test_staff_can_act_for_a_person(admin_client, admin_user):
    subscribed()

    page = admin_client.post(PERSON, {"email": "kari@example.no"})
    assert "Sende deg nyhetsbrevet du har bedt om" in page.content.decode()

    export = admin_client.post(PERSON, {"email": "kari@example.no", "do": "export"})
    assert json.loads(export.content)["e-postadresse"] == "kari@example.no"

    done = admin_client.post(
        PERSON, {"email": "kari@example.no", "do": "erase", "confirm": "yes"}
    )

    assert done["Location"] == PERSON  # a reload repeats nothing
    assert "Slettet eller anonymisert" in admin_client.get(PERSON).content.decode()
    assert not Subscriber.objects.exists()
    request = DataSubjectRequest.objects.get(kind="erasure")
    assert (request.channel, request.handled_by) == ("staff", admin_user)
    # The records it concerned, and what became of them; no personal data.
    assert request.processings["privacy.newsletter_consent"] == 1
    assert request.outcome.startswith("Slettet eller anonymisert: ")
    assert "kari" not in request.outcome


def test_staff_erasure_asks_first_and_keeps_the_address_out_of_urls(admin_client):
    subscribed()

    search = admin_client.get(PERSON).content.decode()
    asked = admin_client.post(PERSON, {"email": "kari@example.no", "do": "erase"})

    assert 'method="post"' in search
    assert "Dette kan ikke angres." in asked.content.decode()
    links = re.findall(r'(?:href|action)="([^"]*)"', asked.content.decode())
    assert not [link for link in links if "kari" in link]
    assert Subscriber.objects.exists()
    assert not DataSubjectRequest.objects.exists()


def test_the_personvern_group_can_answer_requests_but_not_change_the_ledger(client):
    user = User.objects.create_user("pia", password="x" * 12, is_staff=True)
    user.groups.add(Group.objects.get(name="Personvern"))
    login_with_second_factor(client, user)

    assert client.get("/admin/privacy/datasubjectrequest/").status_code == 200
    assert client.get("/admin/privacy/datasubjectrequest/person/").status_code == 200
    assert client.get("/admin/privacy/consentrecord/").status_code == 200
    assert client.get("/admin/newsletter/newsletterissue/").status_code == 403


def test_staff_outside_the_group_cannot_act_for_a_person(client):
    user = User.objects.create_user("ola", password="x" * 12, is_staff=True)
    login_with_second_factor(client, user)

    assert client.get("/admin/privacy/datasubjectrequest/person/").status_code == 403


def test_ropa_is_printed_from_the_declarations():
    from privacy.registry import registry

    out = StringIO()
    call_command("ropa", stdout=out)

    text = out.getvalue()
    assert text.startswith("# Protokoll over behandlingsaktiviteter")
    for processing in registry.processings:
        assert f"## {processing.purpose}" in text


def test_ropa_names_the_controller_and_its_contact_details(business_identity):
    """GDPR art. 30(1)(a)."""
    out = StringIO()
    call_command("ropa", stdout=out)

    text = out.getvalue()
    assert (
        "Behandlingsansvarlig: Glasoterapi AS, org.nr. 310 123 455, "
        "Storgata 1, 0155 Oslo\n"
    ) in text
    assert "Kontakt: e-post post@glasoterapi.no, telefon +47 22 33 44 55\n" in text


def test_the_download_names_the_controller(client, business_identity):
    subscribed()
    verified_client(client)

    document = json.loads(client.get("/personvern/mine-data/last-ned/").content)

    assert document["behandlingsansvarlig"] == {
        "navn": "Glasoterapi AS",
        "organisasjonsnummer": "310 123 455",
        "adresse": "Storgata 1, 0155 Oslo",
        "e-post": "post@glasoterapi.no",
        "telefon": "+47 22 33 44 55",
    }


def test_staff_see_the_ropa_in_admin(admin_client):
    content = admin_client.get(
        "/admin/privacy/datasubjectrequest/behandlingsprotokoll/"
    ).content.decode()

    assert "Protokoll over behandlingsaktiviteter" in content


def transaction_atomic():
    from django.db import transaction

    return transaction.atomic()


def mine_data_link(client, email="kari@example.no") -> str:
    client.post(START, {"email": email})
    (message,) = [m for m in deliver() if "/personvern/mine-data/bekreft/" in m.body]
    (link,) = re.findall(
        r"http://127.0.0.1:8000(/personvern/mine-data/bekreft/\S+/)", message.body
    )
    mail.outbox.clear()
    return link


def test_a_link_opens_mine_data_once(client):
    """Finding: a link worked again and again for its whole hour, also after
    "Logg ut"."""
    subscribed()
    link = mine_data_link(client)
    assert client.post(link)["Location"] == OVERVIEW
    client.post("/personvern/mine-data/logg-ut/")

    again = client.post(link)
    shown = client.get(link)

    assert again.status_code == shown.status_code == 400
    assert "Lenken er allerede brukt" in shown.content.decode()
    assert client.get(OVERVIEW)["Location"] == START


def test_a_link_used_in_one_browser_does_not_open_another(client):
    subscribed()
    link = mine_data_link(client)
    client.post(link)

    other = Client()

    assert other.post(link).status_code == 400
    assert other.get(OVERVIEW)["Location"] == START


def test_opening_the_link_without_the_button_uses_nothing(client):
    """A mail scanner that opens the link must not use it up."""
    subscribed()
    link = mine_data_link(client)

    client.get(link)
    client.get(link)

    assert client.post(link)["Location"] == OVERVIEW


def test_a_used_link_offers_a_new_one_to_the_same_address(client):
    subscribed()
    link = mine_data_link(client)
    client.post(link)

    response = client.post(link.rstrip("/") + "/ny/", follow=True)

    assert "Vi har sendt en ny lenke til samme e-postadresse" in (
        response.content.decode()
    )
    (message,) = deliver()
    assert message.to == ["kari@example.no"]
    (new_link,) = re.findall(
        r"http://127.0.0.1:8000(/personvern/mine-data/bekreft/\S+/)", message.body
    )
    assert new_link != link
    assert Client().post(new_link)["Location"] == OVERVIEW


def test_an_expired_link_says_so_and_offers_a_new_one(client):
    token = token_signed_ago(3610, verification_payload(), VERIFY_SALT)

    response = client.get(f"/personvern/mine-data/bekreft/{token}/")

    content = response.content.decode()
    assert "Lenken er utløpt" in content
    assert "Send meg en ny lenke" in content


def test_a_forged_link_offers_no_new_one(client):
    token = token_signed_ago(0, verification_payload(), CONFIRM_SALT)

    client.post(f"/personvern/mine-data/bekreft/{token}/ny/")

    assert deliver() == []


@pytest.mark.parametrize(
    "path",
    [OVERVIEW, "/personvern/mine-data/last-ned/", "/personvern/mine-data/slett/"],
)
def test_mine_data_pages_are_never_kept_in_the_browser_cache(client, path):
    """Finding: after "Logg ut", Back showed the name and address again."""
    subscribed()
    verified_client(client)

    response = client.get(path)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_receipt_of_an_erasure_is_never_cached(client):
    subscribed()
    verified_client(client)

    response = client.post("/personvern/mine-data/slett/")

    assert "no-store" in response["Cache-Control"]


def test_a_correction_cannot_name_another_persons_record(client):
    """Finding: POST /personvern/mine-data/rett/ with another subject's record was
    saved and shown to Personvern without warning."""
    subscribed()
    other = subscribed(email="ola@example.no", name="Ola Nordmann")
    verified_client(client)

    response = client.post(
        "/personvern/mine-data/rett/",
        {
            "processing": "privacy.newsletter_consent",
            "record": other.pk,
            "details": "Navnet er Ola Hacker",
        },
        follow=True,
    )

    assert "Fant ikke den raden blant opplysningene dine." in response.content.decode()
    assert not DataSubjectRequest.objects.filter(kind="rectification").exists()


def test_a_stranger_cannot_keep_a_person_from_getting_a_link(client):
    """Finding: a few clients asking for links to one address stopped its owner
    from getting one for an hour."""
    subscribed()
    for number in range(1, 6):
        Client(REMOTE_ADDR=f"203.0.113.{number}").post(
            START, {"email": "kari@example.no"}
        )
    deliver()
    mail.outbox.clear()

    response = Client(REMOTE_ADDR="198.51.100.7").post(
        START, {"email": "kari@example.no"}
    )

    assert response["Location"] == "/personvern/mine-data/sendt/"
    assert len(deliver()) == 1


def test_one_client_cannot_flood_an_address_with_links(client):
    subscribed()
    responses = [client.post(START, {"email": "kari@example.no"}) for _ in range(4)]

    assert [r.status_code for r in responses] == [302, 302, 302, 400]
    assert "mange lenker" in responses[-1].content.decode()


def test_two_links_to_one_address_do_not_tell_so(client):
    """The token's payload is readable: nothing in it may link one person's links."""
    subscribed()
    first = mine_data_link(client)
    second = mine_data_link(Client(REMOTE_ADDR="198.51.100.8"))

    def payload(link):
        token = link.rstrip("/").rsplit("/", 1)[1]
        return signing.loads(token, salt=VERIFY_SALT)

    assert payload(first)["k"] != payload(second)["k"]


def test_a_link_token_never_reaches_the_log(client, caplog):
    """Finding: every used, expired or bad link's token was logged with its 400."""
    subscribed()
    link = mine_data_link(client)
    client.post(link)

    client.get(link)

    token = link.rstrip("/").rsplit("/", 1)[1]
    assert "Bad Request" in caplog.text
    assert token not in caplog.text
    assert token.split(":")[0] not in caplog.text


def test_a_link_older_than_a_day_gets_no_new_one(client):
    token = token_signed_ago(86400 + 60, verification_payload(), VERIFY_SALT)

    client.post(f"/personvern/mine-data/bekreft/{token}/ny/")

    assert deliver() == []


def test_a_refused_start_form_is_not_kept_in_the_browser_cache(client):
    response = client.post(START, {"email": "ikke-en-adresse"})

    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]


def test_the_download_has_norwegian_keys_labels_and_local_times(client):
    """Finding: JSON keys like `booking__course_date__course__title`, raw codes and
    UTC times."""
    subscribed()
    verified_client(client)

    document = json.loads(client.get("/personvern/mine-data/last-ned/").content)

    purposes = {p["formål"]: p for p in document["behandlinger"]}
    (record,) = purposes["Sende deg nyhetsbrevet du har bedt om"]["poster"]
    assert {"nr", "Navn", "E-postadresse", "Status", "Bekreftet"} <= set(record)
    assert record["Status"] == "Aktiv"
    assert record["Bekreftet"].endswith(("+01:00", "+02:00"))
    assert not any("__" in key or key.islower() for key in record if key != "nr")


def test_mine_data_writes_prices_rates_and_consented_categories_as_people_read_them(
    client,
):
    ConsentRecord.objects.create(
        consent_id=uuid.uuid4(),
        purpose=ConsentRecord.Purpose.COOKIES,
        action=ConsentRecord.Action.GIVEN,
        categories=["statistics"],
        revision="r1",
        source=ConsentRecord.Source.BANNER,
        subject_key=email_key("kari@example.no"),
    )

    verified_client(client)
    overview = client.get(OVERVIEW).content.decode()

    assert "Statistikk" in overview
    assert "[" not in overview


def test_a_wide_record_is_shown_as_a_list_not_cut_off_at_the_card(client):
    """Found: Mine data's tables were cut off at the card edge on desktop."""
    subscribed()
    verified_client(client)
    overview = client.get(OVERVIEW).content.decode()

    # Seven fields and more: a list of records on every screen.
    assert 'class="table--stacked table--records"' in overview


def test_mine_data_says_what_it_covers_and_where_else_data_is(client):
    """Found: "Her er alt vi tar vare på om deg" covered only the website's
    database, not the mailbox people reply to nor the accounting system."""
    subscribed()
    verified_client(client)
    overview = client.get(OVERVIEW).content.decode()

    assert "Dette har nettstedet lagret om deg" in overview
    assert "e-postkassen vår" in overview
    assert "regnskapssystemet" in overview
