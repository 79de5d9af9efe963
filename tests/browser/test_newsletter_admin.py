"""A Nyhetsbrev member sends an issue in a real browser, under the strict CSP, at
a desktop's width and a phone's."""

import pytest

from tests.browser.conftest import STAFF_PASSWORD as PASSWORD
from tests.browser.conftest import PageRecorder, serious_accessibility_violations
from tests.browser.conftest import admin_log_in as log_in


def nyhetsbrev_group():
    from django.contrib.auth.models import Group

    return Group.objects.get(name="Nyhetsbrev")


def fits(page) -> bool:
    """No sideways scrolling: the page is no wider than the window."""
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_a_nyhetsbrev_member_previews_and_sends_an_issue(
    live_server, context_factory, django_user_model, width
):
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from newsletter.models import NewsletterIssue, Subscriber
    from outbox.models import OutgoingEmail

    user = django_user_model.objects.create_user(
        "redaktor", "redaktor@glasoterapi.no", PASSWORD, is_staff=True
    )
    user.groups.add(nyhetsbrev_group())
    device = TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    for n in range(3):
        Subscriber.objects.create(
            email=f"abonnent{n}@example.no",
            status=Subscriber.Status.ACTIVE,
            basis=Subscriber.Basis.CONSENT,
            source=Subscriber.Source.NEWSLETTER_PAGE,
            confirmed_at=timezone.now(),
        )
    page = context_factory(viewport={"width": width, "height": 900}).new_page()
    recorder = PageRecorder(page)
    log_in(page, live_server, user, device)

    page.goto(live_server.url + "/admin/newsletter/newsletterissue/add/")
    page.get_by_label("Emne").fill("Høstens kurs")
    page.get_by_label("Tekst").fill("Hei! Nye kurs til høsten.")
    page.get_by_label("HTML").fill(
        '<p class="x" style="color: rgb(200, 0, 0)">Hei! Nye kurs til høsten.</p>'
        "<script>parent.document.title = 'tatt'</script>"
    )
    page.get_by_role("button", name="Lagre og fortsett å redigere").click()
    page.wait_for_url("**/change/")
    issue = NewsletterIssue.objects.get()

    page.get_by_role("link", name="Forhåndsvis").click()
    frame = page.frame_locator("iframe.newsletter-preview__html")
    paragraph = frame.locator("p.x")
    assert paragraph.inner_text() == "Hei! Nye kurs til høsten."
    # The mail's own inline style applies, its script does not run.
    assert paragraph.evaluate("p => getComputedStyle(p).color") == "rgb(200, 0, 0)"
    assert page.title() != "tatt"
    assert fits(page)
    # "Vis som kunde" in running text was told apart by colour alone.
    assert serious_accessibility_violations(page) == []

    page.goto(live_server.url + f"/admin/newsletter/newsletterissue/{issue.pk}/change/")
    page.get_by_role("link", name="Send …").click()
    page.wait_for_url("**/send/")
    assert page.get_by_text("Nyhetsbrevet går til 3 mottakere").is_visible()
    assert fits(page)
    page.get_by_role("button", name="Ja, send til 3 mottakere").click()
    page.wait_for_url(f"**/{issue.pk}/change/")

    assert page.get_by_text("er lagt i kø til 3 mottakere").is_visible()
    assert page.get_by_text("0 av 3 sendt, 3 i kø").first.is_visible()
    assert fits(page)
    page.goto(live_server.url + "/admin/newsletter/newsletterissue/")
    assert page.get_by_text("0 av 3 sendt, 3 i kø").is_visible()
    assert fits(page)
    assert OutgoingEmail.objects.filter(kind="newsletter.issue").count() == 3
    # Only the mail's script, refused inside its frame, may complain.
    assert [e for e in recorder.console_errors if "script" not in e.lower()] == []
    assert recorder.third_party_requests() == []
