"""Drill 5, jobs killed halfway and rerun: the end state is that of a run that
was never interrupted.

- `manage.py enforce_retention` on 20,000 expired newsletter sign-ups and 20,000
  expired mails (plus rows it must keep), SIGKILLed halfway through the first
  rule, then run again. Compared row by row with an uninterrupted run on a copy
  of the same database.
- A newsletter issue to 1,000 subscribers: the queueing step
  (`newsletter_issue_send`, what the admin's send action calls) SIGKILLed halfway
  and run again; then the mail worker (`send_queued_mail`) SIGKILLed by the SMTP
  server in the middle of the send, with a mail in flight, and restarted with
  MAIL_STALE_CLAIM_SECONDS=0 (take over the dead worker's batch at once).
  Exactly one mail per subscriber must arrive.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable

from drills.harness import Context, DrillResult, Site
from drills.mail_sink import mail_sink
from drills.stack import tail

NAME = "job"
TITLE = "Jobs killed: enforce_retention and a newsletter send, killed and rerun"
EXPIRED = 20_000  # rows of each kind past their retention period
KEPT = 1_000  # rows of each kind that must stay
RETENTION_BATCH = 500
# Killed halfway through the first table: one rule half applied, one not started.
KILL_AFTER_ERASED = EXPIRED // 2
SUBSCRIBERS = 1_000
QUEUE_BATCH = 20
SEND_BATCH = 25
KILL_AT_MAIL = 500  # the worker dies while sending this mail (0-based)
JOB_TIMEOUT = 120
TABLES = ("privacy_subscriber", "glasoterapi_outgoingemail")


def run(context: Context, result: DrillResult) -> None:
    retention_killed(context, result)
    newsletter_killed(context, result)


# ------------------------------------------------------------------------------
# enforce_retention
# ------------------------------------------------------------------------------
def retention_killed(context: Context, result: DrillResult) -> None:
    with context.site("job_retention") as site:
        seeded = site.task("retention_seed", expired=EXPIRED, kept=KEPT)
        total = sum(seeded.values())
        with context.copy(site, "job_uninterrupted") as untouched:
            untouched.manage("enforce_retention", "--batch-size", str(RETENTION_BATCH))
            expected = snapshot(untouched)
        job = site.start_manage(
            "enforce_retention", "--batch-size", str(RETENTION_BATCH)
        )
        killed = kill_when(job, lambda: total - row_count(site) >= KILL_AFTER_ERASED)
        erased_before_kill = total - row_count(site)
        site.manage("enforce_retention", "--batch-size", str(RETENTION_BATCH))
        after_rerun = snapshot(site)
    result.note(
        f"retention: {total:,} rows, {erased_before_kill:,} erased before the kill"
    )
    result.check(
        "enforce_retention was killed halfway",
        killed and 0 < erased_before_kill < 2 * EXPIRED,
        f"exit {job.returncode}, {erased_before_kill:,} of {2 * EXPIRED:,} "
        "expired rows erased at the kill" + log_hint(job, killed),
    )
    remaining = {table: count for table, (count, _) in after_rerun.items()}
    result.check(
        "killed + rerun ends exactly like an uninterrupted run",
        after_rerun == expected
        and remaining == {"privacy_subscriber": 2 * KEPT, TABLES[1]: KEPT},
        f"rows left {remaining}; same rows as the uninterrupted run: "
        f"{after_rerun == expected}",
    )


def row_count(site: Site) -> int:
    return sum(site.value(count_query(table)) for table in TABLES)


def snapshot(site: Site) -> dict[str, tuple[int, str]]:
    """Per table: the row count and a digest of every row, in id order."""
    return {table: tuple(site.rows(digest_query(table))[0]) for table in TABLES}


def count_query(table: str) -> str:
    return f"SELECT count(*) FROM {table}"  # noqa: S608 (a fixed table name)


def digest_query(table: str) -> str:
    rows = "string_agg(t::text, ',' ORDER BY t.id)"
    return f"SELECT count(*), md5(coalesce({rows}, '')) FROM {table} t"  # noqa: S608


# ------------------------------------------------------------------------------
# Newsletter send
# ------------------------------------------------------------------------------
def newsletter_killed(context: Context, result: DrillResult) -> None:
    with context.site("job_newsletter") as site:
        issue = site.task("newsletter_seed", subscribers=SUBSCRIBERS)["issue"]
        queueing_killed(result, site, issue)
        with mail_sink() as sink:
            sending_killed(result, site, sink)
            per_recipient = sink.per_recipient()
        statuses = dict(
            site.rows(
                "SELECT status, count(*) FROM glasoterapi_outgoingemail GROUP BY 1"
            )
        )
    result.note(f"newsletter: {sum(per_recipient.values())} mails received")
    result.check(
        "exactly one mail per subscriber arrived, and the outbox is all sent",
        len(per_recipient) == SUBSCRIBERS
        and set(per_recipient.values()) == {1}
        and statuses == {"sent": SUBSCRIBERS},
        f"{len(per_recipient)} subscribers got mail, the most to one: "
        f"{max(per_recipient.values(), default=0)}; outbox {statuses}",
    )


def queueing_killed(result: DrillResult, site: Site, issue: int) -> None:
    def queued() -> int:
        return site.value(
            "SELECT count(*) FROM glasoterapi_outgoingemail WHERE dedupe_key LIKE %s",
            [f"newsletter:{issue}:%"],
        )

    job = site.start_task("newsletter_issue_send", issue=issue, batch_size=QUEUE_BATCH)
    killed = kill_when(job, lambda: queued() >= SUBSCRIBERS // 2)
    at_kill = queued()
    rerun = site.task("newsletter_issue_send", issue=issue, batch_size=QUEUE_BATCH)
    status, count = site.rows(
        "SELECT status, queued_count FROM privacy_newsletterissue WHERE id = %s",
        [issue],
    )[0]
    addresses = site.value(
        'SELECT count(DISTINCT "to") FROM glasoterapi_outgoingemail '
        "WHERE kind = 'newsletter.issue'"
    )
    result.check(
        "newsletter_issue_send killed halfway, rerun: one mail queued per subscriber",
        killed
        and 0 < at_kill < SUBSCRIBERS
        and rerun["queued"] == count == addresses == queued() == SUBSCRIBERS
        and status == "sent",
        f"{at_kill} queued at the kill (exit {job.returncode}); after the rerun "
        f"{queued()} queued to {addresses} addresses, issue {status} "
        f"({count})" + log_hint(job, killed),
    )


def sending_killed(result: DrillResult, site: Site, sink) -> None:
    sink.kill_after = KILL_AT_MAIL
    worker = site.start_manage(
        "send_queued_mail", "--batch-size", str(SEND_BATCH), EMAIL_URL=sink.url
    )
    sink.victim = worker
    try:
        worker.wait(timeout=JOB_TIMEOUT)
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.wait()
    delivered_before = sink.count()
    claimed = site.value(
        "SELECT count(*) FROM glasoterapi_outgoingemail WHERE status = 'sending'"
    )
    # Restarted; the dead worker's claimed batch is taken over at once.
    site.manage(
        "send_queued_mail",
        "--batch-size",
        str(SEND_BATCH),
        EMAIL_URL=sink.url,
        MAIL_STALE_CLAIM_SECONDS="0",
    )
    result.check(
        "send_queued_mail killed mid-send (a mail in flight), then restarted",
        worker.returncode == -9 and delivered_before == KILL_AT_MAIL,
        f"exit {worker.returncode}, {delivered_before} delivered before the kill, "
        f"{claimed} left claimed by the dead worker",
    )


# ------------------------------------------------------------------------------
def kill_when(
    process: subprocess.Popen, condition: Callable[[], bool], timeout=JOB_TIMEOUT
) -> bool:
    """SIGKILL `process` as soon as `condition()` holds (or the time is up).
    False if it ended by itself first; the process is gone either way."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        if condition():
            break
        time.sleep(0.01)
    if process.poll() is None:
        process.kill()
    process.wait()
    return process.returncode == -signal.SIGKILL


def log_hint(process: subprocess.Popen, killed: bool) -> str:
    if killed:
        return ""
    return f"; it ended by itself first: {tail(process.log_path.read_text(), 3)}"
