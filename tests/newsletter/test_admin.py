"""Sending a newsletter from admin, as a member of the "Nyhetsbrev" group: write,
preview, test, choose who gets it, confirm, follow the progress. Issue #15."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsletter.models import NewsletterIssue, Subscriber
from newsletter.services import subscription_cancel
from outbox.models import OutgoingEmail
from outbox.services import email_send_queued, record_failure
from tests.conftest import login_with_second_factor
from tests.newsletter.conftest import send_crashing_after

pytestmark = pytest.mark.django_db
ISSUES = reverse("admin:newsletter_newsletterissue_changelist")
ADD = reverse("admin:newsletter_newsletterissue_add")


def issue_url(issue) -> str:
    return reverse("admin:newsletter_newsletterissue_change", args=[issue.pk])


def send_url(issue) -> str:
    return reverse("admin:newsletter_newsletterissue_send", args=[issue.pk])


def preview_url(issue) -> str:
    return reverse("admin:newsletter_newsletterissue_preview", args=[issue.pk])


def confirm_send(client, issue):
    issue.refresh_from_db()
    return client.post(send_url(issue), {"audience": issue.audience}, follow=True)


def newsletter_mails(issue) -> list[OutgoingEmail]:
    return list(
        OutgoingEmail.objects.filter(dedupe_key__startswith=f"newsletter:{issue.pk}:")
    )


def text(response) -> str:
    """The page's text without tags, spaces collapsed."""
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.split())


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_nyhetsbrev_group_has_exactly_the_permissions_for_sending():
    group = Group.objects.get(name="Nyhetsbrev")

    assert sorted(group.permissions.values_list("codename", flat=True)) == [
        "add_newsletterissue",
        "change_newsletterissue",
        "delete_newsletterissue",
        "send_newsletterissue",
        "view_newsletterissue",
    ]


def test_a_nyhetsbrev_member_writes_previews_and_sends_without_a_superuser(
    editor_client, subscriber_factory
):
    subscriber_factory()
    subscriber_factory()

    response = editor_client.post(
        ADD,
        {
            "subject": "Høstens kurs",
            "audience": "consent",
            "body_text": "Hei! Nye kurs til høsten.",
            "body_html": "<p>Hei! Nye kurs til høsten.</p>",
        },
    )
    assert response.status_code == 302
    issue = NewsletterIssue.objects.get()
    assert editor_client.get(preview_url(issue)).status_code == 200
    page = editor_client.get(send_url(issue))
    assert "Nyhetsbrevet går til 2 mottakere" in text(page)
    response = confirm_send(editor_client, issue)

    assert response.redirect_chain[-1][0] == issue_url(issue)
    assert len(newsletter_mails(issue)) == 2
    assert "«Høstens kurs» er lagt i kø til 2 mottakere" in messages_of(response)[0]


def test_staff_outside_the_nyhetsbrev_group_cannot_send(
    client, staff_factory, subscriber_factory, draft
):
    subscriber_factory()
    login_with_second_factor(client, staff_factory("selger", groups=["Salg"]))

    assert client.get(send_url(draft)).status_code == 403
    assert client.post(send_url(draft), {"audience": "consent"}).status_code == 403
    assert client.get(issue_url(draft)).status_code == 403
    assert newsletter_mails(draft) == []


def test_writing_issues_is_not_the_right_to_send_them(
    client, staff_factory, subscriber_factory, draft
):
    writer = staff_factory("skribent")
    writer.user_permissions.set(
        Group.objects.get(name="Nyhetsbrev")
        .permissions.exclude(codename="send_newsletterissue")
        .all()
    )
    subscriber_factory()
    login_with_second_factor(client, writer)

    assert client.get(issue_url(draft)).status_code == 200
    assert "Send …" not in client.get(issue_url(draft)).content.decode()
    assert client.post(send_url(draft), {"audience": "consent"}).status_code == 403
    assert newsletter_mails(draft) == []


def test_the_send_page_shows_the_count_and_queues_nothing_until_confirmed(
    editor_client, subscriber_factory, draft
):
    for _ in range(3):
        subscriber_factory()

    page = editor_client.get(send_url(draft))

    assert page.status_code == 200
    assert "Nyhetsbrevet går til 3 mottakere" in text(page)
    assert 'value="Ja, send til 3 mottakere"' in page.content.decode()
    assert newsletter_mails(draft) == []
    draft.refresh_from_db()
    assert draft.status == NewsletterIssue.Status.DRAFT


def test_confirming_is_a_post_with_the_csrf_token(editor, subscriber_factory, draft):
    subscriber_factory()
    client = login_with_second_factor(Client(enforce_csrf_checks=True), editor)

    response = client.post(send_url(draft), {"audience": "consent"})

    assert response.status_code == 403
    assert newsletter_mails(draft) == []


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        ("consent", {"samtykke1@example.no", "samtykke2@example.no"}),
        ("customers", {"kunde1@example.no", "kunde2@example.no", "kunde3@example.no"}),
        (
            "both",
            {
                "samtykke1@example.no",
                "samtykke2@example.no",
                "kunde1@example.no",
                "kunde2@example.no",
                "kunde3@example.no",
            },
        ),
    ],
)
def test_each_audience_gets_the_issue_and_no_one_else(
    editor_client, subscriber_factory, draft, settings, audience, expected
):
    settings.NEWSLETTER_CUSTOMER_MONTHS = 24
    subscriber_factory(email="samtykke1@example.no")
    subscriber_factory(email="samtykke2@example.no")
    for n in (1, 2, 3):
        subscriber_factory(customer=True, email=f"kunde{n}@example.no")
    # Never: a restricted subscriber (GDPR art. 18), a customer past the soft
    # opt-in, someone who has not confirmed.
    subscriber_factory(email="begrenset@example.no", restricted_at=timezone.now())
    subscriber_factory(
        customer=True,
        email="gammel@example.no",
        last_course_at=timezone.now() - timedelta(days=25 * 31),
    )
    subscriber_factory(email="venter@example.no", status=Subscriber.Status.PENDING)
    draft.audience = audience
    draft.save()

    page = editor_client.get(send_url(draft))
    assert f"Nyhetsbrevet går til {len(expected)} mottakere" in text(page)
    confirm_send(editor_client, draft)

    assert {m.to for m in newsletter_mails(draft)} == expected
    draft.refresh_from_db()
    assert draft.audience == audience
    assert draft.queued_count == len(expected)


def test_both_audiences_are_counted_apart_on_the_send_page(
    editor_client, subscriber_factory, draft
):
    subscriber_factory()
    subscriber_factory(customer=True)
    subscriber_factory(customer=True)
    draft.audience = "both"
    draft.save()

    page = text(editor_client.get(send_url(draft)))

    assert "3 mottakere: 1 påmeldt abonnent og 2 kunder" in page


def test_the_audience_choices_say_how_many_each_reaches(
    editor_client, subscriber_factory
):
    subscriber_factory()
    subscriber_factory(customer=True)

    page = text(editor_client.get(ADD))

    assert "Påmeldte abonnenter (har samtykket selv) (1)" in page
    assert "Kunder som har kjøpt kurs (ikke påmeldt selv) (1)" in page
    assert "Begge: påmeldte abonnenter og kunder (2)" in page


def test_a_changed_audience_after_the_page_was_shown_is_not_sent(
    editor_client, subscriber_factory, draft
):
    subscriber_factory(customer=True)

    response = editor_client.post(
        send_url(draft), {"audience": "customers"}, follow=True
    )

    assert newsletter_mails(draft) == []
    assert "Mottakerne er endret" in messages_of(response)[0]


def test_an_audience_of_no_one_offers_nothing_to_send(editor_client, draft):
    page = editor_client.get(send_url(draft))

    assert "Ingen får nyhetsbrevet med disse mottakerne" in text(page)
    assert "Ja, send" not in page.content.decode()


def test_the_admin_says_queued_not_sent_while_mails_wait(
    editor_client, subscriber_factory, draft, settings
):
    for _ in range(5):
        subscriber_factory()
    confirm_send(editor_client, draft)

    waiting = text(editor_client.get(issue_url(draft)))
    assert "0 av 5 sendt, 5 i kø" in waiting
    assert "Lagt i kø" in waiting
    listed = text(editor_client.get(ISSUES))
    assert "0 av 5 sendt, 5 i kø" in listed
    assert " Sendt " not in listed

    first, second, third, failing, _ = sorted(newsletter_mails(draft), key=id_of)
    email_send_queued(ids=[first.pk, second.pk, third.pk])
    settings.MAIL_MAX_ATTEMPTS = 1
    record_failure(failing, ConnectionRefusedError())

    assert "3 av 5 sendt, 1 feilet, 1 i kø" in text(editor_client.get(issue_url(draft)))
    assert "3 av 5 sendt, 1 feilet, 1 i kø" in text(editor_client.get(ISSUES))


def id_of(mail: OutgoingEmail) -> int:
    return mail.pk


def test_a_queued_issue_is_read_only_and_cannot_be_deleted(
    editor_client, subscriber_factory, draft
):
    subscriber_factory()
    confirm_send(editor_client, draft)

    page = editor_client.get(issue_url(draft)).content.decode()
    assert 'name="subject"' not in page
    assert "Slett" not in page
    edit = editor_client.post(
        issue_url(draft),
        {"subject": "Endret", "audience": "both", "body_text": "Nytt", "body_html": ""},
    )
    assert edit.status_code == 403
    delete_url = reverse("admin:newsletter_newsletterissue_delete", args=[draft.pk])
    assert editor_client.get(delete_url).status_code == 403
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 403
    editor_client.post(
        ISSUES,
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [draft.pk], "post": "yes"},
    )

    draft.refresh_from_db()
    assert draft.subject == "Nye kurs i vår"


def test_a_draft_can_still_be_deleted(editor_client, draft):
    delete_url = reverse("admin:newsletter_newsletterissue_delete", args=[draft.pk])

    editor_client.post(delete_url, {"post": "yes"})

    assert not NewsletterIssue.objects.exists()


def test_sending_again_says_so_and_queues_nothing(
    editor_client, subscriber_factory, draft
):
    for _ in range(5):
        subscriber_factory()
    confirm_send(editor_client, draft)
    subscriber_factory()  # signed up since: the issue is not sent to them either

    again = confirm_send(editor_client, draft)
    page = editor_client.get(send_url(draft), follow=True)

    assert len(newsletter_mails(draft)) == 5
    assert "er allerede lagt i kø til 5 mottakere" in messages_of(again)[0]
    assert "ingenting nytt er lagt i kø" in messages_of(again)[0]
    assert "Ja, send" not in page.content.decode()
    assert "Send …" not in editor_client.get(issue_url(draft)).content.decode()


def test_a_send_that_stopped_halfway_queues_only_the_rest(
    editor_client, subscriber_factory, draft, monkeypatch
):
    for _ in range(5):
        subscriber_factory()
    send_crashing_after(draft, monkeypatch, mails=3, batch_size=1)

    page = editor_client.get(issue_url(draft))
    assert "Legges i kø (3 så langt)" in text(page)
    assert "Fortsett utsendingen" in page.content.decode()
    assert "3 er lagt i kø" in text(editor_client.get(send_url(draft)))
    confirm_send(editor_client, draft)

    call_command("send_queued_mail", stdout=StringIO())
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Subscriber.objects.values_list("email", flat=True)
    )
    assert "5 av 5 sendt" in text(editor_client.get(issue_url(draft)))


def test_unsubscribed_since_is_counted_without_who(
    editor_client, subscriber_factory, draft
):
    subscribers = [subscriber_factory() for _ in range(3)]
    confirm_send(editor_client, draft)

    subscription_cancel(subscriber=subscribers[0], source="unsubscribe_link")
    page = text(editor_client.get(issue_url(draft)))

    assert "0 av 3 sendt, 2 i kø, 1 tatt ut av køen" in page
    assert "Avmeldt fra nyhetsbrevet siden utsendingen startet: 1." in page
    assert subscribers[0].email not in page


def test_after_the_outbox_deleted_the_mails_only_the_queued_count_is_shown(
    editor_client, subscriber_factory, draft, settings
):
    subscriber_factory()
    confirm_send(editor_client, draft)
    NewsletterIssue.objects.filter(pk=draft.pk).update(
        send_started_at=timezone.now() - timedelta(days=31)
    )
    OutgoingEmail.objects.all().delete()

    page = text(editor_client.get(issue_url(draft)))

    assert "Lagt i kø til 1 mottaker. E-postene er slettet fra utboksen" in page
    assert "0 av 1 sendt" not in page


def test_the_preview_shows_the_html_sandboxed_and_the_text(editor_client, draft):
    page = editor_client.get(preview_url(draft))
    html = page.content.decode()
    html_url = reverse("admin:newsletter_newsletterissue_preview_html", args=[draft.pk])

    assert page.status_code == 200
    assert f'<iframe class="newsletter-preview__html" sandbox src="{html_url}"' in html
    assert "Hei! Her er vårens kurs." in text(page)  # the text part, escaped
    assert "Meld deg av med ett klikk" in html
    assert "fordi du har meldt deg på" in html
    # The admin page keeps the site's strict policy.
    assert "unsafe-inline" not in page["Content-Security-Policy"]

    frame = editor_client.get(html_url)
    policy = frame["Content-Security-Policy"]
    assert '<p style="color: #333">Hei! Her er <b>vårens</b> kurs.</p>' in (
        frame.content.decode()
    )
    assert "default-src 'none'" in policy
    assert "script-src" not in policy
    assert "sandbox" in policy
    assert "frame-ancestors 'self'" in policy
    assert frame["X-Frame-Options"] == "SAMEORIGIN"


def test_the_preview_as_a_customer_says_why_a_customer_gets_it(editor_client, draft):
    page = editor_client.get(preview_url(draft) + "?som=kunde")

    assert "fordi du har kjøpt kurs hos oss" in page.content.decode()


def test_the_preview_of_a_text_only_issue_says_there_is_no_html(editor_client, draft):
    draft.body_html = ""
    draft.save()

    page = editor_client.get(preview_url(draft))

    assert "<iframe" not in page.content.decode()
    assert "Nyhetsbrevet har ingen HTML-del" in text(page)


def test_a_test_to_oneself_is_queued_in_the_outbox_and_to_no_one_else(
    editor_client, editor, subscriber_factory, draft
):
    subscriber_factory()

    response = editor_client.post(preview_url(draft), follow=True)

    (test_mail,) = OutgoingEmail.objects.all()
    assert test_mail.to == editor.email
    assert test_mail.kind == "newsletter.preview"
    assert test_mail.status == OutgoingEmail.Status.QUEUED
    assert test_mail.subject == "[Forhåndsvisning] Nye kurs i vår"
    assert f"En test er lagt i kø til {editor.email}" in messages_of(response)[0]
    draft.refresh_from_db()
    assert draft.status == NewsletterIssue.Status.DRAFT
