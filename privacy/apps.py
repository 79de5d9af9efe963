from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Personvern"

    def ready(self):
        from core.csv import data_exported
        from core.jobs import (
            NIGHTLY_MINUTES,
            Watch,
            job_failed,
            job_records,
            job_succeeded,
            job_watch,
        )
        from outbox.services import mail_held_back
        from privacy import checks  # noqa: F401 (registers the deploy checks)
        from privacy.services.audit import access_audit_record
        from privacy.services.jobs import (
            job_failure_record,
            job_run_record,
            job_runs_last,
        )
        from privacy.services.journal import (
            ERASURE,
            journal_staff_notice,
            replayer_register,
        )
        from privacy.services.retention import RETENTION_JOB
        from privacy.services.rights import (
            mail_to_restricted_address,
            subject_erase_replay,
        )
        from staff.admin_site import index_notices

        data_exported.connect(access_audit_record)
        mail_held_back.connect(mail_to_restricted_address)
        replayer_register(ERASURE, subject_erase_replay)
        job_succeeded.connect(job_run_record)
        job_failed.connect(job_failure_record)
        job_records.connect(job_runs_last)
        job_watch(
            RETENTION_JOB,
            Watch("Sletting etter lagringstid (hver natt)", NIGHTLY_MINUTES),
        )
        # The admin may not import privacy: it asks on its front page.
        index_notices.connect(journal_staff_notice)

        # Each app declares its personal data and cookies in <app>/privacy.py.
        autodiscover_modules("privacy")
