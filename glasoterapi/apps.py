from django.apps import AppConfig


class GlasoterapiConfig(AppConfig):
    """The project: its migrations (the outbox's history) and `seed_demo`."""

    name = "glasoterapi"
    verbose_name = "Nettstedet"
