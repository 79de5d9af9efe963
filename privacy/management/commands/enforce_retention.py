from django.core.management.base import BaseCommand

from core.norwegian import count
from privacy.services.retention import DEFAULT_BATCH_SIZE, retention_enforce


class Command(BaseCommand):
    help = (
        "Delete or anonymise personal data that has passed its declared retention "
        "period. Idempotent and batched: safe to run from cron every night. Silent "
        "when there is nothing to do (-v 2 lists every declaration); a failed step "
        "exits non-zero."
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
        verbose = options["verbosity"] >= 2
        for result in results:
            if verbose:
                self.stdout.write(result.summary(dry_run=dry_run))
        done = [result for result in results if result.count]
        total = sum(result.count for result in done)
        if not (total or dry_run or verbose):
            return  # cron mails what a job prints: nothing to do, nothing said
        details = "; ".join(result.summary(dry_run=dry_run) for result in done)
        self.stdout.write(
            self.style.SUCCESS(
                f"{'Tørrkjøring: ' if dry_run else ''}{count(total, 'post', 'poster')}"
                f"{f' ({details})' if details and not verbose else ''}."
            )
        )
