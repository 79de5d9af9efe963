"""A visitor with a browser's manners, minus the browser: keeps its cookies, reads
a page's form (hidden fields: CSRF token, signed timestamp, formset management
form) and sends it back with what it typed. Plain http.client on 127.0.0.1.

With DEBUG=False the CSRF cookie is `Secure`; a browser would not send it over
plain HTTP, so the visitor sends its cookies whatever their flags (the drills
have no TLS in front, production has).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode

REQUEST_TIMEOUT = 60  # seconds; a request under load on 2 shared cores may queue


@dataclass
class Response:
    method: str
    path: str
    status: int | None  # None: no HTTP answer (connection refused, reset, timeout)
    body: str = ""
    location: str = ""
    error: str = ""  # the exception's class and message when status is None
    started: float = 0.0  # time.monotonic()
    seconds: float = 0.0
    headers: http.client.HTTPMessage | None = None

    @property
    def answered(self) -> bool:
        return self.status is not None


@dataclass
class Visitor:
    port: int
    timeout: float = REQUEST_TIMEOUT
    cookies: dict[str, str] = field(default_factory=dict)
    history: list[Response] = field(default_factory=list)  # every answer, in order
    # HTTPS: the context that trusts the drill's certificate, and the host name
    # the visitor asks for (TLS SNI and Host); it still connects to 127.0.0.1.
    tls: ssl.SSLContext | None = None
    host: str = "127.0.0.1"
    # The visitor's own address on the loopback network (127.0.0.2, ...), so that
    # a proxy in front sees different clients; "" for the system's choice.
    source: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # sent with each request

    @property
    def origin(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str] | list[tuple[str, str]]) -> Response:
        return self.request("POST", path, body=urlencode(form))

    def request(self, method: str, path: str, body: str | None = None) -> Response:
        headers = {"Accept": "text/html", **self.headers}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin  # as browsers send with every POST
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = Response(method, path, None, started=time.monotonic())
        connection = self.connection()
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            # Kept before the body is read: an answer that breaks off midway
            # (its instance killed) still tells which instance began it.
            response.headers = answer.headers
            response.body = answer.read().decode("utf-8", errors="replace")
            response.status = answer.status
            response.location = answer.getheader("Location", "")
            self.keep_cookies(answer.headers.get_all("Set-Cookie") or [])
        except (OSError, http.client.HTTPException) as error:
            response.error = f"{type(error).__name__}: {error}"
        finally:
            connection.close()
            response.seconds = time.monotonic() - response.started
        self.history.append(response)
        return response

    def connection(self) -> http.client.HTTPConnection:
        if self.tls is None:
            connection = http.client.HTTPConnection(
                self.host, self.port, timeout=self.timeout
            )
        else:
            connection = http.client.HTTPSConnection(
                self.host, self.port, timeout=self.timeout, context=self.tls
            )
        # To 127.0.0.1 whatever the name resolves to, from the visitor's address.
        source = (self.source, 0) if self.source else None
        connection._create_connection = lambda address, timeout, _: (
            socket.create_connection(("127.0.0.1", address[1]), timeout, source)
        )
        return connection

    def keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value


# ------------------------------------------------------------------------------
# Forms
# ------------------------------------------------------------------------------
class FormParser(HTMLParser):
    """Every <form> on a page: its action and its hidden inputs."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attributes.get("action") or "", "fields": {}})
        elif tag == "input" and self.forms and is_hidden_input(attributes):
            fields = self.forms[-1]["fields"]
            fields[attributes["name"]] = attributes.get("value") or ""


def is_hidden_input(attributes: dict) -> bool:
    hidden = (attributes.get("type") or "text").lower() == "hidden"
    return hidden and bool(attributes.get("name"))


def form_fields(html: str) -> dict[str, str]:
    """The hidden fields of the page's form with a CSRF token that is not the
    footer's or the banner's (those post to /personvern/...)."""
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        is_consent_form = form["action"].startswith("/personvern/")
        if "csrfmiddlewaretoken" in form["fields"] and not is_consent_form:
            return dict(form["fields"])
    raise ValueError("no form with a CSRF token on the page")


class WholeFormParser(HTMLParser):
    """What a browser sends for the form with `form_id`: every enabled field that
    has a value (text, hidden, checked boxes, textareas, selected options)."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.values: list[tuple[str, str]] = []
        self.textarea: str | None = None  # name of the textarea being read
        self.text = ""
        self.select: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
        if not self.inside or "disabled" in attributes or not attributes.get("name"):
            if tag == "option" and self.select is not None:
                self.option(attributes)
            return
        name = attributes["name"]
        kind = (attributes.get("type") or "text").lower()
        if tag == "input" and kind not in {"submit", "button", "image", "reset"}:
            if kind not in {"checkbox", "radio"}:
                self.values.append((name, attributes.get("value") or ""))
            elif "checked" in attributes:
                self.values.append((name, attributes.get("value") or "on"))
        elif tag == "textarea":
            self.textarea, self.text = name, ""
        elif tag == "select":
            self.select = {"name": name, "options": [], "selected": []}

    def option(self, attributes: dict) -> None:
        value = attributes.get("value") or ""
        self.select["options"].append(value)
        if "selected" in attributes:
            self.select["selected"].append(value)

    def handle_data(self, data):
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            # Browsers drop the newline that follows <textarea>.
            self.values.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            chosen = self.select["selected"] or self.select["options"][:1]
            self.values += [(self.select["name"], value) for value in chosen]
            self.select = None


def whole_form(html: str, form_id: str) -> list[tuple[str, str]]:
    parser = WholeFormParser(form_id)
    parser.feed(html)
    if not parser.values:
        raise ValueError(f"no form #{form_id} on the page")
    return parser.values
