from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Personvern"

    def ready(self):
        from core.csv import data_exported
        from outbox.services import mail_held_back
        from privacy import checks  # noqa: F401 (registers the deploy checks)
        from privacy.services.audit import access_audit_record
        from privacy.services.rights import mail_to_restricted_address

        data_exported.connect(access_audit_record)
        mail_held_back.connect(mail_to_restricted_address)

        # Each app declares its personal data and cookies in <app>/privacy.py.
        autodiscover_modules("privacy")
