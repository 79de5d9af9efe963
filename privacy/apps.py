from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Personvern"

    def ready(self):
        # Each app declares its personal data and cookies in <app>/privacy.py.
        autodiscover_modules("privacy")
