"""Hostile input on every public form: the site never answers 500, stores nothing
half-done, and renders what it stored escaped in pages, admin and e-mail."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsletter.models import Subscriber
from tests.conftest import login_with_second_factor

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "Robert'); DROP TABLE privacy_subscriber;--",
    "' OR '1'='1",
    "kari@example.no\r\nBcc: alle@example.no",
    "Kari\r\nSubject: hacked",
    "\x00\x00",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    '=HYPERLINK("http://evil.example")',
    "ÆØÅ æøå 👩‍🔬 \u202e",
    "a" * 10_000,
]
hostile_text = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=400),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=60).map(
        lambda s: s + "\r\n" + s
    ),
)
examples = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def assert_answered(response):
    assert response.status_code < 500
    assert b"Traceback" not in response.content


@examples
@given(name=hostile_text, email=hostile_text)
def test_newsletter_sign_up_survives_anything(client, name, email):
    response = client.post(
        "/nyhetsbrev/", {"name": name, "email": email, "consent": "on"}
    )

    assert_answered(response)
    assert "<script>alert(1)</script>" not in response.content.decode()


@examples
@given(email=hostile_text)
def test_rights_request_survives_anything(client, email):
    assert_answered(client.post("/personvern/mine-data/", {"email": email}))


@examples
@given(choice=hostile_text, next_url=hostile_text, category=hostile_text)
def test_cookie_choice_survives_anything(client, choice, next_url, category):
    response = client.post(
        "/personvern/informasjonskapsler/",
        {"choice": choice, "next": next_url, "categories": [category]},
    )

    assert_answered(response)
    if response.status_code == 302:
        location = response["Location"]
        assert location.startswith("/")
        assert not location.startswith("//")


@examples
@given(token=hostile_text)
def test_signed_links_survive_anything(client, token):
    token = token.replace("/", "") or "x"
    for path in [
        "/nyhetsbrev/bekreft/",
        "/nyhetsbrev/avmeld/",
        "/personvern/mine-data/bekreft/",
    ]:
        assert_answered(client.get(f"{path}{token}/"))
        assert_answered(client.post(f"{path}{token}/"))


def test_stored_markup_is_escaped_in_pages_admin_and_mail(client, admin_user):
    script = "<script>alert(1)</script>"
    client.post(
        "/nyhetsbrev/",
        {"name": f"Kari {script}", "email": "kari@example.no", "consent": "on"},
    )
    assert Subscriber.objects.get().name == f"Kari {script}"

    call_command("send_queued_mail", stdout=StringIO())
    (message,) = mail.outbox
    assert "Subject" not in message.extra_headers
    admin = login_with_second_factor(Client(), admin_user)
    listing = admin.get("/admin/newsletter/subscriber/").content.decode()

    assert script not in listing
    assert "&lt;script&gt;" in listing


def test_no_header_can_be_injected_through_an_address(client):
    client.post(
        "/nyhetsbrev/",
        {
            "name": "Kari",
            "email": "kari@example.no\r\nBcc: alle@example.no",
            "consent": "on",
        },
    )
    call_command("send_queued_mail", stdout=StringIO())

    assert all("alle@example.no" not in m.recipients() for m in mail.outbox)
    assert not Subscriber.objects.exists()
