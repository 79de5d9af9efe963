import time

from django.core.management.base import BaseCommand

from outbox.services import email_send_queued


class Command(BaseCommand):
    help = (
        "Send queued e-mail and retry failed attempts. Run every minute from cron, "
        "or keep running with --loop. Safe to run on several hosts at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            type=float,
            metavar="SECONDS",
            help="keep running, checking the queue every SECONDS",
        )
        parser.add_argument("--batch-size", type=int, default=50)

    def handle(self, *args, loop=None, batch_size=50, **options):
        while True:
            counts = email_send_queued(batch_size=batch_size)
            self.stdout.write(
                self.style.SUCCESS(
                    f"sent={counts['sent']} retry={counts['retry']} "
                    f"failed={counts['failed']} held={counts['held']}"
                )
            )
            if loop is None:
                return
            time.sleep(loop)
