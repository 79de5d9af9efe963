from django.core.management.base import BaseCommand

from core.norwegian import count
from courses.customers import customers_record


class Command(BaseCommand):
    help = (
        "Add the contacts of courses held (or bookings invoiced) as newsletter "
        "customers under soft opt-in, or move their end on to a later course. "
        "Idempotent: run it from cron every night. Silent when nothing changed."
    )

    def handle(self, *args, **options):
        changed = customers_record()
        if changed:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{count(changed, 'kunde', 'kunder')} lagt til eller oppdatert "
                    "for nyhetsbrev om lignende kurs."
                )
            )
