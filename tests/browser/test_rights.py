import json
import re
from io import StringIO
from pathlib import Path

from django.core import mail
from django.core.management import call_command

from newsletter.models import Subscriber
from newsletter.services import subscription_confirm, subscription_request
from tests.browser.conftest import serious_accessibility_violations


def test_a_visitor_sees_downloads_and_erases_their_data(live_server, page):
    subscriber = subscription_request(
        name="Kari Nordmann", email="kari@example.no", source="newsletter_page"
    )
    subscription_confirm(subscriber=subscriber)
    page.goto(live_server.url + "/personvern/mine-data/")
    assert serious_accessibility_violations(page) == []

    page.get_by_label("E-postadresse").fill("kari@example.no")
    page.get_by_role("button", name="Send meg en lenke").click()
    assert page.locator("h1").inner_text() == "Sjekk e-posten din"

    call_command("send_queued_mail", stdout=StringIO())
    (link,) = re.findall(
        r"http://127.0.0.1:8000(/personvern/mine-data/bekreft/\S+/)",
        "".join(m.body for m in mail.outbox),
    )
    page.goto(live_server.url + link)
    page.get_by_role("button", name="Åpne Mine data").click()
    assert "Kari Nordmann" in page.locator("main").inner_text()
    assert serious_accessibility_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned alt (JSON)").click()
    document = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert document["e-postadresse"] == "kari@example.no"

    page.get_by_role("link", name="Slett opplysningene mine").click()
    page.get_by_role("button", name="Ja, slett").click()

    assert page.locator("h1").inner_text() == "Opplysningene er slettet"
    assert not Subscriber.objects.exists()
