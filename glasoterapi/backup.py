"""Backups of the database: pg_dump on PostgreSQL, SQLite's online backup API on
SQLite. Restoring is a few shell commands (the README's "Backup and restore"),
followed by `manage.py replay_erasure_journal`, so that no one erased or
unsubscribed after the backup comes back.

A backup is written beside its final name and renamed when complete, so a
directory never holds half a backup under a backup's name.
"""

import os
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from django.db import connection
from django.utils import timezone

from core.jobs import job_failed, job_succeeded

BACKUP_JOB = "backup_database"
PREFIX = "glasoterapi-"
SUFFIXES = {"postgresql": ".dump", "sqlite": ".sqlite3"}


def backup_job_run(*, directory: Path, keep: int) -> Path:
    """The nightly job: a backup, or its failure recorded, so that a job failing
    from its first night on shows on /helse/ and the staff overview."""
    try:
        if not directory.is_dir():
            raise BackupError(f"{directory} finnes ikke eller er ikke en mappe.")
        return database_backup(directory=directory, keep=keep)
    except (BackupError, OSError):
        job_failed(name=BACKUP_JOB, at=timezone.now())
        raise


def database_backup(*, directory: Path, keep: int, now: datetime | None = None) -> Path:
    """Write a backup into `directory`, remove all but the newest `keep`, and
    record that the job succeeded. Returns the new backup's path."""
    if connection.in_atomic_block:
        # SQLite's copy would wait forever for this connection's own transaction.
        raise BackupError("A backup cannot be taken inside a transaction.")
    now = now or timezone.now()
    suffix = SUFFIXES.get(connection.vendor)
    if suffix is None:
        raise NotImplementedError(f"No backup for {connection.vendor}.")
    path = directory / f"{PREFIX}{now:%Y%m%d-%H%M%S}{suffix}"
    partial = path.with_name(path.name + ".partial")
    if connection.vendor == "postgresql":
        pg_dump(partial)
    else:
        sqlite_backup(partial)
    with partial.open("rb") as file:
        os.fsync(file.fileno())
    partial.replace(path)
    for old in sorted(directory.glob(f"{PREFIX}*{suffix}"))[:-keep]:
        old.unlink()
    job_succeeded(name=BACKUP_JOB, at=now)
    return path


def sqlite_backup(target: Path) -> None:
    """A consistent copy while the site runs (https://sqlite.org/backup.html)."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


def pg_dump(target: Path) -> None:
    """pg_dump's custom format: compressed, restored with pg_restore."""
    settings = connection.settings_dict
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    command = ["pg_dump", "--format=custom", f"--file={target}"]
    for option, key in [("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")]:
        if settings.get(key):
            command.append(f"{option}={settings[key]}")
    command.append(settings["NAME"])
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"pg_dump exited with {done.returncode}: {done.stderr}")


class BackupError(Exception):
    pass
