"""Errors reach Sentry, when SENTRY_DSN is set, without personal data.

The site runs in a process of its own (sentry-sdk patches Django for good once set
up), set up by settings.py from SENTRY_DSN, and reports over HTTP to a stand-in for
Sentry that keeps what it receives.
"""

import gzip
import json
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli
import pytest

from core.error_reports import scrub_event
from tests.glasoterapi.test_settings import manage

A_FAILING_REQUEST = """
from django.core.management import call_command
from django.test import Client, override_settings
import sentry_sdk
call_command("migrate", verbosity=0)  # the in-memory database starts empty
with override_settings(ROOT_URLCONF="tests.glasoterapi.failing_urls"):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "hemmelig-okt"
    client.post(
        "/bug-quoting-input/?e=kari@example.no",
        {"email": "kari@example.no", "phone": "+47 912 34 567"},
    )
sentry_sdk.flush(timeout=10)
"""


def decoded(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    return body


@pytest.fixture
def sentry():
    """An HTTP endpoint that takes Sentry envelopes and keeps their events."""
    events = []

    class Envelopes(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            body = decoded(body, self.headers.get("Content-Encoding", ""))
            header, *items = body.split(b"\n")
            for item_header, payload in zip(items[::2], items[1::2], strict=False):
                if json.loads(item_header).get("type") == "event":
                    events.append(json.loads(payload))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Envelopes)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://key@127.0.0.1:{server.server_port}/1", events
    server.shutdown()


def test_an_error_report_carries_no_personal_data(sentry):
    dsn, events = sentry
    result = manage(
        "shell",
        "-c",
        A_FAILING_REQUEST,
        SENTRY_DSN=dsn,
        DATABASE_URL="sqlite:///:memory:",
        CACHE_URL="locmemcache://",
        ALLOWED_HOSTS="testserver",
    )

    assert result.returncode == 0, result.stderr
    (event,) = [e for e in events if "exception" in e]
    sent = json.dumps(events)
    assert event["exception"]["values"][-1]["type"] == "ValueError"
    assert "no booking for [e-post]" in sent
    assert "kari@example.no" not in sent
    assert "912 34 567" not in sent
    assert "hemmelig-okt" not in sent
    assert "user" not in event


def test_scrubbing_redacts_tokens_and_drops_what_could_hold_input():
    token = "eyJzIjoxfQxx:1vQx2c:abcdefghijklmnopqrstuv"
    event = {
        "request": {
            "url": f"https://glasoterapi.no/personvern/mine-data/bekreft/{token}/",
            "query_string": "e=kari@example.no",
            "cookies": {"sessionid": "x"},
            "data": {"message": "Hei"},
            "headers": {"Cookie": "sessionid=x", "User-Agent": "Firefox"},
        },
        "user": {"email": "kari@example.no"},
        "breadcrumbs": {"values": [{"message": "sent to ola@example.no", "data": {}}]},
    }

    scrubbed = scrub_event(event)

    assert scrubbed["request"]["url"].endswith("/bekreft/[lenke]/")
    assert scrubbed["request"]["headers"] == {"User-Agent": "Firefox"}
    assert {"query_string", "cookies", "data"}.isdisjoint(scrubbed["request"])
    assert "user" not in scrubbed
    assert scrubbed["breadcrumbs"]["values"][0]["message"] == "sent to [e-post]"
