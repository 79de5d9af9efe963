"""Drill 7, backup and restore: last night's backup restored brings no one back.

On PostgreSQL, with gunicorn serving:
- Kari has asked a question, Ola and Per get the newsletter;
  `manage.py backup_database` (pg_dump) takes the backup.
- Kari has herself erased (what Mine data does), Ola unsubscribes with the
  newsletter's one-click link, POSTed to gunicorn.
- The site is stopped and the backup restored with pg_restore, as the README
  says: Kari's question and Ola's subscription are back, and `manage.py check`
  warns (privacy.W002).
- `manage.py replay_erasure_journal`: both are gone again, Ola is on the
  suppression list, Per is untouched, the warning is gone, a second replay does
  nothing; the journal holds neither name nor address.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from drills import stack
from drills.harness import Context, DrillResult, Site

NAME = "backup"
TITLE = "Backup restored: erased and unsubscribed people stay gone after replay"
KARI = "kari.nordmann@example.no"
PERSONAL = ("kari", "nordmann", "ola", "hansen", "per.berg", "example.no")


def run(context: Context, result: DrillResult) -> None:
    with context.site("backup") as site:
        backups = context.tmp / "backups"
        backups.mkdir(exist_ok=True)
        journal = Path(site.env["PRIVACY_ERASURE_JOURNAL"])
        journal.unlink(missing_ok=True)
        paths = site.task("people_seed")
        printed = site.manage("backup_database", "--directory", str(backups))
        backup = Path(printed.split(" (")[0].strip())
        result.note(f"backup {backup.stat().st_size:,} bytes")

        with site.serving() as server:
            site.task("erasure_request", email=KARI)
            status = one_click_unsubscribe(server.origin + paths["unsubscribe"])
        result.check("Ola unsubscribed through gunicorn", status == 200, f"{status}")
        before = people(site)
        result.check(
            "before the restore both are gone",
            before == (0, 0, 1),
            f"inquiries, Ola, Per: {before}",
        )

        restore(site, backup)
        restored = people(site)
        warning = check_output(site)
        result.check(
            "the restore brought both back, and the site warns",
            restored == (1, 1, 1) and "privacy.W002" in warning,
            f"inquiries, Ola, Per after restore: {restored}; "
            f"W002 {'shown' if 'privacy.W002' in warning else 'missing'}",
        )

        replayed = site.manage("replay_erasure_journal").strip()
        result.note(replayed)
        after = people(site)
        suppressed = site.value("SELECT count(*) FROM privacy_newslettersuppression")
        result.check(
            "after replay both stay gone, Per stays",
            after == (0, 0, 1) and suppressed == 1,
            f"inquiries, Ola, Per: {after}; suppressed addresses: {suppressed}",
        )
        again = site.manage("replay_erasure_journal").strip()
        result.check(
            "the warning is gone and a second replay does nothing",
            "privacy.W002" not in check_output(site) and again == "",
            f"second replay printed {again!r}",
        )
        text = journal.read_text()
        found = [word for word in PERSONAL if word in text.lower()]
        result.check(
            "the journal holds no name or address",
            len(text.splitlines()) == 2 and not found,
            f"{len(text.splitlines())} lines; personal data found: {found or 'none'}",
        )


def one_click_unsubscribe(url: str) -> int:
    """RFC 8058: what a mail client POSTs for the List-Unsubscribe header."""
    body = urllib.parse.urlencode({"List-Unsubscribe": "One-Click"}).encode()
    request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status


def people(site: Site) -> tuple[int, int, int]:
    """Kari's inquiries, Ola's and Per's subscriptions."""
    count = "SELECT count(*) FROM {} WHERE email = %s"
    return (
        site.value(count.format("contact_inquiry"), (KARI,)),
        site.value(count.format("privacy_subscriber"), ("ola.hansen@example.no",)),
        site.value(count.format("privacy_subscriber"), ("per.berg@example.no",)),
    )


def restore(site: Site, backup: Path) -> None:
    """The README's restore: pg_restore over the stopped site's database."""
    completed = subprocess.run(  # noqa: S603
        [  # noqa: S607
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={stack.libpq_url(site.database_url)}",
            str(backup),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if completed.returncode != 0:
        raise stack.HarnessError(f"pg_restore: {stack.tail(completed.stderr)}")


def check_output(site: Site) -> str:
    completed = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=stack.REPO,
        env=site.env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    return completed.stdout + completed.stderr
