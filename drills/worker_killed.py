"""Drill 4, worker killed: 8 visitors keep loading and sending the contact form;
one gunicorn worker is SIGKILLed while it serves a request.

The master must start a replacement, the site must keep answering, and the only
failed requests may be those the killed worker was serving (counted from its
open client connections at the kill; a sync worker serves one at a time). A
submission answered with the thank-you page must be in the database.
"""

from __future__ import annotations

import os
import signal
import time
from contextlib import suppress
from pathlib import Path

from drills import stack
from drills.harness import Context, DrillResult, Site, wait_for
from drills.journeys import Traffic, VisitorLoop, address, open_form, send_contact
from drills.visitor import Response, Visitor

NAME = "worker"
TITLE = "Worker killed: SIGKILL a gunicorn worker under load"
CLIENTS = 8
WORKERS = 2
KILL_AFTER = 2.0  # seconds of load before the kill
LOAD_AFTER = 4.0  # seconds of load after the replacement is up
REPLACEMENT_TIMEOUT = 30
BUSY_TIMEOUT = 5  # seconds to wait for the worker to be serving a request


def run(context: Context, result: DrillResult) -> None:
    with context.site(NAME) as site:
        urls = site.task("site_urls")
        with site.serving(workers=WORKERS) as server:
            workers_before = stack.worker_pids(server)
            contact = ContactForm(urls)
            with VisitorLoop(server.port, CLIENTS, contact.send) as load:
                time.sleep(KILL_AFTER)
                victim = workers_before[0]
                killed_at, held = kill_while_serving(victim, server.port)
                replaced = wait_for(
                    lambda: replacement_up(server, workers_before, victim),
                    timeout=REPLACEMENT_TIMEOUT,
                )
                replaced_after = time.monotonic() - killed_at
                workers_after = stack.worker_pids(server)
                time.sleep(LOAD_AFTER)
            health = stack.http_get(server.port, "/helse/").status
        result.note(f"the killed worker was serving {held} request(s)")
        check(result, site, load.traffic, contact.accepted, killed_at, held, health)
        load.report_surprises(result)
        result.check(
            "the master replaced the killed worker",
            replaced,
            f"workers {workers_before} → {workers_after} "
            f"in {replaced_after:.1f} s (killed {victim})",
        )


def kill_while_serving(pid: int, port: int) -> tuple[float, int]:
    """SIGKILL the worker as soon as it holds a client connection (it is serving
    a request), or after BUSY_TIMEOUT anyway. When, and how many it held."""
    deadline = time.monotonic() + BUSY_TIMEOUT
    held = client_connections(pid, port)
    while not held and time.monotonic() < deadline:
        time.sleep(0.002)
        held = client_connections(pid, port)
    killed_at = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    return killed_at, held


def client_connections(pid: int, port: int) -> int:
    """Established TCP connections to `port` that process `pid` has open."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target.removeprefix("socket:[").removesuffix("]"))
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].rsplit(":", 1)[1], 16)
        established = fields[3] == "01"
        count += local_port == port and established and fields[9] in inodes
    return count


def replacement_up(server: stack.Server, before: list[int], victim: int) -> bool:
    now = stack.worker_pids(server)
    return victim not in now and len(now) == len(before) and bool(set(now) - {victim})


class ContactForm:
    """One loop step: load the contact form and send it."""

    def __init__(self, urls: dict):
        self.urls = urls
        self.accepted: list[str] = []  # addresses answered with the thank-you page

    def send(self, visitor: Visitor, number: int) -> None:
        path, email = self.urls["contact"], address("kontakt", number)
        fields = open_form(visitor, path)
        if fields is None:
            return
        answer = send_contact(visitor, path, fields, email, number)
        if answer.location == self.urls["contact_thanks"]:
            self.accepted.append(email)


def failed(response: Response) -> bool:
    return not response.answered or response.status >= 500


def in_flight(response: Response, moment: float) -> bool:
    ended = response.started + response.seconds
    return response.started <= moment <= ended


def check(
    result: DrillResult,
    site: Site,
    traffic: Traffic,
    accepted: list[str],
    killed_at: float,
    held: int,
    health: int,
) -> None:
    responses = traffic.responses
    failures = [r for r in responses if failed(r)]
    at_kill = [r for r in responses if in_flight(r, killed_at)]
    failures_in_flight = [r for r in failures if in_flight(r, killed_at)]
    result.note(traffic.describe())
    result.note(
        f"{len(at_kill)} requests in flight at the kill, {len(failures)} failed"
    )
    result.check(
        "the only failed requests are those the killed worker was serving",
        len(failures) == len(failures_in_flight) <= held,
        f"{len(failures)} failed, all in flight at the kill: "
        f"{len(failures) == len(failures_in_flight)}; the worker held {held}"
        + "".join(f"; {r.method} {r.path} → {r.error or r.status}" for r in failures),
    )
    result.check(
        "the site answers afterwards (/helse/ 200)", health == 200, f"HTTP {health}"
    )
    saved = {email for (email,) in site.rows("SELECT email FROM contact_inquiry")}
    lost = set(accepted) - saved
    result.check(
        "every submission answered with the thank-you page is saved",
        not lost,
        f"{len(accepted)} thanked, {len(saved)} saved "
        f"({len(saved - set(accepted))} saved without an answer), "
        f"{len(lost)} lost",
    )
