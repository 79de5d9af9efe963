"""Drill 2, mail server down: visitors send the contact form, sign up for a course
and for the newsletter while SMTP refuses connections (EMAIL_URL points at a
closed port on 127.0.0.1).

Every visitor is answered normally and every mail is queued. The mail worker
(`manage.py send_queued_mail`) run while SMTP is still down sends nothing and
loses nothing. Then a real SMTP server (aiosmtpd) comes up, the worker runs
again, and every queued mail arrives exactly once; a further run sends nothing.
"""

from __future__ import annotations

import re
from collections import Counter

from drills.harness import Context, DrillResult, Site, in_parallel
from drills.journeys import (
    Traffic,
    address,
    first_errors,
    open_form,
    send_contact,
    send_newsletter_signup,
    send_signup,
)
from drills.mail_sink import closed_port_url, mail_sink
from drills.visitor import Visitor

NAME = "mail"
TITLE = "Mail server down: contact, sign-ups, newsletter; all delivered once later"
CONTACTS = 20
SIGNUPS = 5
NEWSLETTER = 10
STAFF = "salg@example.com"  # CONTACT_NOTIFY_EMAILS: one notification per inquiry
EXPECTED_MAILS = CONTACTS * 2 + SIGNUPS + NEWSLETTER


def run(context: Context, result: DrillResult) -> None:
    with context.site(NAME) as site:
        urls = site.task("site_urls")
        course = site.task("course_date_create", capacity=SIGNUPS)
        smtp_down = closed_port_url()
        with site.serving(EMAIL_URL=smtp_down, CONTACT_NOTIFY_EMAILS=STAFF) as server:
            visitors, answers = visit(server.port, urls, course)
        traffic = Traffic.of(visitors)
        result.note(traffic.describe())
        accepted = sum(1 for a in answers if a is not None and a.status == 302)
        result.check(
            "every visitor answered normally while SMTP was down (302, no 5xx)",
            accepted == len(answers) and not traffic.server_errors,
            f"{accepted}/{len(answers)} accepted"
            + f"; {first_errors(traffic.server_errors)}" * bool(traffic.server_errors),
        )
        queued = site.value("SELECT count(*) FROM glasoterapi_outgoingemail")
        result.check(
            "every mail queued with its submission",
            queued == EXPECTED_MAILS,
            f"{queued} queued, "
            f"{EXPECTED_MAILS} expected ({CONTACTS} receipts, {CONTACTS} staff "
            f"notifications, {SIGNUPS} booking mails, {NEWSLETTER} confirmations)",
        )
        worker_while_down(result, site, smtp_down)
        worker_when_back(result, site)


def visit(port: int, urls: dict, course: dict) -> tuple[list[Visitor], list]:
    plan = (
        [(urls["contact"], send_contact, "kontakt")] * CONTACTS
        + [(course["signup"], send_signup, "kurs")] * SIGNUPS
        + [(urls["newsletter"], send_newsletter_signup, "nyhetsbrev")] * NEWSLETTER
    )
    visitors = [Visitor(port) for _ in plan]

    def one(number: int):
        path, send, kind = plan[number]
        fields = open_form(visitors[number], path)
        if fields is None:
            return None
        return send(visitors[number], path, fields, address(kind, number), number)

    return visitors, in_parallel(len(plan), one)


def worker_while_down(result: DrillResult, site: Site, smtp_down: str) -> None:
    counts = worker_counts(site.manage("send_queued_mail", EMAIL_URL=smtp_down))
    statuses = mail_statuses(site)
    result.check(
        "worker with SMTP down: nothing sent, nothing lost, all queued for a retry",
        counts.get("sent") == 0 and statuses == {"queued": EXPECTED_MAILS},
        f"worker: {counts}; outbox: {statuses}",
    )


def worker_when_back(result: DrillResult, site: Site) -> None:
    # A failed mail is retried a minute later (outbox/services.py RETRY_DELAYS);
    # the drill moves the clock on rather than wait.
    site.execute(
        "UPDATE glasoterapi_outgoingemail SET next_attempt_at = now() "
        "WHERE status = 'queued'"
    )
    with mail_sink() as sink:
        first = worker_counts(
            site.manage("send_queued_mail", "-v", "2", EMAIL_URL=sink.url)
        )
        again = worker_counts(
            site.manage("send_queued_mail", "-v", "2", EMAIL_URL=sink.url)
        )
        received = Counter((m["To"], m["Subject"]) for m in sink.messages)
        recipients = sink.per_recipient()
    result.note(f"delivered {sum(received.values())} mails when SMTP came back")
    visitors_once = all(n == 1 for to, n in recipients.items() if to != STAFF)
    result.check(
        "SMTP back: every queued mail delivered exactly once",
        sum(received.values()) == EXPECTED_MAILS
        and set(received.values()) == {1}
        and visitors_once
        and recipients[STAFF] == CONTACTS,
        f"{sum(received.values())} received, {len(received)} distinct "
        f"(recipient, subject), most to one visitor "
        f"{max((n for to, n in recipients.items() if to != STAFF), default=0)}, "
        f"staff {recipients[STAFF]}",
    )
    result.check(
        "outbox all sent, and a second worker run sends nothing",
        mail_statuses(site) == {"sent": EXPECTED_MAILS}
        and first.get("sent") == EXPECTED_MAILS
        and again.get("sent") == 0,
        f"first run {first}, second run {again}, outbox {mail_statuses(site)}",
    )


def worker_counts(output: str) -> dict[str, int]:
    """`sent=3 retry=0 failed=0 held=0` from send_queued_mail's summary line (its
    stdout also carries the log lines)."""
    summaries = re.findall(r"^sent=\d+ retry=\d+ failed=\d+ held=\d+$", output, re.M)
    if not summaries:
        return {}
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", summaries[-1])}


def mail_statuses(site: Site) -> dict[str, int]:
    return dict(
        site.rows("SELECT status, count(*) FROM glasoterapi_outgoingemail GROUP BY 1")
    )
