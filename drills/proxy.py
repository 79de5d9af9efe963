"""Drill 6, the real shape: Debian's nginx, configured by deploy/nginx.conf, with a
self-signed certificate in front of two gunicorn instances on one PostgreSQL
database and one Redis, with the settings the README's "Deploying" gives
(TRUSTED_PROXY_COUNT=1, SECURE_PROXY_SSL_HEADER, the HTTPS redirect and HSTS).
Every visitor comes over HTTPS from an address of its own on the loopback network
(127.0.x.y), so that nginx sees different clients.

- HTTP is redirected to HTTPS; every answer over HTTPS carries HSTS and the
  security headers exactly once, Django's pages and nginx's static files as well
  as the errors gunicorn answers itself (414, 431); hash-named static files are
  cached for a year; host names other than the site's are refused.
- A staff member edits a course in the admin through one instance; the course
  list and page served by the other show the new title at once (their page
  caches are per process, the catalogue version is in Redis). A stranger's five
  wrong passwords beforehand lock the stranger out, not the staff member.
- One visitor sends the contact form 14 times through both instances: exactly 10
  (CONTACT_RATE_LIMIT) get through; a made-up X-Forwarded-For does not lift the
  limit, and another visitor is not limited by it.
- 30 visitors sign up for 10 seats at the same moment through both instances:
  exactly 10 confirmed, no 5xx.
- Through the proxy over HTTPS, /kurs/ at ≥ 60 % of the requests per second
  gunicorn serves straight (wrk, alternating the two sides).
- One instance is SIGKILLed (master and workers) under load: the only failed
  requests are those it was serving; nginx sends the rest to the other.
- Two mail workers at once deliver every queued mail exactly once.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

from drills import load, proxy_stack, stack
from drills.harness import Context, DrillResult, Site, in_parallel
from drills.journeys import (
    Traffic,
    VisitorLoop,
    address,
    first_errors,
    open_form,
    send_contact,
    send_signup,
)
from drills.mail_down import worker_counts
from drills.mail_sink import mail_sink
from drills.proxy_stack import HOST, UPSTREAM_HEADER, Proxy
from drills.visitor import Response, Visitor, form_fields, whole_form

NAME = "proxy"
TITLE = "Two instances behind nginx over HTTPS: headers, cache, limits, failover"
WORKERS = 2  # gunicorn workers per instance
CONTACT_LIMIT = 10  # CONTACT_RATE_LIMIT, the production default
CONTACT_TRIES = 14  # 7 per instance: under the limit if each counted alone
SIGNUPS = 30
SEATS = 10
BARRIER_TIMEOUT = 120
STAFF = {"username": "ovelse-stab", "password": secrets.token_urlsafe(16)}
BACKUP_CODE = secrets.token_hex(4)
THROUGHPUT_SECONDS = 2
THROUGHPUT_ROUNDS = 5  # alternating, so that the machine's drift hits both sides
THROUGHPUT_CONNECTIONS = 8
THROUGHPUT_GOAL = 0.60
KILL_CLIENTS = 8
KILL_AFTER = 2.0  # seconds of load before the kill
LOAD_AFTER = 4.0  # seconds of load after it
BUSY_TIMEOUT = 5
MAIL_BATCH = 5  # small batches, so that the two workers take turns
MAIL_TIMEOUT = 120


@dataclasses.dataclass
class Shape:
    """The running stack: the two instances, nginx, and how to be a visitor."""

    site: Site
    first: stack.Server
    second: stack.Server
    proxy: Proxy
    tls: ssl.SSLContext

    def visitor(self, source: str, **headers: str) -> Visitor:
        return Visitor(
            self.proxy.https_port,
            tls=self.tls,
            host=HOST,
            source=source,
            headers=headers,
        )

    def instance(self, response: Response) -> str:
        """Which instance answered: `a`, `b`, or `a, b` when nginx tried both
        (the last one answered); "" when nginx answered alone."""
        hops = upstream_hops(response)
        names = {self.first.port: "a", self.second.port: "b"}
        return ", ".join(names.get(port, "?") for port in hops)

    def answered_by(self, response: Response) -> str:
        hops = upstream_hops(response)
        return {self.first.port: "a", self.second.port: "b"}.get(
            hops[-1] if hops else 0, ""
        )


def upstream_hops(response: Response) -> list[int]:
    header = (response.headers or {}).get(UPSTREAM_HEADER, "") or ""
    return [int(hop.rsplit(":", 1)[1]) for hop in re.findall(r"[\d.]+:\d+", header)]


def proxy_settings(redis_url: str) -> dict[str, str]:
    """The README's production settings behind nginx, and Redis as the cache."""
    return {
        "CACHE_URL": redis_url,
        "TRUSTED_PROXY_COUNT": "1",
        "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
        "SECURE_SSL_REDIRECT": "True",
        "SECURE_HSTS_SECONDS": "31536000",
        # 127.0.0.1 for the harness, which asks each instance for /helse/.
        "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
        "SITE_URL": f"https://{HOST}",
        "CONTACT_RATE_LIMIT": str(CONTACT_LIMIT),
        "COURSES_SIGNUP_RATE_LIMIT": "10",
    }


def run(context: Context, result: DrillResult) -> None:
    if missing := proxy_stack.tools_missing():
        result.skipped = missing
        return
    directory = context.tmp / f"proxy-{os.getpid()}"
    with (
        proxy_stack.redis_database(directory / "redis") as redis_url,
        context.site(NAME) as scratch,
    ):
        site = dataclasses.replace(
            scratch, env={**scratch.env, **proxy_settings(redis_url)}
        )
        urls = site.task("site_urls")
        edited = site.task("course_date_create", capacity=5, label="endres")
        hammered = site.task("course_date_create", capacity=SEATS, label="fullt")
        staff = site.task("staff_user_create", **STAFF, backup_code=BACKUP_CODE)
        first, second = stack.Server("proxy-a"), stack.Server("proxy-b")
        env = site.with_env(WEB_CONCURRENCY=str(WORKERS))
        with (
            stack.running([first, second], env, context.tmp),
            proxy_stack.running_proxy(
                directory / "nginx",
                upstreams=[first.port, second.port],
                static_root=context.static_root,
            ) as proxy,
        ):
            shape = Shape(site, first, second, proxy, proxy.tls_context())
            result.note(f"nginx {nginx_version()} on {proxy.https_port}")
            https_and_headers(result, shape, urls, edited, context.static_root)
            course_edit(result, shape, urls, edited, staff)
            rate_limits(result, shape, urls)
            signups_hammered(result, shape, hammered)
            throughput(result, shape, urls)
            instance_killed(result, shape, urls)
            both_instances_down(result, shape)
        access_log = directory / "nginx" / "access.log"
        written = access_log.stat().st_size if access_log.exists() else 0
        result.check(
            "nginx keeps no access log (query strings, tokens and addresses stay out)",
            written == 0,
            f"{access_log.name}: {written} bytes after the drill's traffic",
        )
        mail_workers(result, site)


def nginx_version() -> str:
    completed = subprocess.run(  # noqa: S603 (Debian's nginx, fixed argument)
        [proxy_stack.program("nginx"), "-v"], capture_output=True, text=True
    )
    return completed.stderr.strip().rsplit("/", 1)[-1]


# ------------------------------------------------------------------------------
# HTTPS, the redirect and the headers
# ------------------------------------------------------------------------------
SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "Content-Security-Policy": None,  # Django's varies (the nonce)
    "Permissions-Policy": None,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def https_and_headers(
    result: DrillResult, shape: Shape, urls: dict, course: dict, static_root: Path
) -> None:
    plain = Visitor(shape.proxy.http_port, host=HOST, source="127.0.0.2")
    redirect = plain.get(urls["course_list"] + "?side=1")
    expected = f"https://{HOST}:{shape.proxy.https_port}{urls['course_list']}?side=1"
    result.check(
        "plain HTTP is redirected to the same address over HTTPS (301)",
        redirect.status == 301 and redirect.location == expected,
        f"HTTP {redirect.status or redirect.error} → {redirect.location}",
    )
    visitor = shape.visitor("127.0.0.2")
    answers = {
        "Django's page": visitor.get(urls["course_list"]),
        "Django's 404": visitor.get("/finnes-ikke/"),
        "a static file": visitor.get(hashed_static_url(static_root)),
        "gunicorn's 414": visitor.get("/kurs/?q=" + "x" * 5000),
        "gunicorn's 431": shape.visitor(
            "127.0.0.2", **{f"X-Ovelse-{n}": "1" for n in range(120)}
        ).get("/kurs/"),
    }
    statuses = {what: a.status for what, a in answers.items()}
    result.check(
        "the answers are what each side gives (200, 404, 200, 414, 431)",
        list(statuses.values()) == [200, 404, 200, 414, 431],
        ", ".join(f"{what} {status}" for what, status in statuses.items()),
    )
    wrong = [
        f"{what}: {name} {values}"
        for what, answer in answers.items()
        for name, want in SECURITY_HEADERS.items()
        if len(values := header_values(answer, name)) != 1
        or (want is not None and values[0] != want)
    ]
    result.check(
        "HSTS and every security header exactly once on each, errors included",
        not wrong,
        "; ".join(wrong[:4]) or f"{len(SECURITY_HEADERS)} headers on {len(answers)}",
    )
    # The course page's JSON-LD has the request's nonce.
    csp = header_values(visitor.get(course["detail"]), "Content-Security-Policy")
    result.check(
        "Django's own CSP (with the request's nonce) is kept, not nginx's",
        bool(csp) and "'nonce-" in csp[0],
        "nonce in the page's CSP" if csp and "'nonce-" in csp[0] else f"{csp}",
    )
    cache = (answers["a static file"].headers or {}).get("Cache-Control", "")
    age = int(re.search(r"max-age=(\d+)", cache)[1]) if "max-age" in cache else 0
    result.check(
        "hash-named static files from nginx, cached for at least a year",
        answers["a static file"].status == 200 and age >= 365 * 24 * 3600,
        f"Cache-Control: {cache}",
    )
    spoofed = shape.visitor(
        "127.0.0.2", **{"X-Forwarded-Proto": "http", "X-Forwarded-Ssl": "off"}
    ).get(urls["course_list"])
    result.check(
        "a client's X-Forwarded-Proto or X-Forwarded-Ssl changes nothing",
        spoofed.status == 200,
        f"HTTP {spoofed.status or spoofed.error}",
    )
    strangers = [
        Visitor(shape.proxy.http_port, host="annen.example", source="127.0.0.2"),
        Visitor(shape.proxy.https_port, tls=ssl_without_checks(), host="annen.example"),
    ]
    refused = [s.get("/").status is None for s in strangers]
    result.check(
        "another host name is refused by nginx (no answer over HTTP or HTTPS)",
        all(refused),
        f"refused over HTTP: {refused[0]}, over HTTPS: {refused[1]}",
    )


def header_values(response: Response, name: str) -> list[str]:
    return (response.headers.get_all(name) or []) if response.headers else []


def hashed_static_url(static_root: Path) -> str:
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    css = sorted(v for v in manifest["paths"].values() if v.endswith(".css"))
    return f"/static/{css[0]}"


def ssl_without_checks() -> ssl.SSLContext:
    """For the stranger: it asks for another name, so no certificate would do."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


# ------------------------------------------------------------------------------
# A course edit in the admin, seen at once through the other instance
# ------------------------------------------------------------------------------
def course_edit(
    result: DrillResult, shape: Shape, urls: dict, course: dict, staff: dict
) -> None:
    pages = [urls["course_list"], course["detail"]]
    # Both instances' page caches hold the course list with the old title.
    before = [r for path in pages for r in from_both(shape, path, "127.0.4.1")]
    staff_visitor = log_in_past_a_stranger(result, shape, staff)
    if staff_visitor is None:
        return
    title = f"Endret tittel {secrets.token_hex(4)}"
    edit = edit_course_title(staff_visitor, course["admin_change"], title)
    edited_by = shape.answered_by(edit)
    after = [r for path in pages for r in from_both(shape, path, "127.0.4.2")]
    other = [a for a in after if shape.answered_by(a) not in {"", edited_by}]
    stale = [a for a in after if a.status != 200 or title not in a.body]
    result.check(
        "a course edited in the admin through one instance shows at once on the "
        "other's course list and course page",
        edit.status == 302
        and all(any(a.path == path for a in other) for path in pages)
        and not stale,
        f"edit answered {edit.status} by instance {edited_by or '?'}; "
        f"{len(after)} pages after it, {len(other)} from the other instance, "
        f"{len(stale)} without the new title; before it "
        f"{sum(b.status == 200 for b in before)}/{len(before)} pages from both",
    )


def from_both(shape: Shape, path: str, source: str, tries: int = 20) -> list:
    """GET `path` as anonymous visitors until each instance has answered it
    (nginx's workers each go round the instances on their own)."""
    answers = []
    while len(answers) < tries:
        answers.append(shape.visitor(source).get(path))
        if {shape.answered_by(a) for a in answers} >= {"a", "b"}:
            break
    return answers


def log_in_past_a_stranger(result: DrillResult, shape: Shape, staff: dict):
    """A stranger makes five wrong guesses; then the staff member logs in from
    elsewhere with password and backup code. The staff member's visitor, or None."""
    stranger = shape.visitor("127.0.1.1")
    for _ in range(5):
        log_in(stranger, staff["login"], STAFF["password"] + "-feil")
    locked = log_in(stranger, staff["login"], STAFF["password"])
    spoofing = shape.visitor("127.0.1.1", **{"X-Forwarded-For": "198.51.100.7"})
    spoofed = log_in(spoofing, staff["login"], STAFF["password"])
    member = shape.visitor("127.0.1.2")
    answer = log_in(member, staff["login"], STAFF["password"])
    second_step = None
    if answer.status == 302:
        member.get(answer.location)  # the admin sends an unverified user to 2FA
        page = member.get(staff["second_factor"])
        fields = form_fields(page.body) if page.status == 200 else {}
        second_step = member.post(
            staff["second_factor"], {**fields, "token": BACKUP_CODE}
        )
    logged_in = second_step is not None and second_step.location == staff["index"]
    result.check(
        "a stranger's wrong passwords through the proxy lock the stranger out "
        "(also with a made-up X-Forwarded-For), not staff elsewhere",
        locked.status == 429 and spoofed.status == 429 and logged_in,
        f"stranger then {locked.status}, with a made-up address {spoofed.status}; "
        f"staff: password {answer.status}, backup code "
        f"{second_step.status if second_step else '–'} → "
        f"{second_step.location if second_step else '–'}",
    )
    return member if logged_in else None


def log_in(visitor: Visitor, path: str, password: str) -> Response:
    page = visitor.get(path)
    fields = form_fields(page.body) if page.status == 200 else {}
    return visitor.post(
        path, {**fields, "username": STAFF["username"], "password": password}
    )


def edit_course_title(visitor: Visitor, path: str, title: str) -> Response:
    """What staff do in the admin: open the course, change its title, save."""
    page = visitor.get(path)
    if page.status != 200:
        return page
    values = [
        (name, title if name == "title" else value)
        for name, value in whole_form(page.body, "course_form")
    ]
    return visitor.post(path, [*values, ("_save", "Lagre")])


# ------------------------------------------------------------------------------
# Rate limits: the visitor's own address, counted across both instances
# ------------------------------------------------------------------------------
def rate_limits(result: DrillResult, shape: Shape, urls: dict) -> None:
    path = urls["contact"]
    limited = shape.visitor("127.0.2.1")
    answers = [contact(limited, path, "grense", n) for n in range(CONTACT_TRIES)]
    thanked = [a for a in answers if a.location == urls["contact_thanks"]]
    refused = [a for a in answers if a.status == 429]
    by_instance = Counter(shape.answered_by(a) for a in thanked)
    result.check(
        f"one visitor's {CONTACT_TRIES} contact forms through both instances: "
        f"exactly {CONTACT_LIMIT} get through (counted together)",
        len(thanked) == CONTACT_LIMIT
        and len(refused) == CONTACT_TRIES - CONTACT_LIMIT
        and set(by_instance) == {"a", "b"},
        f"{len(thanked)} thanked ({dict(sorted(by_instance.items()))} by instance), "
        f"{len(refused)} × 429",
    )
    spoofs = [
        {"X-Forwarded-For": "203.0.113.7"},
        {"X-Forwarded-For": "203.0.113.8, 203.0.113.9"},
        {"X-Real-IP": "203.0.113.10", "Forwarded": "for=203.0.113.10"},
    ]
    spoofed = []
    for number, headers in enumerate(spoofs, start=CONTACT_TRIES):
        spoofer = shape.visitor("127.0.2.1", **headers)
        spoofed.append(contact(spoofer, path, "grense", number).status)
    other = shape.visitor("127.0.2.2", **{"X-Forwarded-For": "127.0.2.1"})
    other_answer = contact(other, path, "annen", 0)
    result.check(
        "a made-up X-Forwarded-For neither lifts the limit nor puts another "
        "visitor under it",
        spoofed == [429] * len(spoofs)
        and other_answer.location == urls["contact_thanks"],
        f"the limited visitor with made-up addresses: {spoofed}; another visitor "
        f"claiming the limited one's address: {other_answer.status}",
    )


def contact(visitor: Visitor, path: str, kind: str, number: int) -> Response:
    fields = open_form(visitor, path) or {}
    return send_contact(visitor, path, fields, address(kind, number), number)


# ------------------------------------------------------------------------------
# Sign-ups hammered through both instances
# ------------------------------------------------------------------------------
def signups_hammered(result: DrillResult, shape: Shape, course: dict) -> None:
    visitors = [shape.visitor(f"127.0.3.{n + 1}") for n in range(SIGNUPS)]
    everyone_has_a_form = threading.Barrier(SIGNUPS, timeout=BARRIER_TIMEOUT)

    def sign_up(number: int) -> Response | None:
        fields = open_form(visitors[number], course["signup"])
        everyone_has_a_form.wait()
        if fields is None:
            return None
        email = address("fullt", number)
        return send_signup(visitors[number], course["signup"], fields, email, number)

    answers = in_parallel(SIGNUPS, sign_up)
    traffic = Traffic.of(visitors)
    told = Counter(load.signup_outcome(a, course) for a in answers)
    posts = [r for r in traffic.responses if r.method == "POST"]
    by_instance = Counter(shape.answered_by(r) for r in posts)
    result.note(f"sign-ups: {traffic.describe()}")
    seats = dict(
        shape.site.rows(
            "SELECT status, sum(seats) FROM courses_booking "
            "WHERE course_date_id = %s GROUP BY status",
            [course["course_date"]],
        )
    )
    bookings, addresses = shape.site.rows(
        "SELECT count(*), count(DISTINCT email) FROM courses_booking "
        "WHERE course_date_id = %s",
        [course["course_date"]],
    )[0]
    result.check(
        f"{SIGNUPS} sign-ups for {SEATS} seats at once through both instances: "
        f"exactly {SEATS} confirmed, each saved once, no 5xx",
        told["confirmed"] == SEATS
        and told["waitlisted"] == SIGNUPS - SEATS
        and seats == {"confirmed": SEATS, "waitlisted": SIGNUPS - SEATS}
        and bookings == addresses == SIGNUPS
        and not traffic.server_errors
        and not traffic.unanswered
        and set(by_instance) == {"a", "b"},
        f"told confirmed {told['confirmed']}, waitlisted {told['waitlisted']}, "
        f"other {told['other']}; seats by status {seats}; {bookings} bookings; "
        f"sign-ups sent by instance {dict(sorted(by_instance.items()))}; "
        f"5xx or no answer: {len(traffic.server_errors) + len(traffic.unanswered)}"
        + f" ({first_errors(traffic.server_errors + traffic.unanswered)})"
        * bool(traffic.server_errors or traffic.unanswered),
    )
    load.check_whole_bookings(result, shape.site)


# ------------------------------------------------------------------------------
# The proxy's cost
# ------------------------------------------------------------------------------
def throughput(result: DrillResult, shape: Shape, urls: dict) -> None:
    wrk = shutil.which("wrk")
    if wrk is None:
        result.note("proxy cost not measured: wrk is not installed")
        return
    path = urls["course_list"]
    direct_headers = ["-H", f"Host: {HOST}", "-H", "X-Forwarded-Proto: https"]
    share = THROUGHPUT_CONNECTIONS // 2

    def straight() -> float:
        """Both instances at once, half the connections each."""
        commands = [
            [wrk, "-t1", f"-c{share}", f"-d{THROUGHPUT_SECONDS}s", *direct_headers,
             f"http://127.0.0.1:{server.port}{path}"]
            for server in (shape.first, shape.second)
        ]  # fmt: skip
        return sum(in_parallel(2, lambda n: wrk_rate(commands[n])))

    def proxied() -> float:
        url = f"https://{HOST}:{shape.proxy.https_port}{path}"
        return wrk_rate(
            [wrk, "-t2", f"-c{THROUGHPUT_CONNECTIONS}", f"-d{THROUGHPUT_SECONDS}s", url]
        )

    rounds = [(straight(), proxied()) for _ in range(THROUGHPUT_ROUNDS)]
    ratio = statistics.median(p / s for s, p in rounds if s)
    result.note(
        f"/kurs/ straight from gunicorn {statistics.mean(s for s, _ in rounds):.0f} "
        f"req/s, through nginx over HTTPS {statistics.mean(p for _, p in rounds):.0f}"
        f" req/s ({ratio:.0%})"
    )
    result.check(
        f"through the proxy over HTTPS at ≥ {THROUGHPUT_GOAL:.0%} of gunicorn's "
        "req/s straight (the proxy's cost)",
        ratio >= THROUGHPUT_GOAL,
        f"{ratio:.0%} (median of {THROUGHPUT_ROUNDS} alternating rounds of "
        f"{THROUGHPUT_SECONDS} s: "
        + ", ".join(f"{p:.0f}/{s:.0f}" for s, p in rounds)
        + " req/s)",
    )


def wrk_rate(command: list[str]) -> float:
    """Requests per second that got a 2xx or 3xx; HarnessError if others came."""
    completed = subprocess.run(  # noqa: S603 (wrk, fixed arguments)
        command, capture_output=True, text=True, timeout=60, check=False
    )
    output = completed.stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if completed.returncode != 0 or rate is None or "Non-2xx" in output:
        raise stack.HarnessError(f"wrk: {output}{completed.stderr}")
    return float(rate[1])


# ------------------------------------------------------------------------------
# One instance killed under load
# ------------------------------------------------------------------------------
def instance_killed(result: DrillResult, shape: Shape, urls: dict) -> None:
    victim, survivor = shape.second, shape.first
    accepted: list[str] = []

    def step(visitor: Visitor, number: int) -> None:
        # An address per round, so that no visitor reaches the rate limit.
        visitor.source = f"127.1.{number // 250}.{number % 250 + 1}"
        visitor.get(urls["course_list"])
        email = address("drept", number)
        fields = open_form(visitor, urls["contact"])
        if fields is not None:
            answer = send_contact(visitor, urls["contact"], fields, email, number)
            if answer.location == urls["contact_thanks"]:
                accepted.append(email)

    def make_visitor() -> Visitor:
        return shape.visitor("")

    with VisitorLoop(0, KILL_CLIENTS, step, make_visitor) as traffic_loop:
        time.sleep(KILL_AFTER)
        held = wait_while_idle(victim.port)
        killed_at = time.monotonic()
        os.killpg(victim.process.pid, signal.SIGKILL)
        # Dying takes a moment: the kill lasts until the port refuses.
        dead_at = wait_until_refused(victim.port)
        time.sleep(LOAD_AFTER)
    victim.process.wait(timeout=10)
    health = shape.visitor("127.0.0.2").get("/helse/")
    traffic = traffic_loop.traffic
    failed = [r for r in traffic.responses if not r.answered or r.status >= 500]
    lost_in_flight = [
        r
        for r in failed
        if r.started <= dead_at
        and r.started + r.seconds >= killed_at
        and shape.instance(r) == "b"
    ]
    afterwards = [r for r in traffic.responses if r.started > dead_at]
    elsewhere = [r for r in afterwards if shape.answered_by(r) != "a"]
    retried = [r for r in traffic.responses if shape.instance(r) == "b, a"]
    result.note(
        f"kill: {traffic.describe()}; instance b held {held} connection(s) "
        f"at the kill; nginx moved {len(retried)} request(s) from b to a"
    )
    result.check(
        "one instance SIGKILLed under load: the only failed requests are those "
        "it was serving",
        len(failed) == len(lost_in_flight),
        f"{len(failed)} failed, {len(lost_in_flight)} of them in flight at "
        f"instance b during the kill ({(dead_at - killed_at) * 1000:.0f} ms)"
        + "".join(f"; {r.method} {r.path} → {r.error or r.status}" for r in failed),
    )
    result.check(
        "after the kill the proxy sends every request to the other instance",
        afterwards and not elsewhere and health.status == 200,
        f"{len(afterwards)} requests after the kill, {len(elsewhere)} not answered "
        f"by instance a (port {survivor.port}); /helse/ {health.status}",
    )
    traffic_loop.report_surprises(result)
    saved = {
        email
        for (email,) in shape.site.rows(
            "SELECT email FROM contact_inquiry WHERE email LIKE 'drept-%%'"
        )
    }
    lost = set(accepted) - saved
    result.check(
        "every submission answered with the thank-you page is saved",
        accepted and not lost,
        f"{len(accepted)} thanked, {len(saved)} saved, {len(lost)} lost",
    )


def both_instances_down(result: DrillResult, shape: Shape) -> None:
    """With instance b already killed, instance a goes too: visitors get nginx's
    page in Norwegian, with the security headers, not its English 502."""
    os.killpg(shape.first.process.pid, signal.SIGKILL)
    wait_until_refused(shape.first.port)
    shape.first.process.wait(timeout=10)
    answer = shape.visitor("127.0.0.3").get("/kurs/")
    text = re.sub(r"<[^>]+>|\s+", " ", answer.body).strip()
    result.check(
        "with both instances down, visitors get a page in Norwegian (502)",
        answer.status == 502
        and "Midlertidig utilgjengelig" in answer.body
        and 'lang="nb"' in answer.body
        and bool(header_values(answer, "Content-Security-Policy")),
        f"{answer.status or answer.error}: {text[:120]!r}",
    )


def wait_while_idle(port: int) -> int:
    """Wait (a moment at most) until the instance is serving a request; the
    connections to it then."""
    deadline = time.monotonic() + BUSY_TIMEOUT
    held = server_connections(port)
    while not held and time.monotonic() < deadline:
        time.sleep(0.002)
        held = server_connections(port)
    return held


def wait_until_refused(port: int) -> float:
    """When connections to `port` are refused: every process of the instance is
    gone. (Bounded by BUSY_TIMEOUT, then the moment it ran out.)"""
    deadline = time.monotonic() + BUSY_TIMEOUT
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except ConnectionRefusedError:
            break
        except OSError:
            pass
        time.sleep(0.005)
    return time.monotonic()


def server_connections(port: int) -> int:
    """Established TCP connections to `port` (nginx's, to this instance)."""
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].rsplit(":", 1)[1], 16)
        count += local_port == port and fields[3] == "01"
    return count


# ------------------------------------------------------------------------------
# Two mail workers at once
# ------------------------------------------------------------------------------
def mail_workers(result: DrillResult, site: Site) -> None:
    queued = site.value(
        "SELECT count(*) FROM glasoterapi_outgoingemail WHERE status = 'queued'"
    )
    with mail_sink() as sink:
        workers = [
            site.start_manage(
                "send_queued_mail", "--batch-size", str(MAIL_BATCH), EMAIL_URL=sink.url
            )
            for _ in range(2)
        ]
        for worker in workers:
            worker.wait(timeout=MAIL_TIMEOUT)
        received = Counter((m["To"], m["Subject"]) for m in sink.messages)
    counts = [worker_counts(w.log_path.read_text()) for w in workers]
    statuses = dict(
        site.rows("SELECT status, count(*) FROM glasoterapi_outgoingemail GROUP BY 1")
    )
    result.check(
        "two mail workers at once: every queued mail delivered exactly once",
        queued > 0
        and sum(received.values()) == queued
        and set(received.values()) == {1}
        and statuses == {"sent": queued}
        and all(w.returncode == 0 for w in workers),
        f"{queued} queued, {sum(received.values())} received "
        f"({len(received)} distinct); the workers sent "
        f"{' and '.join(str(c.get('sent', 0)) for c in counts)}; outbox {statuses}",
    )
