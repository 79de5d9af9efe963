"""manage.py backup_database: a restorable copy, the newest kept, the job recorded."""

import sqlite3
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from glasoterapi.backup import BACKUP_JOB
from privacy.models import JobRun

# Outside a test transaction, as the command runs: SQLite cannot copy a database
# while the connection copying it holds a write transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def backup(directory, *args: str) -> str:
    out = StringIO()
    call_command("backup_database", "--directory", str(directory), *args, stdout=out)
    return out.getvalue()


def test_a_backup_is_written_whole_and_the_job_recorded(tmp_path):
    printed = backup(tmp_path)

    (written,) = tmp_path.iterdir()
    assert str(written) in printed
    assert not written.name.endswith(".partial")
    assert JobRun.objects.filter(name=BACKUP_JOB).exists()
    if connection.vendor == "sqlite":
        tables = sqlite3.connect(written).execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        )
        assert ("privacy_journalentryapplied",) in set(tables)
    else:
        listing = subprocess.run(
            ["pg_restore", "--list", str(written)],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "privacy_journalentryapplied" in listing


def test_only_the_newest_backups_are_kept(tmp_path):
    suffix = ".dump" if connection.vendor == "postgresql" else ".sqlite3"
    for day in range(1, 5):
        (tmp_path / f"glasoterapi-2026110{day}-031500{suffix}").write_bytes(b"old")
    (tmp_path / "notes.txt").write_text("not a backup")

    backup(tmp_path, "--keep", "2")

    names = sorted(path.name for path in tmp_path.iterdir())
    assert names[0] == "glasoterapi-20261104-031500" + suffix
    assert len(names) == 3  # the newest old one, the new one, and the notes
    assert "notes.txt" in names


def test_a_missing_directory_fails_loudly(tmp_path):
    with pytest.raises(CommandError, match="finnes ikke eller er ikke en mappe"):
        backup(tmp_path / "missing")


def test_a_backup_failing_from_its_first_night_is_not_taken_for_none(tmp_path, client):
    """Walk-through finding: a backup job that had never succeeded counted as
    fine for ever, as if the site took its backups otherwise."""
    with pytest.raises(CommandError):
        backup(tmp_path / "missing")

    job = client.get("/helse/").json()["jobs"][BACKUP_JOB]
    assert job["ok"] is False
    assert job["succeeded_at"] is None
    assert job["failed_at"] is not None
