from django.core.management.base import BaseCommand

from privacy.ropa import ropa_markdown


class Command(BaseCommand):
    help = (
        "Print the record of processing activities (GDPR art. 30) as Markdown, "
        "generated from the privacy declarations."
    )

    def handle(self, *args, **options):
        self.stdout.write(ropa_markdown())
