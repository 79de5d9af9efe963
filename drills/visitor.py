"""A visitor with a browser's manners, minus the browser: keeps its cookies, reads
a page's form (hidden fields: CSRF token, signed timestamp, formset management
form) and sends it back with what it typed. Plain http.client on 127.0.0.1.

With DEBUG=False the CSRF cookie is `Secure`; a browser would not send it over
plain HTTP, so the visitor sends its cookies whatever their flags (the drills
have no TLS in front, production has).
"""

from __future__ import annotations

import http.client
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

    @property
    def answered(self) -> bool:
        return self.status is not None


@dataclass
class Visitor:
    port: int
    timeout: float = REQUEST_TIMEOUT
    cookies: dict[str, str] = field(default_factory=dict)
    history: list[Response] = field(default_factory=list)  # every answer, in order

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]) -> Response:
        return self.request("POST", path, body=urlencode(form))

    def request(self, method: str, path: str, body: str | None = None) -> Response:
        headers = {"Accept": "text/html"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = Response(method, path, None, started=time.monotonic())
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=self.timeout
        )
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
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
