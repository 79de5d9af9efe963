"""What visitors do on the site, through HTTP: send the contact form, sign up for
a course date, sign up for the newsletter. Each step returns the Response, and
every Response a visitor got stays in `visitor.history` for the statistics."""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from drills.harness import percentile
from drills.visitor import Response, Visitor, form_fields

NOT_ENOUGH_SEATS = "Ikke nok ledige plasser"
UNAVAILABLE_PAGE = "Midlertidig utilgjengelig"  # templates/503.html
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "/')


def address(kind: str, number: int) -> str:
    """A visitor's e-mail address: unique per kind and number in a drill."""
    return f"{kind}-{number}@example.com"


def open_form(visitor: Visitor, path: str) -> dict[str, str] | None:
    """GET the page; its form's hidden fields, or None if the page did not come
    (or came without its form: the drill's checks count it as not sent)."""
    page = visitor.get(path)
    if page.status != 200:
        return None
    try:
        return form_fields(page.body)
    except ValueError:
        return None


# ------------------------------------------------------------------------------
# Contact form
# ------------------------------------------------------------------------------
def contact_answers(email: str, number: int) -> dict[str, str]:
    return {
        "first_name": "Øvelse",
        "last_name": f"Nummer {number}",
        "email": email,
        "phone": f"9{number % 10_000_000:07d}",
        "company": "Øvelse AS",
        "message": f"Henvendelse {number} fra øvelsen, med æøå.",
        "website": "",  # the honeypot, left empty as people do
    }


def send_contact(
    visitor: Visitor, path: str, fields: dict[str, str], email: str, number: int
) -> Response:
    return visitor.post(path, {**fields, **contact_answers(email, number)})


# ------------------------------------------------------------------------------
# Course sign-up
# ------------------------------------------------------------------------------
def signup_answers(email: str, number: int) -> dict[str, str]:
    return {
        "first_name": "Øvelse",
        "last_name": f"Deltaker {number}",
        "email": email,
        "company": "Øvelse AS",
        "booker_attends": "on",
        "invoice_name": "Øvelse AS",
        "orgnr": "",
        "invoice_street": "Øvelsesveien 1",
        "invoice_postcode": "0150",
        "invoice_place": "Oslo",
        "invoice_method": "email",
        "invoice_email": "",
        "your_reference": f"Øvelse {number}",
    }


def send_signup(
    visitor: Visitor, path: str, fields: dict[str, str], email: str, number: int
) -> Response:
    """Sign up one participant. When the seats ran out since the form was shown,
    do what the page offers: put the whole sign-up on the waitlist."""
    answers = signup_answers(email, number)
    response = visitor.post(path, {**fields, **answers})
    if response.status == 200 and NOT_ENOUGH_SEATS in response.body:
        again = {**form_fields(response.body), **answers, "waitlist": "yes"}
        response = visitor.post(path, again)
    return response


def sign_up(visitor: Visitor, path: str, email: str, number: int) -> Response | None:
    fields = open_form(visitor, path)
    if fields is None:
        return None
    return send_signup(visitor, path, fields, email, number)


# ------------------------------------------------------------------------------
# Newsletter
# ------------------------------------------------------------------------------
def send_newsletter_signup(
    visitor: Visitor, path: str, fields: dict[str, str], email: str, number: int
) -> Response:
    answers = {"name": f"Øvelse {number}", "email": email, "consent": "on"}
    return visitor.post(path, {**fields, **answers})


# ------------------------------------------------------------------------------
# Statistics over many visitors' responses
# ------------------------------------------------------------------------------
@dataclass
class Traffic:
    responses: list[Response]

    @classmethod
    def of(cls, visitors: list[Visitor]) -> Traffic:
        return cls([response for v in visitors for response in v.history])

    @property
    def statuses(self) -> dict[int | str, int]:
        counts = Counter(r.status or "no answer" for r in self.responses)
        return dict(sorted(counts.items(), key=lambda item: str(item[0])))

    @property
    def server_errors(self) -> list[Response]:
        return [r for r in self.responses if r.status and r.status >= 500]

    @property
    def unanswered(self) -> list[Response]:
        return [r for r in self.responses if not r.answered]

    @property
    def tracebacks(self) -> list[Response]:
        return [
            r for r in self.responses if any(m in r.body for m in TRACEBACK_MARKERS)
        ]

    def latency(self) -> str:
        seconds = [r.seconds for r in self.responses if r.answered]
        return (
            f"p50 {percentile(seconds, 0.5) * 1000:.0f} ms, "
            f"p95 {percentile(seconds, 0.95) * 1000:.0f} ms, "
            f"max {max(seconds, default=0) * 1000:.0f} ms"
        )

    def describe(self) -> str:
        statuses = ", ".join(f"{status}: {n}" for status, n in self.statuses.items())
        return f"{len(self.responses)} requests ({statuses}); {self.latency()}"


def first_errors(responses: list[Response], count: int = 3) -> str:
    """A short sample for a FAIL line: method, path, status or error."""
    return "; ".join(
        f"{r.method} {r.path} → {r.status or r.error}" for r in responses[:count]
    )


class VisitorLoop:
    """`count` visitors, each in its own thread, doing `step(visitor, number)`
    again and again (numbers unique across them) until the block ends. Visitors
    are `Visitor(port)`, or what `make_visitor()` returns (HTTPS, say)."""

    def __init__(
        self,
        port: int,
        count: int,
        step: Callable[[Visitor, int], None],
        make_visitor: Callable[[], Visitor] | None = None,
    ):
        self.step = step
        make_visitor = make_visitor or (lambda: Visitor(port))
        self.visitors = [make_visitor() for _ in range(count)]
        self.numbers = itertools.count()
        self.stopping = threading.Event()
        self.surprises: list[str] = []  # exceptions raised by a step
        self.threads = [
            threading.Thread(target=self.loop, args=(v,)) for v in self.visitors
        ]

    def __enter__(self) -> VisitorLoop:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def loop(self, visitor: Visitor) -> None:
        while not self.stopping.is_set():
            try:
                self.step(visitor, next(self.numbers))
            except Exception as error:  # noqa: BLE001 (reported by the drill)
                self.surprises.append(f"{type(error).__name__}: {error}")

    def report_surprises(self, result) -> None:
        """A FAIL line if a visitor's step raised (a page without its form...)."""
        if self.surprises:
            result.check(
                "every visitor step ran as planned",
                False,
                f"{len(self.surprises)} raised: {self.surprises[0]}",
            )

    @property
    def traffic(self) -> Traffic:
        return Traffic.of(self.visitors)
