import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from outbox.services import mail_stuck, mail_worker_run


class Command(BaseCommand):
    help = (
        "Send queued e-mail and retry failed attempts. Run every minute from cron, "
        "or keep running with --loop. Safe to run on several hosts at once. Silent "
        "when there is nothing to send; exits non-zero while mail has not got "
        "through for MAIL_ALERT_MINUTES."
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
            counts = mail_worker_run(batch_size=batch_size)
            if any(counts.values()) or options["verbosity"] >= 2:
                self.stdout.write(
                    f"sent={counts['sent']} retry={counts['retry']} "
                    f"failed={counts['failed']} held={counts['held']}"
                )
            stuck = mail_stuck(minutes=settings.MAIL_ALERT_MINUTES)
            if loop is None:
                if stuck:
                    raise CommandError(stuck)
                return
            if stuck:
                self.stderr.write(stuck)
            time.sleep(loop)
