from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Personvern"

    def ready(self):
        from privacy import checks  # noqa: F401 (registers the deploy checks)

        # Each app declares its personal data and cookies in <app>/privacy.py.
        autodiscover_modules("privacy")
