"""Drill 1, load: 200 visitors send the contact form and 30 sign up for a course
date with 10 seats, all at the same moment, through gunicorn on PostgreSQL.

Every visitor first loads its form (CSRF cookie and token, signed timestamp),
then all press "Send" together. Passes when every submission is saved exactly
once with its receipt queued, exactly 10 sign-ups are confirmed and the other 20
waitlisted (each told so), and no request got a 5xx or no answer.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

from drills.harness import Context, DrillResult, Site, in_parallel
from drills.journeys import (
    Traffic,
    address,
    first_errors,
    open_form,
    send_contact,
    send_signup,
)
from drills.visitor import Response, Visitor

NAME = "load"
TITLE = "Load: 200 contact submissions + 30 sign-ups for 10 seats, at once"
CONTACTS = 200
SIGNUPS = 30
SEATS = 10
WORKERS = 4  # gunicorn workers (the production default is 2 × cores + 1)
BARRIER_TIMEOUT = 120


def run(context: Context, result: DrillResult) -> None:
    with context.site(NAME) as site:
        urls = site.task("site_urls")
        course = site.task("course_date_create", capacity=SEATS)
        with site.serving(workers=WORKERS) as server:
            visitors = [Visitor(server.port) for _ in range(CONTACTS + SIGNUPS)]
            started = time.monotonic()
            answers = everyone_at_once(visitors, urls, course)
            seconds = time.monotonic() - started
        traffic = Traffic.of(visitors)
        result.note(f"{len(visitors)} visitors in {seconds:.1f} s")
        result.note(traffic.describe())
        check_answers(result, traffic, answers, urls, course)
        check_contact_rows(result, site)
        check_bookings(result, site, course, answers)


def everyone_at_once(
    visitors: list[Visitor], urls: dict, course: dict
) -> list[Response | None]:
    """Each visitor loads its form; when all have one, all send at once."""
    everyone_has_a_form = threading.Barrier(len(visitors), timeout=BARRIER_TIMEOUT)

    def visit(number: int) -> Response | None:
        visitor = visitors[number]
        if number < CONTACTS:
            path, send = urls["contact"], send_contact
            email = address("kontakt", number)
        else:
            path, send = course["signup"], send_signup
            number -= CONTACTS
            email = address("kurs", number)
        fields = open_form(visitor, path)
        everyone_has_a_form.wait()
        return None if fields is None else send(visitor, path, fields, email, number)

    return in_parallel(len(visitors), visit)


def check_answers(
    result: DrillResult,
    traffic: Traffic,
    answers: list[Response | None],
    urls: dict,
    course: dict,
) -> None:
    contacts, signups = answers[:CONTACTS], answers[CONTACTS:]
    thanked = sum(1 for a in contacts if a and a.location == urls["contact_thanks"])
    result.check(
        "every contact submission was thanked (302 to the thank-you page)",
        thanked == CONTACTS,
        f"{thanked}/{CONTACTS}",
    )
    told = Counter(signup_outcome(a, course) for a in signups)
    result.check(
        f"{SEATS} sign-ups told confirmed, the rest told waitlisted",
        told["confirmed"] == SEATS and told["waitlisted"] == SIGNUPS - SEATS,
        f"confirmed {told['confirmed']}, waitlisted {told['waitlisted']}, "
        f"other {told['other']}",
    )
    result.check(
        "no 5xx and no request without an answer",
        not traffic.server_errors and not traffic.unanswered,
        f"5xx: {len(traffic.server_errors)}, no answer: {len(traffic.unanswered)}"
        + (f" ({first_errors(traffic.server_errors + traffic.unanswered)})")
        * bool(traffic.server_errors or traffic.unanswered),
    )


def signup_outcome(answer: Response | None, course: dict) -> str:
    if answer is None or answer.status != 302:
        return "other"
    if answer.location == course["confirmed"]:
        return "confirmed"
    if answer.location == course["waitlisted"]:
        return "waitlisted"
    return "other"


def check_contact_rows(result: DrillResult, site: Site) -> None:
    rows, distinct = site.rows(
        "SELECT count(*), count(DISTINCT email) FROM contact_inquiry"
    )[0]
    result.check(
        "every contact submission saved exactly once",
        rows == distinct == CONTACTS,
        f"{rows} rows, {distinct} distinct addresses, {CONTACTS} sent",
    )
    receipts, receipt_addresses = site.rows(
        'SELECT count(*), count(DISTINCT "to") FROM glasoterapi_outgoingemail '
        "WHERE kind = 'contact_receipt'"
    )[0]
    result.check(
        "one receipt queued per submission",
        receipts == receipt_addresses == CONTACTS,
        f"{receipts} receipts to {receipt_addresses} addresses",
    )


def check_bookings(
    result: DrillResult, site: Site, course: dict, answers: list[Response | None]
) -> None:
    seats = dict(
        site.rows(
            "SELECT status, sum(seats) FROM courses_booking "
            "WHERE course_date_id = %s GROUP BY status",
            [course["course_date"]],
        )
    )
    bookings, addresses = site.rows(
        "SELECT count(*), count(DISTINCT email) FROM courses_booking"
    )[0]
    result.check(
        f"no overbooking: exactly {SEATS} seats confirmed, the rest waitlisted",
        seats.get("confirmed") == SEATS and seats.get("waitlisted") == SIGNUPS - SEATS,
        f"seats by status: {seats}",
    )
    result.check(
        "every sign-up saved exactly once",
        bookings == addresses == SIGNUPS,
        f"{bookings} bookings, {addresses} distinct addresses",
    )
    told_confirmed = {
        address("kurs", n)
        for n, a in enumerate(answers[CONTACTS:])
        if signup_outcome(a, course) == "confirmed"
    }
    confirmed = {
        email
        for (email,) in site.rows(
            "SELECT email FROM courses_booking WHERE status = 'confirmed'"
        )
    }
    result.check(
        "the visitors told 'confirmed' are the confirmed bookings",
        told_confirmed == confirmed,
        f"{len(told_confirmed & confirmed)} of {len(confirmed)} match",
    )
    check_whole_bookings(result, site)


def check_whole_bookings(result: DrillResult, site: Site) -> None:
    """Shared with the database drill: every booking has all its participants
    and its mail; none is half-written."""
    half_written = site.value(
        "SELECT count(*) FROM courses_booking b WHERE b.seats <> "
        "(SELECT count(*) FROM courses_participant p WHERE p.booking_id = b.id)"
    )
    without_mail = site.value(
        "SELECT count(*) FROM courses_booking b WHERE NOT EXISTS ("
        "SELECT 1 FROM glasoterapi_outgoingemail m "
        """WHERE m."to" = b.email AND m.kind LIKE 'courses_booking_%')"""
    )
    total = site.value("SELECT count(*) FROM courses_booking")
    result.check(
        "no half-written booking: each has its participants and its mail queued",
        half_written == 0 and without_mail == 0,
        f"{total} bookings: {half_written} without all participants, "
        f"{without_mail} without a mail",
    )
