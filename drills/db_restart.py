"""Drill 3, database restart: PostgreSQL goes down (stopped at once, as in a crash)
and comes back two seconds later, while 6 visitors keep signing up for a course,
sending the contact form and loading the home page.

Runs on a throw-away PostgreSQL server of its own (drills/postgres_server.py), so
that the shared server stays up for everyone else. Passes when every request
during the outage got the Norwegian 503 page (never a traceback, a 500 or no
answer), the site recovered by itself (the same gunicorn answers /helse/ with 200
and every request after that succeeds), and no booking is half-written.
"""

from __future__ import annotations

import time

from drills import stack
from drills.harness import Context, DrillResult, Site, wait_for
from drills.journeys import (
    UNAVAILABLE_PAGE,
    Traffic,
    VisitorLoop,
    address,
    first_errors,
    open_form,
    send_contact,
    sign_up,
)
from drills.load import check_whole_bookings
from drills.postgres_server import cannot_run_reason, private_postgres
from drills.visitor import Response, Visitor

NAME = "db"
TITLE = "Database restart: PostgreSQL crashes and comes back, under load"
CLIENTS = 6
SEATS = 10
LOAD_BEFORE = 2.0  # seconds of load before the database goes down
OUTAGE = 2.0  # seconds it stays down
LOAD_AFTER = 3.0  # seconds of load after the site answers again
RECOVERY_TIMEOUT = 30


def run(context: Context, result: DrillResult) -> None:
    if reason := cannot_run_reason():
        result.skipped = reason
        return
    with (
        private_postgres() as postgres,
        context.site(NAME, server_url=postgres.url) as site,
    ):
        urls = site.task("site_urls")
        course = site.task("course_date_create", capacity=SEATS)
        with site.serving() as server:
            mix = Mix(urls, course)
            with VisitorLoop(server.port, CLIENTS, mix.step) as load:
                time.sleep(LOAD_BEFORE)
                down_at, up_at = outage(postgres)
                recovered = wait_for(lambda: healthy(server), timeout=RECOVERY_TIMEOUT)
                recovered_at = time.monotonic()
                time.sleep(LOAD_AFTER)
            same_gunicorn = server.process.poll() is None
        result.note(
            f"database down {up_at - down_at:.1f} s; site healthy "
            f"{recovered_at - up_at:.1f} s after the database was back"
        )
        check_outage(result, load.traffic, recovered_at)
        load.report_surprises(result)
        result.check(
            "the site recovered by itself (same gunicorn, /helse/ 200)",
            recovered and same_gunicorn,
            f"healthy: {recovered}, gunicorn still running: {same_gunicorn}",
        )
        check_signups(result, site, mix, course)
        check_whole_bookings(result, site)


def healthy(server: stack.Server) -> bool:
    try:
        return stack.http_get(server.port, "/helse/", timeout=5).status == 200
    except OSError:
        return False


def outage(postgres) -> tuple[float, float]:
    """Crash the database and start it again OUTAGE seconds later; when it went
    down and came up. It is started again whatever happens."""
    down_at = time.monotonic()
    try:
        postgres.crash()
        time.sleep(OUTAGE)
    finally:
        postgres.start()
    return down_at, time.monotonic()


class Mix:
    """One loop step, in turn: sign up for the course, send the contact form,
    load the home page."""

    def __init__(self, urls: dict, course: dict):
        self.urls, self.course = urls, course
        self.signups: dict[str, Response] = {}  # address -> the final answer

    def step(self, visitor: Visitor, number: int) -> None:
        if number % 3 == 0:
            email = address("kurs", number)
            answer = sign_up(visitor, self.course["signup"], email, number)
            if answer is not None:
                self.signups[email] = answer
        elif number % 3 == 1:
            path = self.urls["contact"]
            fields = open_form(visitor, path)
            if fields is not None:
                send_contact(visitor, path, fields, address("kontakt", number), number)
        else:
            visitor.get("/")


def is_unavailable_page(response: Response) -> bool:
    return response.status == 503 and UNAVAILABLE_PAGE in response.body


def is_success(response: Response) -> bool:
    return response.status in (200, 302)


def check_outage(result: DrillResult, traffic: Traffic, recovered_at: float) -> None:
    responses = traffic.responses
    unavailable = [r for r in responses if is_unavailable_page(r)]
    other = [r for r in responses if not is_success(r) and not is_unavailable_page(r)]
    result.note(traffic.describe())
    result.check(
        "requests during the outage got the Norwegian 503 page, never anything else",
        unavailable and not other and not traffic.tracebacks,
        f"{len(unavailable)} × 503 «{UNAVAILABLE_PAGE}», {len(other)} other "
        f"failures, {len(traffic.tracebacks)} tracebacks"
        + f" ({first_errors(other)})"
        * bool(other),
    )
    after = [r for r in responses if r.started >= recovered_at]
    failed_after = [r for r in after if not is_success(r)]
    result.check(
        "every request after the recovery succeeded",
        after and not failed_after,
        f"{len(after) - len(failed_after)}/{len(after)}",
    )


def check_signups(result: DrillResult, site: Site, mix: Mix, course: dict) -> None:
    confirmed_or_waitlisted = {
        email
        for email, answer in mix.signups.items()
        if answer.location in (course["confirmed"], course["waitlisted"])
    }
    saved = {email for (email,) in site.rows("SELECT email FROM courses_booking")}
    seats = site.value(
        "SELECT coalesce(sum(seats), 0) FROM courses_booking WHERE status = 'confirmed'"
    )
    lost = confirmed_or_waitlisted - saved
    result.check(
        "every sign-up that was answered is saved, and no overbooking",
        not lost and seats <= SEATS,
        f"{len(confirmed_or_waitlisted)} answered, {len(saved)} saved, "
        f"{len(lost)} lost; {seats} of {SEATS} seats confirmed",
    )
