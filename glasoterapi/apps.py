from django.apps import AppConfig


class GlasoterapiConfig(AppConfig):
    """The project: its migrations (the outbox's history), `seed_demo` and the
    checks of its settings."""

    name = "glasoterapi"
    verbose_name = "Nettstedet"

    def ready(self):
        from glasoterapi import checks  # noqa: F401 (registers the system checks)
