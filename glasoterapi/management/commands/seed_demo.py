from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Load demo content for local development. Idempotent: running it again "
        "changes nothing. Each app adds its part in <app>/demo.py as seed_demo()."
    )

    def handle(self, *args, **options):
        for app_config in apps.get_app_configs():
            try:
                demo = import_module(f"{app_config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app_config.name}.demo":
                    raise
                continue
            summary = demo.seed_demo()
            self.stdout.write(f"{app_config.verbose_name}: {summary}")
        self.stdout.write(self.style.SUCCESS("Demodata er på plass."))
