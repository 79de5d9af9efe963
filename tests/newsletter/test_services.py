import re
import time
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.utils import timezone

from newsletter.models import NewsletterIssue, NewsletterSuppression, Subscriber
from newsletter.selectors import (
    AudienceCounts,
    IssueProgress,
    audience_counts,
    issue_progress,
)
from newsletter.services import (
    CONFIRM_SALT,
    NewsletterAlreadySent,
    consent_text_version,
    newsletter_issue_send,
    recipients,
    subscription_add_customer,
    subscription_request,
    unsubscribe_url,
)
from outbox.models import OutgoingEmail
from outbox.services import email_send_queued, record_failure
from privacy.models import ConsentRecord
from privacy.registry import email_key
from tests.newsletter.conftest import send_crashing_after

pytestmark = pytest.mark.django_db
CHECK_PAGE = "/nyhetsbrev/sjekk-e-posten/"


def sign_up(client, email="kari@example.no", name="Kari Nordmann", **extra):
    data = {"name": name, "email": email, "consent": "on", **extra}
    return client.post("/nyhetsbrev/", data)


def deliver_queued_mail():
    call_command("send_queued_mail", stdout=StringIO())
    return mail.outbox


def link_in(message, path_part: str) -> str:
    (url,) = re.findall(rf"http://\S+{path_part}\S+/", message.body)
    return url.removeprefix("http://127.0.0.1:8000")


def confirm_link(email="kari@example.no") -> str:
    (message,) = [m for m in deliver_queued_mail() if m.to == [email]]
    return link_in(message, "/nyhetsbrev/bekreft/")


def test_sign_up_sends_a_confirmation_and_activates_nothing_yet(client):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == CHECK_PAGE
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.email == "kari@example.no"
    (message,) = deliver_queued_mail()
    assert message.subject == "Bekreft påmeldingen til nyhetsbrevet fra glasoterapi.no"
    assert "kari" not in link_in(message, "/nyhetsbrev/bekreft/").lower()


def test_double_opt_in_activates_and_proves_the_consent(client):
    sign_up(client, email="Kari@Example.NO")
    link = confirm_link()

    assert "Bekreft påmeldingen" in client.get(link).content.decode()
    assert (
        Subscriber.objects.get().status == Subscriber.Status.PENDING
    )  # GET only shows
    response = client.post(link)

    assert "du er påmeldt" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert subscriber.basis == Subscriber.Basis.CONSENT
    record = ConsentRecord.objects.get(purpose="newsletter")
    assert record.action == "given"
    assert record.revision == consent_text_version()
    assert record.source == "newsletter_page"
    assert record.subject_key == email_key("kari@example.no")
    assert record.requested_at <= record.created_at
    assert "kari" not in str(ConsentRecord.objects.values().get()).lower()


def test_the_consent_box_must_be_ticked_and_input_is_kept(client):
    response = client.post("/nyhetsbrev/", {"name": "Kari", "email": "kari@example.no"})

    content = response.content.decode()
    assert response.status_code == 400
    assert "Kryss av for å bekrefte at du vil ha nyhetsbrevet." in content
    assert 'value="kari@example.no"' in content
    assert Subscriber.objects.count() == 0


def test_the_consent_box_is_not_ticked_in_advance(client):
    content = client.get("/nyhetsbrev/").content.decode()

    box = content.split('name="consent"')[1].split(">")[0]
    assert "checked" not in box


def test_an_invalid_address_gets_a_norwegian_message(client):
    response = sign_up(client, email="ikke-en-adresse")

    assert "Skriv en gyldig e-postadresse" in response.content.decode()


def test_an_empty_form_says_what_is_missing_like_the_sites_other_forms(client):
    page = client.post("/nyhetsbrev/", {"name": "", "email": ""}).content.decode()

    assert "<title>Feil: Nyhetsbrev" in page
    assert "Skriv navnet ditt." in page
    assert "Skriv e-postadressen din." in page
    assert ">Navn</label>" in page  # no trailing colon
    assert 'autocomplete="name"' in page
    assert 'autocomplete="email"' in page


def test_a_tampered_confirmation_link_is_refused(client):
    sign_up(client)
    link = confirm_link()

    response = client.post(link.replace("/bekreft/", "/bekreft/x"))

    assert response.status_code == 400
    assert "Lenken virker ikke" in response.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_an_expired_confirmation_link_is_refused(client):
    sign_up(client)
    subscriber = Subscriber.objects.get()

    class SignedEightDaysAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 8 * 86400)

    token = SignedEightDaysAgo(salt=CONFIRM_SALT).sign_object(
        {"s": subscriber.pk, "k": email_key(subscriber.email)[:16]}
    )

    response = client.post(f"/nyhetsbrev/bekreft/{token}/")

    assert response.status_code == 400
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_an_unsubscribe_link_does_not_confirm(client):
    sign_up(client)
    token = unsubscribe_url(Subscriber.objects.get()).split("/avmeld/")[1]

    assert client.post(f"/nyhetsbrev/bekreft/{token}").status_code in (301, 400)
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_the_page_answers_the_same_for_known_and_unknown_addresses(client):
    sign_up(client)
    client.post(confirm_link())
    mail.outbox.clear()

    known = sign_up(client, email="kari@example.no")
    unknown = sign_up(client, email="ola@example.no")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == CHECK_PAGE
    assert [m.to for m in deliver_queued_mail()] == [["ola@example.no"]]


def test_confirmation_mails_to_one_address_are_rate_limited(client):
    sign_up(client)
    sign_up(client)
    sign_up(client)

    assert len(deliver_queued_mail()) == 1


def test_sign_ups_from_one_client_are_rate_limited(client, settings):
    settings.NEWSLETTER_SIGNUP_RATE_LIMIT = 2
    sign_up(client, email="a@example.no")
    sign_up(client, email="b@example.no")

    response = sign_up(client, email="c@example.no")

    assert "Vent litt og prøv igjen" in response.content.decode()
    assert 'value="c@example.no"' in response.content.decode()
    assert Subscriber.objects.count() == 2


@pytest.fixture
def active_subscriber(client):
    sign_up(client)
    client.post(confirm_link())
    mail.outbox.clear()
    return Subscriber.objects.get()


def assert_deleted_and_suppressed(email="kari@example.no"):
    assert not Subscriber.objects.filter(email=email).exists()
    assert NewsletterSuppression.objects.filter(email_key=email_key(email)).exists()


def test_unsubscribe_link_shows_a_page_then_deletes_name_and_address(
    client, active_subscriber
):
    link = unsubscribe_url(active_subscriber).removeprefix("http://127.0.0.1:8000")

    assert "Meld meg av" in client.get(link).content.decode()
    assert Subscriber.objects.filter(pk=active_subscriber.pk).exists()
    response = client.post(link)

    assert "Du er meldt av" in response.content.decode()
    assert_deleted_and_suppressed()
    assert ConsentRecord.objects.filter(
        purpose="newsletter", action="withdrawn"
    ).exists()


def test_one_click_unsubscribe_works_without_csrf(active_subscriber):
    from django.test import Client

    link = unsubscribe_url(active_subscriber).removeprefix("http://127.0.0.1:8000")
    response = Client(enforce_csrf_checks=True).post(
        link, {"List-Unsubscribe": "One-Click"}
    )

    assert response.status_code == 200
    assert_deleted_and_suppressed()


def test_unsubscribing_twice_is_harmless(client, active_subscriber):
    link = unsubscribe_url(active_subscriber).removeprefix("http://127.0.0.1:8000")
    client.post(link)

    response = client.post(link)

    assert response.status_code == 200
    assert NewsletterSuppression.objects.count() == 1


def test_resubscribing_after_unsubscribing_needs_a_new_confirmation(
    client, active_subscriber
):
    client.post(
        unsubscribe_url(active_subscriber).removeprefix("http://127.0.0.1:8000")
    )

    sign_up(client)
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    assert NewsletterSuppression.objects.exists()
    client.post(confirm_link())

    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE
    assert not NewsletterSuppression.objects.exists()


def test_soft_opt_in_adds_a_customer_on_legitimate_interest():
    subscriber = subscription_add_customer(
        name="Ola", email="Ola@Example.no", last_course_at=timezone.now()
    )

    assert subscriber.status == Subscriber.Status.ACTIVE
    assert subscriber.basis == Subscriber.Basis.CUSTOMER
    assert subscriber.source == Subscriber.Source.COURSE_SIGNUP
    assert not ConsentRecord.objects.exists()  # not a consent, so not in the ledger


def test_soft_opt_in_never_adds_an_unsubscribed_address(client, active_subscriber):
    client.post(
        unsubscribe_url(active_subscriber).removeprefix("http://127.0.0.1:8000")
    )

    assert (
        subscription_add_customer(
            name="Kari", email="kari@example.no", last_course_at=timezone.now()
        )
        is None
    )
    assert not Subscriber.objects.exists()


def test_a_customer_who_signs_up_gives_consent_by_confirming(client):
    subscription_add_customer(
        name="Kari", email="kari@example.no", last_course_at=timezone.now()
    )

    sign_up(client)
    client.post(confirm_link())

    subscriber = Subscriber.objects.get()
    assert subscriber.basis == Subscriber.Basis.CONSENT
    assert ConsentRecord.objects.filter(purpose="newsletter", action="given").exists()


def test_staff_cannot_add_an_active_subscriber(admin_client):
    response = admin_client.post(
        "/admin/newsletter/subscriber/add/",
        {"name": "Per", "email": "per@example.no"},
    )

    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.source == Subscriber.Source.ADMIN
    assert [m.to for m in deliver_queued_mail()] == [["per@example.no"]]


def test_staff_export_active_subscribers_as_csv(admin_client):
    subscription_add_customer(
        name="Åse Ørn", email="ase@example.no", last_course_at=timezone.now()
    )
    subscription_request(name="Venter", email="venter@example.no", source="admin")

    response = admin_client.post(
        "/admin/newsletter/subscriber/",
        {
            "action": "export_active_csv",
            "_selected_action": list(Subscriber.objects.values_list("pk", flat=True)),
        },
    )

    content = response.content.decode("utf-8")
    assert "Åse Ørn;ase@example.no;Eksisterende kunde" in content
    assert "venter@example.no" not in content


def make_subscribers(count: int, *, first: int = 0) -> list[Subscriber]:
    return Subscriber.objects.bulk_create(
        Subscriber(
            name=f"Abonnent {n}",
            email=f"abonnent{n}@example.no",
            status=Subscriber.Status.ACTIVE,
            basis=Subscriber.Basis.CONSENT,
            source=Subscriber.Source.NEWSLETTER_PAGE,
        )
        for n in range(first, first + count)
    )


@pytest.fixture
def issue():
    return NewsletterIssue.objects.create(
        subject="Nye kurs i vår", body_text="Hei! Her er vårens kurs.", body_html=""
    )


def test_an_issue_goes_to_active_unrestricted_subscribers_with_unsubscribe_headers(
    issue,
):
    make_subscribers(3)
    subscription_request(name="Venter", email="venter@example.no", source="admin")
    Subscriber.objects.filter(email="abonnent2@example.no").update(
        restricted_at="2026-01-01T00:00:00Z"
    )
    mail.outbox.clear()

    assert newsletter_issue_send(issue=issue) == 2
    messages = [m for m in deliver_queued_mail() if m.subject == "Nye kurs i vår"]

    assert sorted(m.to[0] for m in messages) == [
        "abonnent0@example.no",
        "abonnent1@example.no",
    ]
    for message in messages:
        unsubscribe = message.extra_headers["List-Unsubscribe"]
        assert unsubscribe.startswith("<http://127.0.0.1:8000/nyhetsbrev/avmeld/")
        assert message.extra_headers["List-Unsubscribe-Post"] == (
            "List-Unsubscribe=One-Click"
        )
        assert unsubscribe.strip("<>") in message.body
        assert "<img" not in message.body


def test_an_issue_says_who_sends_it_in_text_and_html(business_identity, issue):
    issue.body_html = "<p>Hei! Her er vårens kurs.</p>"
    issue.save()
    make_subscribers(1)

    newsletter_issue_send(issue=issue)
    (message,) = [m for m in deliver_queued_mail() if m.subject == "Nye kurs i vår"]
    (html, _), *_ = message.alternatives

    identity = "Glasoterapi AS, org.nr. 310 123 455, Storgata 1, 0155 Oslo"
    assert f"{identity}\nTelefon +47 22 33 44 55 · E-post post@glasoterapi.no" in (
        message.body
    )
    assert identity in html
    assert '<a href="mailto:post@glasoterapi.no">post@glasoterapi.no</a>' in html
    assert '<a href="tel:+4722334455">+47 22 33 44 55</a>' in html


def test_an_issue_is_queued_once_and_sending_it_again_queues_nothing(issue):
    make_subscribers(5)
    assert newsletter_issue_send(issue=issue) == 5
    make_subscribers(1, first=5)

    with pytest.raises(NewsletterAlreadySent, match="allerede lagt i kø til 5"):
        newsletter_issue_send(issue=issue)

    assert len(deliver_queued_mail()) == 5


def test_a_rerun_after_a_crash_queues_only_what_was_not_queued(issue, monkeypatch):
    make_subscribers(1000)
    send_crashing_after(issue, monkeypatch, mails=900, batch_size=300)
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENDING
    assert OutgoingEmail.objects.count() == 900

    assert newsletter_issue_send(issue=issue, batch_size=300) == 1000

    assert Counter(m.to[0] for m in deliver_queued_mail()) == {
        f"abonnent{n}@example.no": 1 for n in range(1000)
    }
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT
    assert issue.queued_count == 1000


def test_recipients_are_chosen_by_audience(settings):
    settings.NEWSLETTER_CUSTOMER_MONTHS = 24
    make_subscribers(2)
    subscription_add_customer(
        name="Kunde", email="kunde@example.no", last_course_at=timezone.now()
    )
    subscription_add_customer(
        name="Gammel",
        email="gammel@example.no",
        last_course_at=timezone.now() - timedelta(days=25 * 31),
    )

    def emails(audience):
        return sorted(recipients(audience).values_list("email", flat=True))

    assert emails("consent") == ["abonnent0@example.no", "abonnent1@example.no"]
    assert emails("customers") == ["kunde@example.no"]
    assert emails("both") == [*emails("consent"), "kunde@example.no"]
    assert audience_counts() == AudienceCounts(consented=2, customers=1)


def test_progress_adds_up_to_what_was_queued(issue, settings):
    make_subscribers(5)
    newsletter_issue_send(issue=issue)
    first, second, held, failing, _ = OutgoingEmail.objects.order_by("pk")
    email_send_queued(ids=[first.pk, second.pk])
    OutgoingEmail.objects.filter(pk=held.pk).update(status=OutgoingEmail.Status.HELD)
    settings.MAIL_MAX_ATTEMPTS = 1
    record_failure(failing, ConnectionRefusedError())

    progress = issue_progress(issue=issue)

    assert progress == IssueProgress(queued=5, sent=2, failed=1, waiting=1, held=1)
    assert progress.summary() == "2 av 5 sendt, 1 feilet, 1 i kø, 1 holdt tilbake"


def test_staff_preview_goes_only_to_the_staff_member(admin_client, admin_user, issue):
    make_subscribers(2)

    admin_client.post(
        "/admin/newsletter/newsletterissue/",
        {"action": "preview_to_me", "_selected_action": [issue.pk]},
    )

    (message,) = deliver_queued_mail()
    assert message.to == [admin_user.email]
    assert message.subject == "[Forhåndsvisning] Nye kurs i vår"


@pytest.mark.django_db
def test_rotating_secret_key_keeps_an_unsubscribed_address_suppressed(settings):
    from newsletter.services import is_suppressed, suppress

    settings.PRIVACY_EMAIL_KEY_SECRET = settings.SECRET_KEY
    suppress("kari@example.no")

    settings.SECRET_KEY = "a-new-secret-key-" + "x7Gq2" * 10

    assert is_suppressed("kari@example.no")


def test_the_confirmation_repeats_nothing_typed_into_the_form(client):
    """Finding: the greeting used the typed name, so the form mailed any text to
    any address ("Hei Gratulerer! Du har vunnet …")."""
    sign_up(client, name="Gratulerer! Du har vunnet en iPhone: https://svindel.example")

    (message,) = deliver_queued_mail()

    assert "Gratulerer" not in message.subject + message.body
    assert "svindel" not in message.body
    assert message.body.startswith("Hei,\n")


def test_a_customer_who_signs_up_on_the_newsletter_page_is_recorded_from_there(
    client,
):
    """Finding: a consent given on the newsletter page was recorded with source
    "course_signup" (the customer's row kept the source of their booking)."""
    subscription_add_customer(
        name="Kari", email="kari@example.no", last_course_at=timezone.now()
    )
    sign_up(client)

    client.post(confirm_link())

    consent = ConsentRecord.objects.get(purpose="newsletter", action="given")
    assert consent.source == "newsletter_page"
    assert Subscriber.objects.get().basis == "consent"
