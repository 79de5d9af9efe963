from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from glasoterapi.backup import BackupError, backup_job_run


class Command(BaseCommand):
    help = (
        "Back up the database into a directory (pg_dump on PostgreSQL, SQLite's "
        "backup API on SQLite) and keep the newest --keep backups. Prints the new "
        "file; exits non-zero when the backup failed. Restore: README, Backup and "
        "restore, then manage.py replay_erasure_journal."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, required=True)
        parser.add_argument(
            "--keep", type=int, default=14, help="backups to keep (default 14)"
        )

    def handle(self, *args, directory, keep, **options):
        if keep < 1:
            raise CommandError("--keep må være minst 1.")
        try:
            path = backup_job_run(directory=directory, keep=keep)
        except (BackupError, OSError) as error:
            raise CommandError(f"Sikkerhetskopien feilet: {error}") from error
        size = path.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"{path} ({size:,} bytes)"))
