from django.apps import AppConfig


class GlasoterapiConfig(AppConfig):
    """The project: its migrations (the outbox's history), `seed_demo` and the
    checks of its settings."""

    name = "glasoterapi"
    verbose_name = "Nettstedet"

    def ready(self):
        from core.jobs import NIGHTLY_MINUTES, Watch, job_watch
        from glasoterapi import checks  # noqa: F401 (registers the system checks)
        from glasoterapi.backup import BACKUP_JOB

        job_watch(
            BACKUP_JOB,
            Watch(
                "Sikkerhetskopi av databasen (hver natt)",
                NIGHTLY_MINUTES,
                required=False,
            ),
        )
