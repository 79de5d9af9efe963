from django.core.management.base import BaseCommand

from core.norwegian import count
from courses.services import offers_release_expired


class Command(BaseCommand):
    help = (
        "Give seats offered from the waitlist and not confirmed in time to the next "
        "on the waitlist, and tell the contacts who did not answer. Run it from "
        "cron every hour. Silent when nothing changed."
    )

    def handle(self, *args, **options):
        released = offers_release_expired()
        if released:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{count(len(released), 'påmelding', 'påmeldinger')} svarte ikke "
                    "i tide; plassene gikk videre til ventelisten."
                )
            )
