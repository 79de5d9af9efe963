from django.core.management.base import BaseCommand

from privacy.services.journal import journal_replay


class Command(BaseCommand):
    help = (
        "After restoring a backup: erase again everyone erased, and unsubscribe "
        "again everyone unsubscribed, since the backup was taken (the erasure "
        "journal, PRIVACY_ERASURE_JOURNAL). Idempotent; silent when there is "
        "nothing to replay."
    )
    # The check it would warn with is what it is about to put right.
    requires_system_checks = []

    def handle(self, *args, **options):
        result = journal_replay()
        if not result.total:
            return
        counts = sorted(result.entries.items())
        events = ", ".join(f"{event} {number}" for event, number in counts)
        self.stdout.write(
            self.style.SUCCESS(
                f"Replayed {result.total} journal entries ({events}); "
                f"{result.found} addresses or subscriptions were in the database."
            )
        )
