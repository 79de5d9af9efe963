"""What the privacy page, the record of processing and Mine data say, word for word.

The declarations and handlers can be restructured freely; what people read must not
change by accident. A deliberate change rewrites the snapshots:

    SNAPSHOT_UPDATE=1 .venv/bin/python -m pytest tests/privacy/test_snapshots.py

and the diff of `tests/privacy/snapshots/` is then reviewed like any other text.
"""

import html
import json
import os
import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from contact.models import Inquiry
from courses import services
from courses.models import Course, CourseDate
from newsletter.services import subscription_confirm, subscription_request
from tests.courses.conftest import details
from tests.privacy.test_rights import OVERVIEW, verified_client

pytestmark = pytest.mark.django_db
SNAPSHOTS = Path(__file__).parent / "snapshots"
MOMENT = re.compile(
    r"\d{1,2}\. (januar|februar|mars|april|mai|juni|juli|august|september|oktober"
    r"|november|desember) \d{4}( kl\. \d{2}\.\d{2})?|\d{2}\.\d{2}\.\d{4}"
)


def page_text(markup: str) -> str:
    """The words of a page's main content, a block per line."""
    main = markup.split("<main", 1)[1].split(">", 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<(script|style)\b.*?</\1>", "", main, flags=re.S)
    blocks = re.sub(r"</?(p|h\d|li|tr|dt|dd|caption|summary|div)\b[^>]*>", "\n", main)
    text = html.unescape(re.sub(r"<[^>]+>", " ", blocks))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line) + "\n"


def matches_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("SNAPSHOT_UPDATE"):
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed"


@pytest.fixture
def kari_everywhere(admin_user):
    """Kari in every kind of record: an upcoming booking, an invoiced past one, the
    invoice recipient of Ola's booking, a subscription and an inquiry."""
    now = timezone.now()
    upcoming = course_date(now + timedelta(days=20), title="Grunnkurs")
    past = course_date(now - timedelta(days=40), title="Videregående kurs")
    for held, booked_at in ((upcoming, now), (past, now - timedelta(days=60))):
        services.booking_create(
            course_date_id=held.pk,
            details=details(seats=2),
            join_waitlist=True,
            now=booked_at,
        )
    services.booking_create(
        course_date_id=upcoming.pk,
        details=details(
            email="ola@example.no", first_name="Ola", invoice_email="kari@example.no"
        ),
        join_waitlist=True,
    )
    services.bookings_mark_invoiced(
        booking_ids=services.Booking.objects.filter(course_date=past).values_list(
            "pk", flat=True
        ),
        by=admin_user,
    )
    subscription_confirm(
        subscriber=subscription_request(
            name="Kari Nordmann", email="kari@example.no", source="newsletter_page"
        ),
        source="newsletter_page",
    )
    Inquiry.objects.create(
        first_name="Kari", last_name="Nordmann", email="kari@example.no", message="Hei"
    )


def course_date(starts_at, *, title: str) -> CourseDate:
    course = Course.objects.create(
        title=title,
        slug=title.lower().replace(" ", "-").replace("å", "a"),
        summary="Praktisk innføring.",
        description="Om kurset.",
        price=4500,
    )
    return CourseDate.objects.create(
        course=course,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=6),
        place="Storgata 1, 0155 Oslo",
        capacity=10,
    )


def test_the_privacy_page_reads_as_before(client, analytics, settings):
    """A change of its text needs a new PRIVACY_POLICY_VERSION and a change-log
    entry: the snapshot records the version it was taken at, and updating it with
    a changed text under the same version fails."""
    text = page_text(client.get("/personvern/").text)
    version = f"versjon {settings.PRIVACY_POLICY_VERSION}\n"
    path = SNAPSHOTS / "personvern.txt"
    if os.environ.get("SNAPSHOT_UPDATE"):
        before = path.read_text(encoding="utf-8")
        if before.startswith(version) and before != version + text:
            pytest.fail(
                "The privacy statement's text changed: set a new "
                "PRIVACY_POLICY_VERSION, add it to the change log with 'Sist "
                "endret', then update the snapshots."
            )
    matches_snapshot("personvern.txt", version + text)


def test_the_change_log_names_the_current_version(client, settings):
    page = client.get("/personvern/").text
    version = settings.PRIVACY_POLICY_VERSION

    assert f"(versjon {version}):</strong>" in page
    assert f"(versjon {version})." in page  # "Sist endret: …"


def test_the_cookie_page_reads_as_before(client, analytics):
    page = client.get("/personvern/informasjonskapsler/").text
    matches_snapshot("informasjonskapsler.txt", page_text(page))


def test_the_record_of_processing_reads_as_before(analytics):
    out = StringIO()
    call_command("ropa", stdout=out)
    matches_snapshot("ropa.txt", out.getvalue())


def test_mine_data_shows_export_and_erasure_read_as_before(client, kari_everywhere):
    verified_client(client)
    overview = MOMENT.sub("<tid>", page_text(client.get(OVERVIEW).text))
    exported = json.loads(client.get("/personvern/mine-data/last-ned/").content)
    erased = MOMENT.sub(
        "<tid>", page_text(client.post("/personvern/mine-data/slett/").text)
    )

    matches_snapshot("mine-data.txt", overview)
    matches_snapshot("mine-data-eksport.txt", export_shape(exported))
    matches_snapshot("mine-data-slettet.txt", erased)


def export_shape(exported) -> str:
    """The download's keys, and each processing's purpose, record count and record
    keys: its values carry row numbers and moments that differ between runs."""
    lines = [f"{key}: {type(value).__name__}" for key, value in exported.items()]
    for processing in exported["behandlinger"]:
        records = processing["poster"]
        keys = sorted({name for record in records for name in record})
        lines.append(f"{processing['formål']}: {len(records)} ({', '.join(keys)})")
    return "\n".join(lines) + "\n"
