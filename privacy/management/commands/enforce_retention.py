from django.core.management.base import BaseCommand

from privacy.services.retention import DEFAULT_BATCH_SIZE, retention_enforce


class Command(BaseCommand):
    help = (
        "Delete or anonymise personal data that has passed its declared retention "
        "period. Idempotent and batched: safe to run from cron every night."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="count, change nothing"
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help="rows per transaction",
        )

    def handle(self, *args, dry_run=False, batch_size=DEFAULT_BATCH_SIZE, **options):
        results = retention_enforce(dry_run=dry_run, batch_size=batch_size)
        for result in results:
            self.stdout.write(result.summary(dry_run=dry_run))
        total = sum(result.count for result in results)
        self.stdout.write(
            self.style.SUCCESS(
                f"{'Tørrkjøring: ' if dry_run else ''}{total} poster i "
                f"{len(results)} behandlinger."
            )
        )
